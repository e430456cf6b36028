// client-burst: a real natter client in a pseudo-terminal, logged in to a fresh natterd, receives
// a burst of says from a second connection. natter-bench reads everything the client draws and
// times how long after the last message reached the client the last message's marker appears on
// the terminal; it also reads the client's CPU time and RSS, then keeps sending up to
// rss_messages to see whether the client's memory stays flat (its scrollback is capped).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "bench/scenarios.h"

namespace natter::bench {

struct BurstOptions {
    std::string natter;               // the client binary
    std::string natterd;              // the server binary
    std::vector<std::string> natterd_args;
    int messages = 10000;             // the timed burst
    int rss_messages = 100000;        // total sent while watching the client's RSS (0: skip)
    int cols = 120, rows = 40;        // the pseudo-terminal's size
    double timeout_s = 60;            // give up waiting for the client after this long
};

struct BurstResult {
    bool ran = false;
    std::string why_not;              // when !ran
    int messages = 0;
    bool drawn = false;               // the last marker appeared on the terminal
    double draw_after_arrival_s = -1; // last message at a probe connection -> marker drawn
    double burst_send_s = 0;          // how long sending the burst took
    double client_cpu_s = -1;         // the client's CPU during the burst and its drawing
    long rss_before_kib = -1, rss_after_burst_kib = -1;
    double idle_cpu_ms = -1;          // the client's CPU over idle_window_s once drawn
    double idle_window_s = 0;
    std::uint64_t terminal_bytes = 0; // what the client wrote to the terminal during the burst
    std::vector<std::pair<int, long>> rss_samples;  // (messages sent so far, client RSS KiB)
};

BurstResult run_client_burst(const BurstOptions& b, const Options& o);
void print_burst(std::ostream& os, const BurstResult& r);

}  // namespace natter::bench
