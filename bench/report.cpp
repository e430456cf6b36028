#include "bench/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace natter::bench {

namespace {

void print_ramp(std::ostream& os, const Ramp& r) {
    os << "  clients:            " << r.clients << " (" << r.ready << " ready, " << r.failed << " failed)\n"
       << "  all ready after:    " << (r.complete ? fmt(r.seconds, 3) + " s" : "NOT all ready within " + fmt(r.seconds) + " s") << "\n"
       << "  presence received:  " << fmt(r.joined) << " joined notices, " << fmt(r.users_lines)
       << " users chunks, " << fmt(static_cast<double>(r.presence_bytes) / 1048576.0, 1) << " MiB\n"
       << "  ramp-up CPU:        server " << (r.server_cpu_s < 0 ? std::string("?") : fmt(r.server_cpu_s, 2) + " s")
       << ", natter-bench " << fmt(r.generator_cpu_s, 2) << " s, everything else "
       << (r.other_cpu_pct < 0 ? std::string("?") : fmt(r.other_cpu_pct) + "% of a core") << "\n";
    for (const auto& [code, n] : r.error_codes) os << "  error received:     " << code << " x " << n << "\n";
}

}  // namespace

void print_idle(std::ostream& os, const IdleResult& r) {
    os << "idle\n";
    print_ramp(os, r.ramp);
    os << "  server RSS:         " << fmt(static_cast<double>(r.rss_before_kib)) << " KiB before, "
       << fmt(static_cast<double>(r.rss_after_kib)) << " KiB after\n"
       << "  per client:         " << fmt(r.bytes_per_client) << " bytes\n"
       << "  idle server CPU:    " << fmt(r.idle_cpu_ms, 1) << " ms over " << fmt(r.idle_window_s, 1) << " s\n"
       << "  pings answered:     " << r.pings << "\n";
}

void print_traffic(std::ostream& os, const char* mode, const TrafficResult& r) {
    os << mode << "\n";
    print_ramp(os, r.ramp);
    os << "  senders:            " << r.senders << " x "
       << (r.rate > 0 ? fmt(r.rate, 1) + " msg/s" : std::string("as fast as taken")) << " for "
       << fmt(r.duration_s, 1) << " s\n"
       << "  receivers:          " << r.receivers << " (every ready client; a sender receives its own echo)\n"
       << "  sent:               " << fmt(static_cast<double>(r.sent)) << " says\n"
       << "  deliveries:         " << fmt(static_cast<double>(r.delivered)) << " of "
       << fmt(static_cast<double>(r.expected)) << " expected (sent x receivers); lost "
       << r.lost << "\n"
       << "  deliveries/s:       " << fmt(r.deliveries_per_s) << "\n"
       << "  latency:            p50 " << fmt(r.p50_ms, 2) << " ms, p99 " << fmt(r.p99_ms, 2)
       << " ms, max " << fmt(r.max_ms, 2) << " ms\n"
       << "  server CPU:         " << (r.server_cpu_s < 0 ? std::string("?") : fmt(r.server_cpu_s, 3) + " s")
       << ", " << (r.cpu_us_per_delivery < 0 ? std::string("?") : fmt(r.cpu_us_per_delivery, 3))
       << " us per delivery\n"
       << "  natter-bench CPU:   " << fmt(r.generator_cpu_pct, 0) << "% of a core; everything else "
       << (r.other_cpu_pct < 0 ? std::string("?") : fmt(r.other_cpu_pct) + "%") << "\n"
       << "  clients dropped:    " << r.dropped << ", errors " << r.errors << ", late paced sends "
       << r.late_sends << "\n"
       << "  server RSS after:   " << fmt(static_cast<double>(r.rss_after_kib)) << " KiB\n";
}

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::string fmt(double v, int decimals) {
    if (std::isnan(v)) return "n/a";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
    std::string digits(buf);
    const std::size_t dot = digits.find('.');
    std::string whole = digits.substr(0, dot), frac = dot == std::string::npos ? "" : digits.substr(dot);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (v < 0 && std::stod(buf) != 0 ? "-" : "") + grouped + frac;
}

}  // namespace natter::bench
