// The natter program: one poll() over the terminal, the socket and the signal pipe; keys and
// messages go through apply(), the renderer draws once per turn. Timeouts come from deadlines
// (reconnect backoff, keepalive), so an idle client sleeps in poll() and uses no CPU.
#pragma once

#include <cstdint>
#include <string>

namespace natter::tui {

struct Options {
    std::string host = "localhost";
    std::uint16_t port = 0;
    std::string nick;
};

// Runs the client until the user leaves. Returns the exit status: 0 after /quit, Ctrl-C, Ctrl-D
// or SIGINT/SIGTERM/SIGHUP; 1 when the terminal cannot be used.
int run_app(const Options& options);

}  // namespace natter::tui
