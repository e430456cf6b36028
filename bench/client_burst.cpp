#include "bench/client_burst.h"

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bench/generator.h"
#include "bench/proc_stats.h"
#include "bench/report.h"
#include "bench/server_process.h"
#include "bench/wire_scan.h"

namespace natter::bench {

namespace {

constexpr std::uint64_t kMs = 1000000ull;
constexpr std::size_t kSender = 0, kProbe = 1;  // the generator's two clients

std::uint64_t secs(double s) { return static_cast<std::uint64_t>(s * 1e9); }

// The text of the last message of burst k. Upper-case letters appear in no other text the burst
// sends, so ncurses cannot leave any of its cells undrawn as "already on screen": the marker
// reaches the terminal as one contiguous run of bytes.
std::string marker(int k) { return "QZJQZJ" + std::string(1, static_cast<char>('A' + k % 26)) + "QZJ"; }

// The natter client in a pseudo-terminal; everything it draws is read and scanned for a marker.
class PtyClient {
public:
    PtyClient(const BurstOptions& b, std::uint16_t port) {
        winsize ws{};
        ws.ws_col = static_cast<unsigned short>(b.cols);
        ws.ws_row = static_cast<unsigned short>(b.rows);
        pid_ = forkpty(&master_, nullptr, nullptr, &ws);
        if (pid_ < 0) throw std::runtime_error("forkpty failed");
        if (pid_ == 0) {
            setenv("TERM", "xterm-256color", 1);
            setenv("LANG", "C.UTF-8", 1);
            unsetenv("NO_COLOR");
            const std::string p = std::to_string(port);
            execl(b.natter.c_str(), b.natter.c_str(), "--host", "127.0.0.1", "--port", p.c_str(), "--nick",
                  "burstee", static_cast<char*>(nullptr));
            _exit(127);
        }
        fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
    }
    ~PtyClient() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            for (int i = 0; i < 200 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i) usleep(10000);
            if (waitpid(pid_, nullptr, WNOHANG) == 0) {
                kill(pid_, SIGKILL);
                waitpid(pid_, nullptr, 0);
            }
        }
        if (master_ >= 0) close(master_);
    }
    PtyClient(const PtyClient&) = delete;
    PtyClient& operator=(const PtyClient&) = delete;

    int fd() const { return master_; }
    pid_t pid() const { return pid_; }
    bool gone() const { return gone_; }
    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t last_output_ns() const { return last_output_ns_; }
    const std::string& tail() const { return tail_; }

    // Reads what the client drew; true when the awaited marker went by.
    void on_readable(std::uint64_t now) {
        char buf[65536];
        while (true) {
            const ssize_t n = read(master_, buf, sizeof buf);
            if (n > 0) {
                bytes_ += static_cast<std::uint64_t>(n);
                last_output_ns_ = now;
                tail_.append(buf, static_cast<std::size_t>(n));
                if (!awaited_.empty() && found_ns_ == 0 && tail_.find(awaited_) != std::string::npos)
                    found_ns_ = now;
                if (tail_.size() > 4096) tail_.erase(0, tail_.size() - 4096);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n == 0 || errno == EIO) gone_ = true;  // the client exited (its side closed)
            return;
        }
    }
    void await(const std::string& marker) {
        awaited_ = marker;
        found_ns_ = 0;
        tail_.clear();
    }
    std::uint64_t found_ns() const { return found_ns_; }

private:
    int master_ = -1;
    pid_t pid_ = -1;
    bool gone_ = false;
    std::uint64_t bytes_ = 0, last_output_ns_ = 0, found_ns_ = 0;
    std::string tail_, awaited_;
};

std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
    return out.size() > 300 ? out.substr(out.size() - 300) : out;
}

// Sends `count` says from the sender, the last one carrying `mark`, and pumps until the client
// has drawn the mark (or the deadline). Returns the time the probe received the last one (0 if
// it did not).
std::uint64_t send_burst(Generator& g, PtyClient& client, int first, int count, const std::string& mark,
                         std::uint64_t deadline) {
    const std::uint64_t probe_goal = g.counters().delivered_other + static_cast<std::uint64_t>(count);
    client.await(mark);
    for (int k = 0; k < count; ++k) {
        const Stamp s{now_ns(), static_cast<std::uint32_t>(kSender), static_cast<std::uint64_t>(first + k)};
        std::string text = stamp_text(s, 0);
        text += k + 1 == count ? mark : "burst";
        g.queue_say(kSender, text);
    }
    std::uint64_t arrived = 0;
    while (now_ns() < deadline && !client.gone() && (client.found_ns() == 0 || arrived == 0)) {
        g.pump(10 * kMs);
        if (arrived == 0 && g.counters().delivered_other >= probe_goal) arrived = g.counters().last_delivery_ns;
    }
    return arrived;
}

// Pumps until the client has drawn nothing for quiet_ns (or the deadline).
void wait_quiet(Generator& g, PtyClient& client, std::uint64_t quiet_ns, std::uint64_t deadline) {
    const std::uint64_t start = now_ns();
    while (now_ns() < deadline && !client.gone() &&
           now_ns() - std::max(client.last_output_ns(), start) < quiet_ns)
        g.pump(quiet_ns / 4);
}

}  // namespace

BurstResult run_client_burst(const BurstOptions& b, const Options& o) {
    BurstResult r;
    r.messages = b.messages;
    if (access(b.natter.c_str(), X_OK) != 0) {
        r.why_not = "no natter client at " + b.natter;
        return r;
    }
    // The burst is sent flat out, far past the flood limit for people.
    std::vector<std::string> argv{b.natterd, "--port", "0", "--no-flood-limit"};
    argv.insert(argv.end(), b.natterd_args.begin(), b.natterd_args.end());
    ServerProcess server(argv);

    GeneratorConfig gc;
    gc.port = server.port();
    gc.clients = 2;  // the sender and the probe that times the arrival
    gc.in_flight = 2;
    gc.nick_prefix = "burster";
    Generator g(gc);
    g.ramp_up(now_ns() + secs(10));
    if (g.counters().ready != 2) {
        r.why_not = "natter-bench's own clients could not log in";
        return r;
    }
    PtyClient client(b, server.port());
    g.watch(client.fd(), [&](std::uint64_t now) {
        client.on_readable(now);
        if (client.gone()) g.unwatch();
    });
    // Logged in when both generator clients have seen it join; then let its first screen settle.
    const std::uint64_t joined_goal = g.counters().joined + 2;
    const std::uint64_t login_deadline = now_ns() + secs(10);
    while (g.counters().joined < joined_goal && now_ns() < login_deadline && !client.gone()) g.pump(10 * kMs);
    if (g.counters().joined < joined_goal) {
        r.why_not = "the natter client did not log in within 10 s; its screen: " + printable(client.tail());
        return r;
    }
    wait_quiet(g, client, 300 * kMs, now_ns() + secs(5));
    r.ran = true;

    r.rss_before_kib = process_rss_kib(client.pid()).value_or(-1);
    const auto cpu0 = process_cpu_ns(client.pid());
    const std::uint64_t bytes0 = client.bytes();
    const std::uint64_t t0 = now_ns();
    const std::uint64_t arrived = send_burst(g, client, 0, b.messages, marker(0), t0 + secs(b.timeout_s));
    r.drawn = client.found_ns() != 0;
    const auto cpu1 = process_cpu_ns(client.pid());
    if (cpu0 && cpu1) r.client_cpu_s = static_cast<double>(*cpu1 - *cpu0) / 1e9;
    if (r.drawn && arrived) r.draw_after_arrival_s = static_cast<double>(client.found_ns() > arrived ? client.found_ns() - arrived : 0) / 1e9;
    r.burst_send_s = static_cast<double>((arrived ? arrived : now_ns()) - t0) / 1e9;
    r.terminal_bytes = client.bytes() - bytes0;
    if (!r.drawn) return r;

    wait_quiet(g, client, 300 * kMs, now_ns() + secs(5));
    r.rss_after_burst_kib = process_rss_kib(client.pid()).value_or(-1);
    r.idle_window_s = o.idle_window_s;
    const auto idle0 = process_cpu_ns(client.pid());
    g.pump_until(now_ns() + secs(o.idle_window_s));
    const auto idle1 = process_cpu_ns(client.pid());
    if (idle0 && idle1) r.idle_cpu_ms = static_cast<double>(*idle1 - *idle0) / 1e6;

    // Memory over many more messages: one sample after each further burst of the same size.
    if (b.rss_messages > b.messages) {
        r.rss_samples.emplace_back(b.messages, r.rss_after_burst_kib);
        for (int sent = b.messages, k = 1; sent < b.rss_messages && !client.gone(); ++k) {
            const int count = std::min(b.messages, b.rss_messages - sent);
            send_burst(g, client, sent, count, marker(k), now_ns() + secs(b.timeout_s));
            if (client.found_ns() == 0) break;
            sent += count;
            wait_quiet(g, client, 200 * kMs, now_ns() + secs(5));
            r.rss_samples.emplace_back(sent, process_rss_kib(client.pid()).value_or(-1));
        }
    }
    return r;
}

void print_burst(std::ostream& os, const BurstResult& r) {
    os << "client-burst\n";
    if (!r.ran) {
        os << "  not run: " << r.why_not << "\n";
        return;
    }
    os << "  messages:           " << fmt(r.messages) << "\n"
       << "  last one drawn:     "
       << (r.drawn ? fmt(r.draw_after_arrival_s, 3) + " s after it reached a probe connection" : std::string("NEVER (timeout)"))
       << "\n"
       << "  burst delivered in: " << fmt(r.burst_send_s, 3) << " s (first send to last arrival at the probe)\n"
       << "  client CPU:         " << fmt(r.client_cpu_s, 3) << " s; drew " << fmt(static_cast<double>(r.terminal_bytes))
       << " bytes to the terminal\n"
       << "  client RSS:         " << fmt(static_cast<double>(r.rss_before_kib)) << " KiB before, "
       << fmt(static_cast<double>(r.rss_after_burst_kib)) << " KiB after\n"
       << "  client idle CPU:    " << fmt(r.idle_cpu_ms, 1) << " ms over " << fmt(r.idle_window_s, 1) << " s\n";
    if (!r.rss_samples.empty()) {
        os << "  client RSS by messages received:";
        for (const auto& [n, kib] : r.rss_samples) os << " " << fmt(n) << ": " << fmt(static_cast<double>(kib)) << " KiB;";
        os << "\n";
    }
}

}  // namespace natter::bench
