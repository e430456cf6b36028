// What every hostile-client test checks besides its own attack: two ordinary clients keep
// chatting throughout with low latency (measured, and bounded generously), natterd stays alive,
// and its memory and descriptors stay bounded. Plus raw-socket helpers for attackers that are
// not WireClients (thousands of them, half-written lines, resets).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server_test_util.h"

namespace natter::itest {

// Round trips of the bystanders' chat: from a say to its arrival at the other client.
struct RoundTrips {
    int count = 0;        // delivered in time
    int late = 0;         // not delivered within the bound (lost or slow)
    double median_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
};

// Two logged-in clients ("ann" and "ben") taking turns to say something to each other from a
// thread of their own, every `gap`, answering natterd's pings, while the test attacks natterd
// from the main thread; and once more when stopped, after the attack. Also samples natterd's RSS
// each turn.
class Bystanders {
public:
    static constexpr std::chrono::milliseconds kBound{2000};  // "delivered within 2 s"

    Bystanders(NatterdProcess& natterd, std::chrono::milliseconds gap = std::chrono::milliseconds(250));
    ~Bystanders();  // stops the thread
    Bystanders(const Bystanders&) = delete;
    Bystanders& operator=(const Bystanders&) = delete;

    // Stops chatting and returns the figures (call once; later calls return the same).
    RoundTrips stop();
    long peak_rss_kib() const { return peak_rss_kib_; }
    // Everything either bystander received, for checks on what natterd relays.
    std::vector<Message> received();

private:
    void run();
    // One say from one to the other (turn decides who), timed; counts as late if it or the
    // sender's echo does not arrive within kBound.
    void round_trip(int turn);
    // Receives on `c` until `until`, answering pings and keeping every message; true when
    // `want` (a say's text) arrived.
    bool pump(WireClient& c, std::chrono::steady_clock::time_point until, const std::string& want);

    NatterdProcess& natterd_;
    std::chrono::milliseconds gap_;
    std::unique_ptr<WireClient> ann_, ben_;
    std::atomic<bool> stop_{false};
    std::atomic<long> peak_rss_kib_{0};
    std::thread thread_;
    int turn_ = 0;
    bool stopped_ = false;
    RoundTrips figures_;
    std::vector<double> samples_ms_;
    std::mutex received_mu_;
    std::vector<Message> received_;
};

// True in a sanitizer build (the tests and natterd are built alike).
bool sanitized_build();

// A memory bound for natterd's RSS growth: `kib` normally; sanitizer builds keep up to 256 MiB of
// freed memory in quarantine and shadow every byte, so there the bound is that much looser.
long rss_bound_kib(long kib);

// Descriptors natterd has open, from /proc/PID/fd (-1 if unreadable).
long open_fds(pid_t pid);

// The checks every case ends with: natterd alive, the bystanders' chat on time, RSS growth since
// `rss_before` within `rss_growth_kib`. Prints the figures on one line for docs/ROBUSTNESS.md.
void expect_unharmed(NatterdProcess& natterd, const RoundTrips& trips, long rss_before, long rss_peak,
                     long rss_growth_kib, const std::string& case_name, const std::string& extra = "");

// ---- raw sockets ----
// A blocking-connect TCP socket to 127.0.0.1:port, left non-blocking; -1 on failure (refused,
// timed out after 3 s, out of descriptors).
int connect_raw(std::uint16_t port);
// Sends what the socket takes now without waiting; the bytes sent, or -1 once the peer is gone.
long send_some(int fd, const char* data, std::size_t size);
// Closes with a reset (SO_LINGER 0) instead of a FIN: what a crashing client looks like.
void close_with_reset(int fd);
// Reads what is there without waiting, appending to `into`; false once the peer has closed.
bool read_some(int fd, std::string& into);

}  // namespace natter::itest
