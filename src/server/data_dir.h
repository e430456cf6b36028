// natterd's data directory (--data): where it is by default, making sure it exists, and one
// natterd at a time in it.
#pragma once

#include <optional>
#include <string>

namespace natter::server {

// The default: $XDG_STATE_HOME/natter when that is set to an absolute path, else
// $HOME/.local/state/natter; "" when neither can be had. Pure: the caller reads the environment.
std::string default_data_dir(const char* xdg_state_home, const char* home);

// Creates the directory and its missing parents (mode 0700, as it holds chat history) and checks
// that it is a directory. Nothing on success, else why not.
std::optional<std::string> make_data_dir(const std::string& dir);

// An exclusive lock on DIR/natterd.lock for as long as it lives: a second natterd on the same
// directory would interleave message ids. Creating the lock file is also the first proof that
// the directory is writable.
class DataDirLock {
public:
    DataDirLock() = default;
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

    // Nothing on success, else why not.
    std::optional<std::string> acquire(const std::string& dir);

private:
    int fd_ = -1;
};

}  // namespace natter::server
