#include "server/oper_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "shared/text.h"

namespace natter::server {

namespace {

constexpr std::size_t kMaxFileBytes = 64 * 1024;
constexpr std::size_t kMaxWordBytes = 128;

bool good_word(std::string_view w) {
    if (w.empty() || w.size() > kMaxWordBytes || !text::valid_utf8(w)) return false;
    for (std::size_t i = 0; i < w.size();) {
        const char32_t c = text::decode_one(w, i);
        if (text::is_control(c) || c == U' ') return false;
    }
    return true;
}

}  // namespace

std::variant<Opers, std::string> parse_oper_file(std::string_view text) {
    Opers opers;
    std::size_t number = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = text.find('\n', i);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(i, end - i);
        i = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        const std::size_t space = line.find_first_of(" \t");
        if (space == std::string_view::npos) return "line " + std::to_string(number) + ": wants a name and a password";
        std::string_view name = line.substr(0, space);
        std::string_view password = line.substr(space + 1);
        while (!password.empty() && (password.front() == ' ' || password.front() == '\t')) password.remove_prefix(1);
        if (!good_word(name) || !good_word(password))
            return "line " + std::to_string(number) +
                   ": a name and a password are 1 to 128 bytes without spaces or control characters";
        opers.push_back({std::string(name), std::string(password)});
    }
    if (opers.empty()) return std::string("no operator in it");
    return opers;
}

std::variant<Opers, std::string> load_oper_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return path + ": " + std::strerror(errno);
    struct stat st {};
    std::string why;
    if (::fstat(fd, &st) != 0) why = std::strerror(errno);
    else if (!S_ISREG(st.st_mode)) why = "not a regular file";
    else if ((st.st_mode & 077) != 0) why = "others may read or change it (chmod 600 it)";
    else if (static_cast<std::size_t>(st.st_size) > kMaxFileBytes) why = "larger than 64 KiB";
    std::string text;
    if (why.empty()) {
        text.resize(static_cast<std::size_t>(st.st_size));
        std::size_t got = 0;
        while (got < text.size()) {
            const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        text.resize(got);
    }
    ::close(fd);
    if (!why.empty()) return path + ": " + why;
    auto parsed = parse_oper_file(text);
    if (auto* e = std::get_if<std::string>(&parsed)) return path + ": " + *e;
    return parsed;
}

}  // namespace natter::server
