// The link to natterd: a non-blocking TCP socket, connect in progress, the shared LineFramer and
// decode_line for what arrives, and a bounded output queue written as far as the socket takes it.
// The app's poll() drives it; reconnecting (with backoff) is the app's decision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/codec.h"
#include "shared/protocol.h"

namespace natter::tui {

class Connection {
public:
    static constexpr std::size_t kMaxQueuedBytes = 1u << 20;   // a server that stops reading
    static constexpr std::size_t kReadBudgetBytes = 1u << 20;  // per turn, so keys stay responsive

    Connection(std::string host, std::uint16_t port);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    enum class State { Closed, Connecting, Open };
    State state() const { return state_; }

    // Starts connecting. Resolving a name may block briefly (getaddrinfo); the TCP connect never
    // does. False, with the reason, if no attempt could even start.
    bool start(std::string& why);
    void close();

    int fd() const { return fd_; }
    // What to poll for: POLLOUT while connecting or while output is queued; POLLIN when open.
    short events() const;

    struct Result {
        bool connected = false;  // the connect finished: say hello
        bool closed = false;     // the connection is gone; `why` says why
        std::string why;
        std::size_t bytes_in = 0;
    };
    // Handles poll's revents for fd(): finishes a connect (trying the next address on failure),
    // writes what is queued, reads and decodes. Messages that arrived are appended to `in`, even
    // when the connection closed right after them.
    Result handle(short revents, std::vector<Message>& in);

    // Queues a message. Past kMaxQueuedBytes the connection is closed (the server stopped reading).
    void send(const Message& m);
    bool flushed() const { return out_.size() == out_off_; }
    // Writes what is queued now, as far as the socket takes it (for leaving promptly).
    void flush_now();

    // Lines from the server that did not decode, since start() (shown once, then counted).
    std::size_t bad_lines() const { return bad_lines_; }

private:
    bool try_next_address(std::string& why);
    bool finish_connect(std::string& why);
    bool write_some(std::string& why);
    bool read_some(std::vector<Message>& in, Result& r);

    std::string host_;
    std::uint16_t port_;
    State state_ = State::Closed;
    int fd_ = -1;
    std::vector<std::vector<unsigned char>> addrs_;  // sockaddr bytes still to try
    std::string last_error_;
    LineFramer framer_;
    std::string out_;
    std::size_t out_off_ = 0;
    std::size_t bad_lines_ = 0;
    bool overflow_ = false;
};

// How long to wait before reconnect attempt `attempt` (0 = the first after a loss): 250 ms
// doubling up to 8 s, with `jitter` (0..1) spreading it by up to a fifth so a server restart is
// not met by every client at the same instant.
std::uint64_t reconnect_delay_ms(int attempt, double jitter);

}  // namespace natter::tui
