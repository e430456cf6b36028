#include "server/log.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "shared/text.h"

namespace natter::server {

std::string format_log_line(std::uint64_t unix_ms, std::uint64_t conn_id, std::string_view text) {
    const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<unsigned>(unix_ms % 1000));
    std::string line = stamp;
    if (conn_id != 0) line += " [c" + std::to_string(conn_id) + "]";
    line += ' ';
    line += text::sanitize_for_terminal(text);
    return line;
}

void log_event(std::uint64_t conn_id, std::string_view text) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    std::string line = format_log_line(ms, conn_id, text);
    line += '\n';
    // One write per line so lines from a crash or a second process never interleave mid-line.
    // stderr is blocking; a log that cannot be written is dropped rather than retried forever.
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace natter::server
