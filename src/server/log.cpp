#include "server/log.h"

#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

#include "shared/text.h"

namespace natter::server {

namespace {

// A megabyte of log is minutes of a busy server's events: enough for any hiccup of stderr.
constexpr std::size_t kMaxQueuedBytes = 1 << 20;

std::uint64_t now_ms() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // stderr is gone: the lines are lost, the server is not
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

// The writer thread and its queue. Made on the first line and never destroyed: a line logged
// by anything at exit still finds it, and the thread ends with the process.
class Writer {
public:
    Writer() : thread_([this] { run(); }) {}

    void push(std::string_view line) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push(line);
        }
        wake_.notify_one();
    }

    bool flush(std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(mutex_);
        return drained_.wait_for(lock, timeout, [this] { return queue_.empty() && !writing_; });
    }

private:
    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return !queue_.empty(); });
            std::string batch = queue_.take(now_ms());
            writing_ = true;
            lock.unlock();
            write_all(batch);  // may block for as long as stderr is stalled: only this thread waits
            lock.lock();
            writing_ = false;
            drained_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    LogQueue queue_{kMaxQueuedBytes};
    bool writing_ = false;
    std::thread thread_;  // last: it starts once the rest is ready
};

Writer& writer() {
    static Writer* const w = [] {
        auto* made = new Writer;
        // However natterd ends (return from main, exit()), the last lines get a moment: two
        // seconds, in case stderr is stalled for good.
        std::atexit([] { flush_log(std::chrono::seconds(2)); });
        return made;
    }();
    return *w;
}

}  // namespace

bool LogQueue::push(std::string_view line) {
    if (bytes_.size() + line.size() > max_bytes_) {
        ++dropped_;
        return false;
    }
    bytes_ += line;
    return true;
}

std::string LogQueue::take(std::uint64_t unix_ms) {
    std::string out;
    if (dropped_ != 0) {
        out = format_log_line(unix_ms, 0, std::to_string(dropped_) + " log lines dropped: stderr did not keep up");
        out += '\n';
        dropped_ = 0;
    }
    out += bytes_;
    bytes_.clear();
    return out;
}

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
    std::string line = format_log_line(now_ms(), conn_id, text);
    line += '\n';
    writer().push(line);
}

bool flush_log(std::chrono::milliseconds timeout) { return writer().flush(timeout); }

}  // namespace natter::server
