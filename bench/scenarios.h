// The measured scenarios of natter-bench (issue 4): idle, fanout and saturate, each against a
// server already listening, each bounded in time. A scenario returns a plain result; printing
// and tabulating are separate (report.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace natter::bench {

struct Target {
    std::uint16_t port = 0;
    pid_t pid = 0;  // for CPU and RSS from /proc; 0 when unknown (those figures are then absent)
};

struct Options {
    int in_flight = 500;                // logins in flight during the ramp-up
    std::size_t text_bytes = 64;        // chat text length
    int window = 1024;                  // saturate: says in flight per sender
    double ramp_timeout_s = 60;         // give up on the ramp-up after this long
    double idle_window_s = 3;           // idle: how long natterd's idle CPU is watched
    double drain_timeout_s = 10;        // after sending: how long deliveries may still come
};

// What the ramp-up (connect + log in N clients) took and received, shared by every scenario.
struct Ramp {
    int clients = 0;
    std::uint64_t ready = 0, failed = 0;
    double seconds = 0;          // until the last became ready (or the timeout)
    bool complete = false;       // every client ready
    std::uint64_t joined = 0, users_lines = 0, presence_bytes = 0;
    double server_cpu_s = -1;    // natterd CPU during the ramp-up (-1: unknown)
    double generator_cpu_s = 0;
    double other_cpu_pct = -1;   // what else ran meanwhile, in % of one core (noise indicator)
    std::map<std::string, std::uint64_t> error_codes;
};

struct IdleResult {
    Ramp ramp;
    long rss_before_kib = -1, rss_after_kib = -1;
    double bytes_per_client = -1;
    double idle_window_s = 0;
    double idle_cpu_ms = -1;     // natterd CPU over the idle window
    std::uint64_t pings = 0;     // pings answered during the whole run
};

// fanout and saturate.
struct TrafficResult {
    Ramp ramp;
    int senders = 0;
    double rate = 0;             // says/s per sender (0: as fast as the server takes them)
    double duration_s = 0;
    std::uint64_t receivers = 0; // ready clients when sending started (senders included)
    std::uint64_t sent = 0, expected = 0, delivered = 0, delivered_in_window = 0;
    std::int64_t lost = 0;       // expected - delivered
    double deliveries_per_s = 0; // fanout: delivered / duration; saturate: inside the window only
    double p50_ms = 0, p99_ms = 0, max_ms = 0;
    double server_cpu_s = -1, cpu_us_per_delivery = -1;
    double generator_cpu_pct = 0;  // of one core, over sending + drain
    double other_cpu_pct = -1;     // what else ran meanwhile, in % of one core (noise indicator)
    std::uint64_t dropped = 0, errors = 0, late_sends = 0;
    long rss_after_kib = -1;
    std::map<std::string, std::uint64_t> error_codes;
};

IdleResult run_idle(const Target& t, int clients, const Options& o);
TrafficResult run_fanout(const Target& t, int clients, int senders, double rate, double seconds,
                         const Options& o);
TrafficResult run_saturate(const Target& t, int clients, int senders, double seconds, const Options& o);

}  // namespace natter::bench
