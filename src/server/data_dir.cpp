#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace natter::server {

std::string default_data_dir(const char* xdg_state_home, const char* home) {
    // The XDG rule: a relative value is invalid and is ignored.
    if (xdg_state_home != nullptr && xdg_state_home[0] == '/') return std::string(xdg_state_home) + "/natter";
    if (home != nullptr && home[0] != '\0') return std::string(home) + "/.local/state/natter";
    return {};
}

std::optional<std::string> make_data_dir(const std::string& dir) {
    if (dir.empty()) return std::string("no data directory (set --data, XDG_STATE_HOME or HOME)");
    // Each missing component in turn, like mkdir -p.
    for (std::size_t at = 1; at <= dir.size(); ++at) {
        if (at != dir.size() && dir[at] != '/') continue;
        const std::string part = dir.substr(0, at);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            return "cannot create the data directory " + part + ": " + std::strerror(errno);
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return "cannot use the data directory " + dir + ": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return "the data directory " + dir + " is not a directory";
    return std::nullopt;
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> DataDirLock::acquire(const std::string& dir) {
    const std::string path = dir + "/natterd.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return "cannot write in the data directory " + dir + ": " + std::strerror(errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        ::close(fd_);
        fd_ = -1;
        if (e == EWOULDBLOCK) return "another natterd is using the data directory " + dir;
        return "cannot lock " + path + ": " + std::strerror(e);
    }
    return std::nullopt;
}

}  // namespace natter::server
