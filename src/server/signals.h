// Signals turned into bytes on a pipe (the self-pipe trick), so the event loop sees SIGINT and
// SIGTERM as one more readable descriptor and nothing runs inside a signal handler but write().
#pragma once

#include <vector>

namespace natter::server {

class SignalPipe {
public:
    // Installs the handlers for SIGINT and SIGTERM and ignores SIGPIPE (writes to a vanished
    // peer must fail with EPIPE, not kill the server). One instance per process.
    SignalPipe();
    ~SignalPipe();
    SignalPipe(const SignalPipe&) = delete;
    SignalPipe& operator=(const SignalPipe&) = delete;

    int read_fd() const { return fds_[0]; }
    // The signals delivered since the last call, oldest first.
    std::vector<int> take();

private:
    int fds_[2] = {-1, -1};
};

}  // namespace natter::server
