// natter-bench: the load generator and benchmark of natter (issue 4). See usage() and
// docs/PERFORMANCE.md.
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/client_burst.h"
#include "bench/proc_stats.h"
#include "bench/report.h"
#include "bench/scenarios.h"
#include "bench/server_process.h"
#include "bench/suite.h"

using namespace natter::bench;

namespace {

const char* kUsage = R"(usage: natter-bench [options] MODE ARGS
modes:
  idle N               log in N clients; time to all ready, server RSS per client, idle CPU
  fanout N S R D       N clients, S of them send R says/s each for D seconds; latency and loss
  saturate N S D       N clients, S send as fast as the server takes them for D seconds
  client-burst [M]     a real natter in a pty receives a burst of M says (default 10000)
  suite                the standard scenarios against natterd and the bare loop, 3 repetitions,
                       medians; prints the table and writes it (see --out)
server (one of):
  --port P             a server already listening on 127.0.0.1:P ...
  --pid PID            ... whose CPU and RSS are read from /proc/PID
  --server PATH        start PATH --port 0 (and each --server-arg A) and measure it
                       (suite and client-burst: --server-arg goes to natterd); natterd
                       gets a fresh --data directory unless --data or --no-history is given
options:
  --in-flight K        logins in flight during the ramp-up (500)
  --text-bytes B       length of each chat text (64)
  --window W           saturate: says in flight per sender (1024)
  --ramp-timeout S     give up the ramp-up after S seconds (60)
  --idle-window S      idle: watch the server's idle CPU for S seconds (3)
  --natter PATH        client-burst: the natter client (default: next to natter-bench)
suite options:
  --build DIR          where natterd, natter and natter-bare-loop are (default: natter-bench's dir)
  --out FILE           write the report there (default: print only)
  --reps K             repetitions per scenario (3)
  --quick              shorter durations and smaller N (a smoke run, not a measurement)
  --only LIST          comma-separated scenario names
                       (idle,fanout5,fanout50,fanout2000,saturate,burst,presence,
                       nohistory)
  --pin                servers on CPU 1, natter-bench on CPU 0
  --commit TEXT        the commit the binaries were built from (default: git HEAD here)
)";

[[noreturn]] void usage_error(const std::string& why) {
    std::cerr << "natter-bench: " << why << "\n" << kUsage;
    std::exit(2);
}

int to_int(const std::string& s) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(s, &used);
        if (used == s.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    usage_error("not a count: " + s);
}

double to_double(const std::string& s) {
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used == s.size() && v > 0) return v;
    } catch (const std::exception&) {
    }
    usage_error("not a positive number: " + s);
}

std::string self_dir(const char* argv0) {
    std::string p = argv0;
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) p.assign(buf, static_cast<std::size_t>(n));
    const auto slash = p.rfind('/');
    return slash == std::string::npos ? "." : p.substr(0, slash);
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    Options opt;
    SuiteOptions suite;
    suite.build_dir = self_dir(argv[0]);
    std::optional<int> port, pid;
    std::string server, natter;
    std::vector<std::string> server_args, positional;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) usage_error(a + " needs a value");
            return args[++i];
        };
        if (a == "--port") port = to_int(value());
        else if (a == "--pid") pid = to_int(value());
        else if (a == "--server") server = value();
        else if (a == "--server-arg") server_args.push_back(value());
        else if (a == "--in-flight") opt.in_flight = std::max(1, to_int(value()));
        else if (a == "--text-bytes") opt.text_bytes = static_cast<std::size_t>(to_int(value()));
        else if (a == "--window") opt.window = std::max(1, to_int(value()));
        else if (a == "--ramp-timeout") opt.ramp_timeout_s = to_double(value());
        else if (a == "--idle-window") opt.idle_window_s = to_double(value());
        else if (a == "--natter") natter = value();
        else if (a == "--build") suite.build_dir = value();
        else if (a == "--out") suite.out = value();
        else if (a == "--reps") suite.reps = std::max(1, to_int(value()));
        else if (a == "--quick") suite.quick = true;
        else if (a == "--only") suite.only = value();
        else if (a == "--pin") suite.pin = true;
        else if (a == "--commit") suite.commit = value();
        else if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a.rfind("--", 0) == 0) usage_error("unknown option " + a);
        else positional.push_back(a);
    }
    if (positional.empty()) usage_error("no mode given");
    const long fds = raise_fd_limit();
    const std::string mode = positional[0];
    auto need = [&](std::size_t n) {
        if (positional.size() != n + 1) usage_error(mode + " takes " + std::to_string(n) + " arguments");
    };

    try {
        if (mode == "suite") {
            need(0);
            suite.natterd_args = server_args;
            return run_suite(suite, opt);
        }
        std::unique_ptr<ServerProcess> started;
        Target target;
        if (!server.empty()) {
            std::vector<std::string> argv_s{server, "--port", "0"};
            argv_s.insert(argv_s.end(), server_args.begin(), server_args.end());
            started = std::make_unique<ServerProcess>(argv_s);
            target = Target{started->port(), started->pid()};
        } else if (port) {
            target = Target{static_cast<std::uint16_t>(*port), pid.value_or(0)};
        } else if (mode != "client-burst") {
            usage_error("say which server: --port P [--pid PID] or --server PATH");
        }
        auto check_fds = [&](int clients) {
            if (clients + 64 > fds)
                throw std::runtime_error("RLIMIT_NOFILE is " + std::to_string(fds) + ", too low for " +
                                         std::to_string(clients) + " clients");
        };
        if (mode == "idle") {
            need(1);
            const int n = to_int(positional[1]);
            check_fds(n);
            print_idle(std::cout, run_idle(target, n, opt));
        } else if (mode == "fanout") {
            need(4);
            const int n = to_int(positional[1]);
            check_fds(n);
            print_traffic(std::cout, "fanout",
                          run_fanout(target, n, to_int(positional[2]), to_double(positional[3]),
                                     to_double(positional[4]), opt));
        } else if (mode == "saturate") {
            need(3);
            const int n = to_int(positional[1]);
            check_fds(n);
            print_traffic(std::cout, "saturate",
                          run_saturate(target, n, to_int(positional[2]), to_double(positional[3]), opt));
        } else if (mode == "client-burst") {
            if (positional.size() > 2) usage_error("client-burst takes at most 1 argument");
            BurstOptions b;
            b.natter = natter.empty() ? suite.build_dir + "/natter" : natter;
            b.natterd = server.empty() ? suite.build_dir + "/natterd" : server;
            b.natterd_args = server_args;
            if (positional.size() == 2) b.messages = to_int(positional[1]);
            print_burst(std::cout, run_client_burst(b, opt));
        } else {
            usage_error("unknown mode " + mode);
        }
        if (started && !started->alive())
            std::cout << "  NOTE: the server exited during the run:\n" << started->log_tail();
    } catch (const std::exception& e) {
        std::cerr << "natter-bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
