// The load generator: N natter clients over loopback, one thread, non-blocking sockets, one
// epoll. It logs them in (many logins in flight), reads and discards everything every connection
// receives (natterd's presence notices included: a client that stops reading gets dropped), and
// sends stamped says, paced or flat out. Receivers count deliveries and record latency from the
// send stamp in the text (see wire_scan.h for why no JSON decoder runs on this path).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bench/histogram.h"

namespace natter::bench {

struct GeneratorConfig {
    std::uint16_t port = 0;
    int clients = 0;
    int in_flight = 500;          // logins under way at once during the ramp-up
    std::string nick_prefix = "nb";
    std::size_t text_bytes = 64;  // length of every chat text sent (stamp + padding)
};

// Everything counted, over the generator's whole life.
struct Counters {
    std::uint64_t connect_failed = 0;  // the TCP connect itself failed
    std::uint64_t login_failed = 0;    // refused with an error, or closed before the users list
    std::uint64_t ready = 0;           // welcome and the last users chunk received
    std::uint64_t dropped = 0;         // closed by the server after being ready
    std::uint64_t bytes_in = 0, lines_in = 0;
    std::uint64_t joined = 0, left = 0, users_lines = 0;
    std::uint64_t presence_bytes = 0;  // bytes of joined, left and users lines
    std::uint64_t errors = 0, pings = 0, byes = 0, other_lines = 0;
    std::uint64_t sent = 0;             // stamped says queued on a sender's socket
    std::uint64_t delivered_echo = 0;   // stamped messages a sender got back for itself
    std::uint64_t delivered_other = 0;  // stamped messages received by anyone else
    std::uint64_t unstamped_messages = 0;
    std::uint64_t late_sends = 0;       // paced says sent more than 1 ms behind their schedule
    std::uint64_t last_delivery_ns = 0; // when the latest stamped message arrived
    std::map<std::string, std::uint64_t> error_codes;

    std::uint64_t delivered() const { return delivered_echo + delivered_other; }
};

class Generator {
public:
    explicit Generator(GeneratorConfig config);
    ~Generator();  // resets every connection (no TIME_WAIT left behind)
    Generator(const Generator&) = delete;
    Generator& operator=(const Generator&) = delete;

    // Connects and logs in every client, at most in_flight at once, reading everything all along.
    // Returns when each one is ready or has failed, or at the deadline (CLOCK_MONOTONIC ns).
    void ramp_up(std::uint64_t deadline_ns);
    // When the last client became ready (0 if none).
    std::uint64_t last_ready_ns() const { return last_ready_ns_; }

    // Keeps reading until nothing has arrived for quiet_ns, or the deadline.
    void settle(std::uint64_t quiet_ns, std::uint64_t deadline_ns);
    // Keeps reading (and answering pings) until the deadline.
    void pump_until(std::uint64_t deadline_ns);

    // Clients 0..senders-1 each send `rate` says per second, evenly staggered, for duration_ns.
    void run_paced(int senders, double rate, std::uint64_t duration_ns);
    // Clients 0..senders-1 send as fast as the server takes them, each with at most `window`
    // says not yet echoed back to it, for duration_ns. Returns the deliveries counted inside the
    // window (the rate's numerator; the drain afterwards is not part of it).
    std::uint64_t run_saturate(int senders, int window, std::uint64_t duration_ns);
    // Keeps reading until `expected` stamped deliveries have arrived, nothing has arrived for
    // quiet_ns, or the deadline.
    void drain(std::uint64_t expected, std::uint64_t quiet_ns, std::uint64_t deadline_ns);

    // For client-burst: queues a say with this exact text on client i's connection.
    void queue_say(std::size_t i, const std::string& text);
    // Calls on_readable(now) whenever fd is readable, from inside the loop (another program's pty).
    void watch(int fd, std::function<void(std::uint64_t now)> on_readable);
    void unwatch();
    // One turn of the loop: waits up to wait_ns for events and handles them.
    void pump(std::uint64_t wait_ns);

    const Counters& counters() const { return counters_; }
    const Histogram& latency() const { return latency_; }  // ns, send stamp to receipt
    int open_clients() const { return open_; }
    std::uint64_t bytes_queued() const;  // says written by us but not yet taken by the kernel

private:
    enum class State : std::uint8_t { Idle, Connecting, LoggingIn, Welcomed, Ready, Closed };
    struct Conn {
        int fd = -1;
        State state = State::Idle;
        bool want_out = false;  // EPOLLOUT registered
        std::string partial;    // an unfinished line from the last read
        std::string out;        // bytes not yet taken by the kernel
        std::size_t out_off = 0;
        std::uint64_t seq = 0, echoes = 0;  // senders only
        std::uint64_t next_due_ns = 0;
    };

    void start_connect(std::size_t i);
    void start_more();
    void on_event(std::size_t i, std::uint32_t events);
    void on_connected(Conn& c, std::size_t i);
    void read_from(Conn& c, std::size_t i);
    void on_line(Conn& c, std::size_t i, std::string_view line, std::uint64_t now);
    void queue(Conn& c, std::size_t i, std::string_view bytes);
    void flush(Conn& c, std::size_t i);
    void set_want_out(Conn& c, std::size_t i, bool want);
    void close_conn(Conn& c, bool by_server);
    void send_say(Conn& c, std::size_t i, std::uint64_t now);

    GeneratorConfig config_;
    int epfd_ = -1;
    std::vector<Conn> conns_;
    std::vector<char> rbuf_;
    std::size_t next_start_ = 0;
    int in_progress_ = 0;  // connecting or logging in
    int open_ = 0;
    std::uint64_t last_ready_ns_ = 0;
    std::uint64_t last_rx_ns_ = 0;
    Counters counters_;
    Histogram latency_;
    int watched_fd_ = -1;
    std::function<void(std::uint64_t)> on_watched_;
};

}  // namespace natter::bench
