// Signals turned into bytes on a pipe, so the one poll() loop sees them like any other input
// (the self-pipe trick). Also installs the fatal-signal handler that gives the terminal back.
#pragma once

#include <vector>

namespace natter::tui {

class SignalPipe {
public:
    // Catches SIGWINCH, SIGINT, SIGTERM, SIGHUP and SIGCONT; ignores SIGPIPE; on SIGSEGV, SIGBUS,
    // SIGFPE, SIGILL and SIGABRT restores the terminal before dying. Only one may exist.
    SignalPipe();
    ~SignalPipe();
    SignalPipe(const SignalPipe&) = delete;
    SignalPipe& operator=(const SignalPipe&) = delete;

    bool ok() const { return read_fd_ >= 0; }
    int fd() const { return read_fd_; }
    // The signals that arrived since the last call, in order.
    std::vector<int> drain();

private:
    int read_fd_ = -1;
};

}  // namespace natter::tui
