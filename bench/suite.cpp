#include "bench/suite.h"

#include <sched.h>
#include <unistd.h>

#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "bench/client_burst.h"
#include "bench/proc_stats.h"
#include "bench/report.h"
#include "bench/server_process.h"

namespace natter::bench {

namespace {

constexpr const char* kBegin = "<!-- natter-bench:begin (written by `make bench`; edits here are lost) -->";
constexpr const char* kEnd = "<!-- natter-bench:end -->";

// A standard scenario from the table.
struct Scenario {
    std::string name;   // for --only
    std::string kind;   // idle, fanout, saturate, burst
    int clients = 0, senders = 0;
    double rate = 0, seconds = 0;
    // Not a target of the issue but a measured design question: natterd alone, once, with extra
    // options (the presence scenario turns natterd's presence limit off).
    std::vector<std::string> natterd_only_args = {};
};

constexpr const char* kNoPresenceLimit = "10000000";  // natterd's largest --presence-limit

struct ServerKind {
    std::string name;   // "natterd", "bare loop"
    std::vector<std::string> argv;
};

// Every repetition of one scenario against one server.
struct Runs {
    std::vector<IdleResult> idle;
    std::vector<TrafficResult> traffic;
    std::vector<BurstResult> burst;
    std::vector<std::string> problems;  // failed starts, servers that died, incomplete ramps
};

std::vector<Scenario> standard_scenarios(bool quick) {
    // D = 5 s keeps the whole suite to a few minutes (see docs/PERFORMANCE.md).
    if (quick)
        return {{"idle", "idle", 500, 0, 0, 0},       {"fanout5", "fanout", 50, 5, 5, 1},
                {"fanout50", "fanout", 50, 5, 50, 1}, {"fanout2000", "fanout", 200, 5, 20, 1},
                {"saturate", "saturate", 50, 4, 0, 1}, {"burst", "burst", 0, 0, 0, 0},
                {"presence", "idle", 500, 0, 0, 0, {"--presence-limit", kNoPresenceLimit}},
                {"nohistory", "fanout", 50, 5, 50, 1, {"--no-history"}}};
    return {{"idle", "idle", 10000, 0, 0, 0},        {"fanout5", "fanout", 500, 10, 5, 5},
            {"fanout50", "fanout", 500, 10, 50, 5},  {"fanout2000", "fanout", 2000, 5, 20, 5},
            {"saturate", "saturate", 200, 4, 0, 5},  {"burst", "burst", 0, 0, 0, 0},
            {"presence", "idle", 10000, 0, 0, 0, {"--presence-limit", kNoPresenceLimit}},
            {"nohistory", "fanout", 500, 10, 50, 5, {"--no-history"}}};
}

bool selected(const std::string& only, const std::string& name) {
    if (only.empty()) return true;
    std::stringstream ss(only);
    std::string item;
    while (std::getline(ss, item, ','))
        if (item == name) return true;
    return false;
}

template <class R, class F>
double med(const std::vector<R>& runs, F field) {
    std::vector<double> v;
    for (const R& r : runs) {
        const double x = field(r);
        if (!std::isnan(x)) v.push_back(x);
    }
    return median(v);
}

std::string or_dash(double v, int decimals, const std::string& unit = "") {
    if (std::isnan(v) || v < 0) return "–";
    return fmt(v, decimals) + unit;
}

std::string verdict(bool met, const std::string& by) { return met ? "met" : "**missed** (" + by + ")"; }

double ratio(double a, double b) { return b > 0 ? a / b : std::nan(""); }

std::string now_text() {
    char buf[64];
    const std::time_t t = std::time(nullptr);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    return buf;
}

// The first line a shell command prints, or "" (for git's view of the checkout).
std::string first_line_of(const char* cmd) {
    FILE* p = popen(cmd, "r");
    if (!p) return "";
    char buf[256] = {0};
    const bool got = std::fgets(buf, sizeof buf, p) != nullptr;
    pclose(p);
    std::string s = got ? buf : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// The commit measured: HEAD, and whether tracked files differ from it (uncommitted work is
// measured too, and the report must say so).
std::string git_commit() {
    std::string c = first_line_of("git rev-parse --short HEAD 2>/dev/null");
    if (c.empty()) return "unknown";
    const std::string dirty = first_line_of("git status --porcelain --untracked-files=no 2>/dev/null | wc -l");
    if (!dirty.empty() && dirty != "0") c += " plus uncommitted changes in " + dirty + " files";
    return c;
}

class Suite {
public:
    Suite(const SuiteOptions& s, const Options& o) : s_(s), o_(o) {
        if (s.quick) wait_budget_ns_ = 0;  // a smoke run measures nothing worth waiting for
        // The scenarios' senders are bots sending 5 to 50 says a second or flat out: far past
        // natterd's per-client flood limit for people (3/s), so the limit is off, as for the peers.
        // History is on, as shipped (ServerProcess gives each run a fresh data directory).
        servers_.push_back({"natterd", {s.build_dir + "/natterd", "--port", "0", "--no-flood-limit"}});
        for (const auto& a : s.natterd_args) servers_[0].argv.push_back(a);
        servers_.push_back({"bare loop", {s.build_dir + "/natter-bare-loop", "--port", "0"}});
    }

    int run() {
        load_before_ = load_average();
        commit_ = s_.commit.empty() ? git_commit() : s_.commit;  // before the runs: HEAD may move meanwhile
        if (s_.pin) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(0, &set);
            sched_setaffinity(0, sizeof set, &set);
        }
        for (const Scenario& sc : standard_scenarios(s_.quick)) {
            if (!selected(s_.only, sc.name)) continue;
            scenarios_.push_back(sc);
            if (sc.kind == "burst") {
                run_burst(sc);
                continue;
            }
            if (!sc.natterd_only_args.empty()) {
                ServerKind natterd = servers_[0];
                natterd.argv.insert(natterd.argv.end(), sc.natterd_only_args.begin(), sc.natterd_only_args.end());
                run_one(sc, natterd, 1);
                continue;
            }
            for (const ServerKind& server : servers_)
                for (int rep = 1; rep <= s_.reps; ++rep) run_one(sc, server, rep);
        }
        load_after_ = load_average();
        const std::string table = render();
        std::cout << "\n" << table;
        if (!s_.out.empty()) write_doc(table);
        return 0;
    }

private:
    void progress(const std::string& line) { std::cerr << "natter-bench: " << line << std::endl; }

    // Other engineers' builds share this machine. Before a run, wait (within a budget for the whole
    // suite) until the rest of the machine has used under a quarter of a core for half a second.
    void wait_for_quiet() {
        const std::uint64_t start = now_ns();
        bool announced = false;
        while (wait_budget_ns_ > 0) {
            const std::uint64_t busy0 = machine_busy_ns(), t0 = now_ns();
            usleep(500000);
            const std::uint64_t waited = now_ns() - t0;
            const double pct = 100.0 * static_cast<double>(machine_busy_ns() - busy0) / static_cast<double>(waited);
            wait_budget_ns_ -= std::min(wait_budget_ns_, waited);
            if (pct < 25) break;
            if (!announced) progress("waiting for other work on the machine to finish (" + fmt(pct) + "% of a core busy)");
            announced = true;
        }
        waited_ns_ += now_ns() - start;
    }

    void run_one(const Scenario& sc, const ServerKind& server, int rep) {
        Runs& runs = results_[sc.name][server.name];
        const std::string label = sc.name + " / " + server.name + " / run " + std::to_string(rep);
        wait_for_quiet();
        progress(label + " ...");
        try {
            ServerProcess p(server.argv, s_.pin ? 1 : -1);
            const Target t{p.port(), p.pid()};
            std::string summary;
            if (sc.kind == "idle") {
                runs.idle.push_back(run_idle(t, sc.clients, o_));
                const IdleResult& r = runs.idle.back();
                if (!r.ramp.complete)
                    runs.problems.push_back(label + ": only " + std::to_string(r.ramp.ready) + " of " +
                                            std::to_string(sc.clients) + " ready within " +
                                            fmt(o_.ramp_timeout_s) + " s");
                summary = "ready in " + fmt(r.ramp.seconds, 2) + " s, " + fmt(r.bytes_per_client) +
                          " B/client, idle CPU " + fmt(r.idle_cpu_ms, 1) + " ms";
            } else {
                runs.traffic.push_back(sc.kind == "fanout"
                                           ? run_fanout(t, sc.clients, sc.senders, sc.rate, sc.seconds, o_)
                                           : run_saturate(t, sc.clients, sc.senders, sc.seconds, o_));
                const TrafficResult& r = runs.traffic.back();
                if (!r.ramp.complete)
                    runs.problems.push_back(label + ": only " + std::to_string(r.ramp.ready) + " of " +
                                            std::to_string(sc.clients) + " clients logged in");
                if (r.dropped > 0)
                    runs.problems.push_back(label + ": " + std::to_string(r.dropped) + " clients dropped");
                summary = fmt(r.deliveries_per_s) + " deliveries/s, p99 " + fmt(r.p99_ms, 2) + " ms, lost " +
                          std::to_string(r.lost) + ", natter-bench CPU " + fmt(r.generator_cpu_pct) + "%";
            }
            if (!p.alive())
                runs.problems.push_back(label + ": the server exited during the run: " + p.log_tail(600));
            progress(label + ": " + summary);
        } catch (const std::exception& e) {
            runs.problems.push_back(label + ": " + e.what());
            progress(label + " FAILED: " + e.what());
        }
    }

    void run_burst(const Scenario& sc) {
        Runs& runs = results_[sc.name]["natterd"];
        BurstOptions b;
        b.natter = s_.build_dir + "/natter";
        b.natterd = s_.build_dir + "/natterd";
        b.natterd_args = s_.natterd_args;
        if (s_.quick) {
            b.messages = 1000;
            b.rss_messages = 5000;
        }
        for (int rep = 1; rep <= s_.reps; ++rep) {
            const std::string label = "client-burst / run " + std::to_string(rep);
            wait_for_quiet();
            progress(label + " ...");
            try {
                // The RSS watch (100,000 messages) runs once; it is a flatness check, not a timing.
                BurstOptions this_rep = b;
                if (rep > 1) this_rep.rss_messages = 0;
                runs.burst.push_back(run_client_burst(this_rep, o_));
                const BurstResult& r = runs.burst.back();
                if (!r.ran) {
                    runs.problems.push_back(label + ": " + r.why_not);
                    progress(label + ": not run: " + r.why_not);
                    return;
                }
                if (!r.drawn) runs.problems.push_back(label + ": the last message was never drawn");
                progress(label + ": drawn " + fmt(r.draw_after_arrival_s, 3) + " s after the last arrival, client CPU " +
                         fmt(r.client_cpu_s, 2) + " s, RSS " + fmt(static_cast<double>(r.rss_after_burst_kib)) + " KiB");
            } catch (const std::exception& e) {
                runs.problems.push_back(label + ": " + e.what());
                progress(label + " FAILED: " + e.what());
            }
        }
    }

    const Runs* runs_of(const std::string& scenario, const std::string& server) const {
        auto a = results_.find(scenario);
        if (a == results_.end()) return nullptr;
        auto b = a->second.find(server);
        return b == a->second.end() ? nullptr : &b->second;
    }

    double traffic_med(const std::string& sc, const std::string& server,
                       const std::function<double(const TrafficResult&)>& f) const {
        const Runs* r = runs_of(sc, server);
        return r ? med(r->traffic, f) : std::nan("");
    }
    double idle_med(const std::string& server, const std::function<double(const IdleResult&)>& f) const {
        const Runs* r = runs_of("idle", server);
        return r ? med(r->idle, f) : std::nan("");
    }

    bool has(const std::string& name) const {
        for (const auto& sc : scenarios_)
            if (sc.name == name) return true;
        return false;
    }
    const Scenario* scenario(const std::string& name) const {
        for (const auto& sc : scenarios_)
            if (sc.name == name) return &sc;
        return nullptr;
    }

    std::string render() const;
    void render_headline(std::ostream& os) const;
    void render_details(std::ostream& os) const;
    void write_doc(const std::string& table) const;

    SuiteOptions s_;
    Options o_;
    std::vector<ServerKind> servers_;
    std::vector<Scenario> scenarios_;
    std::map<std::string, std::map<std::string, Runs>> results_;
    double load_before_ = -1, load_after_ = -1;
    std::string commit_;
    std::uint64_t wait_budget_ns_ = 180ull * 1000000000ull;  // at most 3 minutes of waiting in all
    std::uint64_t waited_ns_ = 0;
};

void Suite::render_headline(std::ostream& os) const {
    const std::string N = "natterd", B = "bare loop";
    os << "| figure | natterd | bare loop | target | natterd vs target | ngIRCd 26 | InspIRCd 3.15 | peers' bare loop |\n"
       << "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: |\n";
    if (const Scenario* sc = scenario("idle")) {
        const double tn = idle_med(N, [](const IdleResult& r) { return r.ramp.seconds; });
        const double tb = idle_med(B, [](const IdleResult& r) { return r.ramp.seconds; });
        const double complete = idle_med(N, [](const IdleResult& r) { return r.ramp.complete ? 1.0 : 0.0; });
        os << "| " << fmt(sc->clients) << " clients connect + log in (" << o_.in_flight << " in flight) | "
           << or_dash(tn, 2, " s") << (complete < 1 ? " (incomplete)" : "") << " | " << or_dash(tb, 2, " s")
           << " | ≤ 3 s | " << (std::isnan(tn) ? "–" : verdict(tn <= 3 && complete >= 1, fmt(tn / 3, 1) + "× the target"))
           << " | 66 s | 12.6 s | 0.6 s |\n";
        const double mn = idle_med(N, [](const IdleResult& r) { return r.bytes_per_client / 1024; });
        const double mb = idle_med(B, [](const IdleResult& r) { return r.bytes_per_client / 1024; });
        os << "| natterd RSS per idle logged-in client | " << or_dash(mn, 2, " KiB") << " | "
           << or_dash(mb, 2, " KiB") << " | ≤ 2 KiB | "
           << (std::isnan(mn) ? "–" : verdict(mn <= 2, "by " + fmt(mn - 2, 2) + " KiB")) << " | 2.9 KB | 2.7 KB | 0.45 KB |\n";
        const double cn = idle_med(N, [](const IdleResult& r) { return r.idle_cpu_ms; });
        const double cb = idle_med(B, [](const IdleResult& r) { return r.idle_cpu_ms; });
        os << "| server CPU while " << fmt(sc->clients) << " clients idle (" << fmt(o_.idle_window_s, 0)
           << " s) | " << or_dash(cn, 1, " ms") << " | " << or_dash(cb, 1, " ms")
           << " | none (deadlines, not polling) | " << (std::isnan(cn) ? "–" : verdict(cn <= 10, fmt(cn, 1) + " ms"))
           << " | | | |\n";
    }
    if (const Scenario* sc = scenario("presence")) {
        const Runs* r = runs_of("presence", N);
        if (r && !r->idle.empty()) {
            const IdleResult& p = r->idle.front();
            os << "| design question: the same " << fmt(sc->clients) << " logins with presence told to everyone "
               << "(`--presence-limit " << kNoPresenceLimit << "`, one run) | "
               << (p.ramp.complete ? fmt(p.ramp.seconds, 2) + " s" : "incomplete after " + fmt(p.ramp.seconds) + " s")
               << "; " << fmt(static_cast<double>(p.ramp.presence_bytes) / 1048576.0) << " MiB of presence; "
               << fmt(p.bytes_per_client / 1024, 2) << " KiB RSS per client | | see *The presence storm* | | | | |\n";
        }
    }
    struct Peer { const char* name; const char* ng; const char* insp; const char* bare; };
    const std::map<std::string, Peer> peers = {{"fanout5", {"", "14.2 ms", "11.0 ms", "6.6 ms"}},
                                               {"fanout50", {"", "18.7 ms", "26.3 ms", "12.7 ms"}},
                                               {"fanout2000", {"", "68 ms", "74 ms", "56 ms"}}};
    for (const char* name : {"fanout5", "fanout50", "fanout2000"}) {
        const Scenario* sc = scenario(name);
        if (!sc) continue;
        const double pn = traffic_med(name, N, [](const TrafficResult& r) { return r.p99_ms; });
        const double pb = traffic_med(name, B, [](const TrafficResult& r) { return r.p99_ms; });
        const double ln = traffic_med(name, N, [](const TrafficResult& r) { return static_cast<double>(r.lost); });
        const double lb = traffic_med(name, B, [](const TrafficResult& r) { return static_cast<double>(r.lost); });
        const double dn = traffic_med(name, N, [](const TrafficResult& r) { return r.deliveries_per_s; });
        const Peer& peer = peers.at(name);
        std::string v = "–";
        if (!std::isnan(pn) && !std::isnan(pb)) {
            const bool met = pn <= 1.2 * pb && ln == 0;
            std::string by = fmt(ratio(pn, pb), 2) + "× the bare loop";
            if (ln != 0) by += ", " + fmt(ln) + " lost";
            v = verdict(met, by);
        }
        os << "| " << fmt(sc->clients) << " in one room, " << sc->senders << " senders × " << fmt(sc->rate)
           << " msg/s (" << fmt(dn) << " deliveries/s): p99 latency | " << or_dash(pn, 2, " ms") << " | "
           << or_dash(pb, 2, " ms") << " | ≤ 1.2× bare loop, zero loss | " << v << " | " << peer.ng << " | "
           << peer.insp << " | " << peer.bare << " |\n";
        os << "| ↳ lost deliveries (median) | " << or_dash(ln, 0) << " | " << or_dash(lb, 0) << " | 0 | | | | |\n";
    }
    if (const Scenario* sc = scenario("nohistory")) {
        const Runs* r = runs_of("nohistory", N);
        if (r && !r->traffic.empty()) {
            const TrafficResult& t = r->traffic.front();
            os << "| design question: " << fmt(sc->clients) << " in one room, " << sc->senders << " × " << fmt(sc->rate)
               << " msg/s with history off (`--no-history`, one run) | p99 " << fmt(t.p99_ms, 2) << " ms, "
               << fmt(t.cpu_us_per_delivery, 3) << " µs/delivery, lost " << t.lost
               << " | | the cost of storing history | | | | |\n";
        }
    }
    if (const Scenario* sc = scenario("saturate")) {
        const double dn = traffic_med("saturate", N, [](const TrafficResult& r) { return r.deliveries_per_s; });
        const double db = traffic_med("saturate", B, [](const TrafficResult& r) { return r.deliveries_per_s; });
        const double dropped = traffic_med("saturate", N, [](const TrafficResult& r) { return static_cast<double>(r.dropped); });
        const double pn = traffic_med("saturate", N, [](const TrafficResult& r) { return r.p99_ms; });
        const double pb = traffic_med("saturate", B, [](const TrafficResult& r) { return r.p99_ms; });
        std::string v = "–";
        if (!std::isnan(dn) && !std::isnan(db))
            v = verdict(dn >= 0.7 * db && dropped == 0,
                        fmt(100 * ratio(dn, db)) + "% of the bare loop" + (dropped > 0 ? ", clients dropped" : ""));
        os << "| " << fmt(sc->clients) << " in one room, " << sc->senders
           << " senders as fast as taken: deliveries/s | " << or_dash(dn, 0) << " | " << or_dash(db, 0)
           << " | ≥ 70% of bare loop, none dropped | " << v << " | 1.5 M | 1.4 M | 9-10 M |\n";
        os << "| ↳ p99 latency under saturation | " << or_dash(pn, 1, " ms") << " | " << or_dash(pb, 1, " ms")
           << " | bounded | | | | |\n";
        os << "| ↳ clients dropped (median) | " << or_dash(dropped, 0) << " | – | 0 | | | | |\n";
    }
    for (const auto& sc : scenarios_) {
        if ((sc.kind != "fanout" && sc.kind != "saturate") || !sc.natterd_only_args.empty()) continue;
        const double un = traffic_med(sc.name, N, [](const TrafficResult& r) { return r.cpu_us_per_delivery; });
        const double ub = traffic_med(sc.name, B, [](const TrafficResult& r) { return r.cpu_us_per_delivery; });
        os << "| server CPU µs per delivery, " << sc.name << " | " << or_dash(un, 3) << " | " << or_dash(ub, 3)
           << " | reported | " << (std::isnan(un) ? "–" : fmt(ratio(un, ub), 1) + "× the bare loop") << " | | | |\n";
    }
    if (scenario("burst")) {
        const Runs* r = runs_of("burst", N);
        const bool ran = r && !r->burst.empty() && r->burst.front().ran;
        if (!ran) {
            os << "| client: burst of 10,000 messages drawn after the last arrives | not run"
               << (r && !r->burst.empty() ? " (" + r->burst.front().why_not + ")" : std::string()) << " | | ≤ 1 s | – | | | |\n";
        } else {
            const double d = med(r->burst, [](const BurstResult& b) { return b.drawn ? b.draw_after_arrival_s : std::nan(""); });
            const double cpu = med(r->burst, [](const BurstResult& b) { return b.client_cpu_s; });
            const double rss = med(r->burst, [](const BurstResult& b) { return static_cast<double>(b.rss_after_burst_kib); });
            const double idle = med(r->burst, [](const BurstResult& b) { return b.idle_cpu_ms; });
            os << "| client: burst of " << fmt(r->burst.front().messages) << " messages, drawn after the last arrives | "
               << or_dash(d, 3, " s") << " | | ≤ 1 s | " << (std::isnan(d) ? "**missed** (never drawn)" : verdict(d <= 1, fmt(d, 2) + " s"))
               << " | | | |\n";
            os << "| ↳ client CPU for the burst; RSS after it | " << or_dash(cpu, 2, " s") << "; "
               << or_dash(rss, 0, " KiB") << " | | reported | | | | |\n";
            os << "| ↳ client CPU while idle (" << fmt(r->burst.front().idle_window_s, 0) << " s) | "
               << or_dash(idle, 1, " ms") << " | | 0% | " << (std::isnan(idle) ? "–" : verdict(idle <= 10, fmt(idle, 1) + " ms")) << " | | | |\n";
            const auto& samples = r->burst.front().rss_samples;
            if (!samples.empty()) {
                std::string series;
                for (const auto& [n, kib] : samples) series += (series.empty() ? "" : ", ") + fmt(n) + ": " + fmt(static_cast<double>(kib));
                const long first = samples.front().second, last = samples.back().second;
                const bool flat = last <= first + first / 10 + 1024;
                os << "| client RSS (KiB) by messages received | " << series << " | | flat (scrollback cap) | "
                   << verdict(flat, "grew " + fmt(static_cast<double>(last - first)) + " KiB") << " | | | |\n";
            }
        }
    }
}

void Suite::render_details(std::ostream& os) const {
    os << "| scenario | server | run | ready after | presence recv'd | deliveries/s | lost | p50 | p99 | max | server CPU | µs/delivery | natter-bench CPU | other load | dropped |\n"
       << "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& sc : scenarios_) {
        for (const auto& server : servers_) {
            const Runs* runs = runs_of(sc.name, server.name);
            if (!runs) continue;
            int k = 0;
            for (const IdleResult& r : runs->idle)
                os << "| " << sc.name << " " << fmt(sc.clients) << " | " << server.name << " | " << ++k << " | "
                   << fmt(r.ramp.seconds, 2) << " s | " << fmt(static_cast<double>(r.ramp.presence_bytes) / 1048576, 1)
                   << " MiB | RSS " << fmt(static_cast<double>(r.rss_before_kib)) << " → "
                   << fmt(static_cast<double>(r.rss_after_kib)) << " KiB | | | | | ramp "
                   << or_dash(r.ramp.server_cpu_s, 2, " s") << ", idle " << or_dash(r.idle_cpu_ms, 1, " ms")
                   << " | | ramp " << fmt(r.ramp.generator_cpu_s, 2) << " s | " << or_dash(r.ramp.other_cpu_pct, 0, "%")
                   << " | |\n";
            k = 0;
            for (const TrafficResult& r : runs->traffic)
                os << "| " << sc.name << " | " << server.name << " | " << ++k << " | " << fmt(r.ramp.seconds, 2)
                   << " s | " << fmt(static_cast<double>(r.ramp.presence_bytes) / 1048576, 1) << " MiB | "
                   << fmt(r.deliveries_per_s) << " | " << r.lost << " | " << fmt(r.p50_ms, 2) << " ms | "
                   << fmt(r.p99_ms, 2) << " ms | " << fmt(r.max_ms, 2) << " ms | " << or_dash(r.server_cpu_s, 2, " s")
                   << " | " << or_dash(r.cpu_us_per_delivery, 3) << " | " << fmt(r.generator_cpu_pct) << "% | "
                   << or_dash(r.other_cpu_pct, 0, "%") << " | " << r.dropped << " |\n";
        }
    }
}

std::string Suite::render() const {
    std::ostringstream os;
    os << "Measured " << now_text() << " at commit " << commit_ << " by `make bench`"
       << (s_.quick ? " **--quick (a smoke run: small N, 1 s durations; not a measurement)**" : "") << ".\n\n"
       << "Machine: " << machine_description() << ".\n\n"
       << "Medians of " << s_.reps << " runs, each on a freshly started server; natter-bench, natterd and the bare loop "
       << "share the machine" << (s_.pin ? " (servers pinned to CPU 1, natter-bench to CPU 0)" : "") << ". "
       << "Fan-out and saturation run for " << (s_.quick ? 1 : 5) << " s of sending each (the issue's table gives no "
       << "duration; 5 s keeps `make bench` to a few minutes). Texts are " << o_.text_bytes << " bytes; "
       << o_.in_flight << " logins in flight; saturating senders keep at most " << o_.window
       << " says each not yet echoed back. The peers' figures are the issue's (same machine class, an IRC "
       << "generator), for orientation only. Load average (1 min) before the suite " << fmt(load_before_, 2)
       << ", after " << fmt(load_after_, 2) << "; before each run natter-bench waited until the rest of the machine "
       << "was nearly idle (" << fmt(static_cast<double>(waited_ns_) / 1e9) << " s of waiting in all, at most 180 s)"
       << (wait_budget_ns_ == 0 ? ", **but the budget ran out: later runs shared the machine with other work**" : "")
       << "; the *other load* column below is the CPU that neither the "
       << "server nor natter-bench used during each run (other programs on the machine), in % of one core: "
       << "a run with much of it is noisy.\n\n";
    render_headline(os);
    os << "\nEvery run:\n\n";
    render_details(os);
    bool any = false;
    for (const auto& [sc, by_server] : results_)
        for (const auto& [server, runs] : by_server)
            for (const std::string& p : runs.problems) {
                if (!any) os << "\nProblems seen during the runs:\n\n";
                any = true;
                os << "- " << p << "\n";
            }
    return os.str();
}

void Suite::write_doc(const std::string& table) const {
    std::string doc;
    {
        std::ifstream in(s_.out);
        std::stringstream ss;
        ss << in.rdbuf();
        doc = ss.str();
    }
    const std::string block = std::string(kBegin) + "\n" + table + kEnd;
    const auto b = doc.find(kBegin), e = doc.find(kEnd);
    if (b != std::string::npos && e != std::string::npos && e > b) {
        doc.replace(b, e + std::string(kEnd).size() - b, block);
    } else {
        doc = "# natter performance\n\n## Results\n\n" + block + "\n" + doc;
    }
    std::ofstream out(s_.out);
    out << doc;
    if (!out) throw std::runtime_error("cannot write " + s_.out);
    std::cerr << "natter-bench: wrote " << s_.out << "\n";
}

}  // namespace

int run_suite(const SuiteOptions& s, const Options& o) { return Suite(s, o).run(); }

}  // namespace natter::bench
