// Starts the real natterd for integration and end-to-end tests, and stops it again.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

namespace natter::testing {

// The build directory holding the programs under test: $NATTER_BUILD, else "build".
std::string build_dir();

// A natterd child process. Unless `args` contains "--port", it is started with "--port 0" and
// the port it picked is read from its listening line on stdout. Its stdout and stderr go to files
// in a fresh temporary directory. The destructor stops it (SIGTERM, then SIGKILL).
class NatterdProcess {
public:
    // Where natterd's stderr goes: a file (log() reads it), or a pipe the test never reads, as
    // a terminal paused with Ctrl-S or a pager nobody scrolls would be.
    enum class Stderr { File, StalledPipe };
    explicit NatterdProcess(std::vector<std::string> args = {}, Stderr stderr_to = Stderr::File);
    ~NatterdProcess();
    NatterdProcess(const NatterdProcess&) = delete;
    NatterdProcess& operator=(const NatterdProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    bool alive();
    // Sends `sig`, waits up to 10 s for the exit (then SIGKILL) and returns the exit status
    // (128 + signal number when killed by a signal). Calling it again returns the same status.
    int stop(int sig = SIGTERM);
    // Resident set size in KiB, from /proc; 0 if it cannot be read.
    long rss_kib() const;
    // Everything natterd wrote to stderr so far.
    std::string log() const;
    // The log once it contains `needle`, or as it is after `timeout_ms`. natterd's log is
    // written by a thread of its own, so a line can reach the file a moment after the event.
    std::string wait_for_log(const std::string& needle, int timeout_ms = 5000) const;
    const std::string& dir() const { return dir_; }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::string dir_;
    int exit_status_ = -1;
    int stalled_pipe_ = -1;  // the unread end of the StalledPipe
};

}  // namespace natter::testing
