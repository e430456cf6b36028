#include "bench/scenarios.h"

#include <algorithm>
#include <optional>

#include "bench/generator.h"
#include "bench/proc_stats.h"

namespace natter::bench {

namespace {

constexpr std::uint64_t kSec = 1000000000ull;
constexpr std::uint64_t kMs = 1000000ull;

std::uint64_t secs(double s) { return static_cast<std::uint64_t>(s * 1e9); }

std::optional<std::uint64_t> server_cpu(const Target& t) {
    if (t.pid <= 0) return std::nullopt;
    return process_cpu_ns(t.pid);
}

double cpu_delta_s(const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
    if (!a || !b) return -1;
    return static_cast<double>(*b - *a) / 1e9;
}

// The share of a core used by everything but the server and natter-bench between two points.
double other_cpu_pct(std::uint64_t busy0, std::uint64_t busy1, double server_s, std::uint64_t self_ns,
                     std::uint64_t wall_ns) {
    if (server_s < 0 || wall_ns == 0) return -1;
    const double other = static_cast<double>(busy1 - busy0) - server_s * 1e9 - static_cast<double>(self_ns);
    return std::max(0.0, 100.0 * other / static_cast<double>(wall_ns));
}

long rss(const Target& t) {
    if (t.pid <= 0) return -1;
    return process_rss_kib(t.pid).value_or(-1);
}

GeneratorConfig config_for(const Target& t, int clients, const Options& o) {
    GeneratorConfig c;
    c.port = t.port;
    c.clients = clients;
    c.in_flight = o.in_flight;
    c.text_bytes = o.text_bytes;
    return c;
}

// Connects and logs in every client, then waits until the presence traffic has died down.
Ramp ramp_up(Generator& g, const Target& t, int clients, const Options& o) {
    Ramp r;
    r.clients = clients;
    const auto cpu0 = server_cpu(t);
    const std::uint64_t self0 = self_cpu_ns(), busy0 = machine_busy_ns();
    const std::uint64_t t0 = now_ns();
    g.ramp_up(t0 + secs(o.ramp_timeout_s));
    const Counters& c = g.counters();
    r.ready = c.ready;
    r.failed = c.connect_failed + c.login_failed;
    r.complete = c.ready == static_cast<std::uint64_t>(clients);
    r.seconds = r.complete ? static_cast<double>(g.last_ready_ns() - t0) / 1e9 : o.ramp_timeout_s;
    // Notices for the last logins may still be on their way; they belong to the ramp-up's cost.
    g.settle(300 * kMs, now_ns() + 30 * kSec);
    r.server_cpu_s = cpu_delta_s(cpu0, server_cpu(t));
    r.generator_cpu_s = static_cast<double>(self_cpu_ns() - self0) / 1e9;
    r.other_cpu_pct = other_cpu_pct(busy0, machine_busy_ns(), r.server_cpu_s, self_cpu_ns() - self0, now_ns() - t0);
    r.joined = c.joined;
    r.users_lines = c.users_lines;
    r.presence_bytes = c.presence_bytes;
    r.error_codes = c.error_codes;
    return r;
}

// Sends (paced or saturating), drains, and fills in everything but the ramp-up.
template <class Send>
TrafficResult measure_traffic(Generator& g, const Target& t, const Options& o, Send send) {
    TrafficResult r;
    const Counters& c = g.counters();
    r.receivers = c.ready - c.dropped;
    const auto cpu0 = server_cpu(t);
    const std::uint64_t self0 = self_cpu_ns(), t0 = now_ns(), busy0 = machine_busy_ns();
    const std::uint64_t delivered0 = c.delivered(), errors0 = c.errors;
    r.delivered_in_window = send();
    r.sent = c.sent;
    r.expected = r.sent * r.receivers;
    g.drain(delivered0 + r.expected, 2 * kSec, now_ns() + secs(o.drain_timeout_s));
    const std::uint64_t t1 = now_ns();
    r.server_cpu_s = cpu_delta_s(cpu0, server_cpu(t));
    r.generator_cpu_pct = 100.0 * static_cast<double>(self_cpu_ns() - self0) / static_cast<double>(t1 - t0);
    r.other_cpu_pct = other_cpu_pct(busy0, machine_busy_ns(), r.server_cpu_s, self_cpu_ns() - self0, t1 - t0);
    r.delivered = c.delivered() - delivered0;
    r.lost = static_cast<std::int64_t>(r.expected) - static_cast<std::int64_t>(r.delivered);
    const Histogram& h = g.latency();
    r.p50_ms = static_cast<double>(h.percentile(0.50)) / 1e6;
    r.p99_ms = static_cast<double>(h.percentile(0.99)) / 1e6;
    r.max_ms = static_cast<double>(h.max()) / 1e6;
    if (r.server_cpu_s >= 0 && r.delivered > 0)
        r.cpu_us_per_delivery = r.server_cpu_s * 1e6 / static_cast<double>(r.delivered);
    r.dropped = c.dropped;
    r.errors = c.errors - errors0;
    r.late_sends = c.late_sends;
    r.error_codes = c.error_codes;
    r.rss_after_kib = rss(t);
    return r;
}

}  // namespace

IdleResult run_idle(const Target& t, int clients, const Options& o) {
    IdleResult r;
    r.rss_before_kib = rss(t);
    Generator g(config_for(t, clients, o));
    r.ramp = ramp_up(g, t, clients, o);
    r.rss_after_kib = rss(t);
    if (r.rss_before_kib >= 0 && r.rss_after_kib >= 0 && r.ramp.ready > 0)
        r.bytes_per_client = static_cast<double>(r.rss_after_kib - r.rss_before_kib) * 1024.0 /
                             static_cast<double>(r.ramp.ready);
    r.idle_window_s = o.idle_window_s;
    const auto cpu0 = server_cpu(t);
    g.pump_until(now_ns() + secs(o.idle_window_s));
    const double idle_s = cpu_delta_s(cpu0, server_cpu(t));
    r.idle_cpu_ms = idle_s < 0 ? -1 : idle_s * 1e3;
    r.pings = g.counters().pings;
    return r;
}

TrafficResult run_fanout(const Target& t, int clients, int senders, double rate, double seconds,
                         const Options& o) {
    Generator g(config_for(t, clients, o));
    const Ramp ramp = ramp_up(g, t, clients, o);
    TrafficResult r = measure_traffic(g, t, o, [&] {
        g.run_paced(senders, rate, secs(seconds));
        return std::uint64_t{0};
    });
    r.ramp = ramp;
    r.senders = senders;
    r.rate = rate;
    r.duration_s = seconds;
    r.delivered_in_window = r.delivered;
    r.deliveries_per_s = static_cast<double>(r.delivered) / seconds;
    return r;
}

TrafficResult run_saturate(const Target& t, int clients, int senders, double seconds, const Options& o) {
    Generator g(config_for(t, clients, o));
    const Ramp ramp = ramp_up(g, t, clients, o);
    TrafficResult r = measure_traffic(g, t, o, [&] { return g.run_saturate(senders, o.window, secs(seconds)); });
    r.ramp = ramp;
    r.senders = senders;
    r.duration_s = seconds;
    r.deliveries_per_s = static_cast<double>(r.delivered_in_window) / seconds;
    return r;
}

}  // namespace natter::bench
