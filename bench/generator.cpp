#include "bench/generator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "bench/proc_stats.h"
#include "bench/wire_scan.h"
#include "shared/codec.h"

namespace natter::bench {

namespace {

constexpr std::size_t kReadBuffer = 256 * 1024;  // one recv takes everything a socket holds
constexpr int kMaxEvents = 128;  // small batches: paced senders are checked between them
constexpr std::uint64_t kMs = 1000000;
constexpr std::uint64_t kWatchTag = UINT64_MAX;  // epoll data of the watched descriptor

std::size_t as_index(std::uint64_t v) { return static_cast<std::size_t>(v); }

}  // namespace

Generator::Generator(GeneratorConfig config)
    : config_(std::move(config)), conns_(static_cast<std::size_t>(config_.clients)), rbuf_(kReadBuffer) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw std::runtime_error("epoll_create1 failed");
}

Generator::~Generator() {
    for (Conn& c : conns_) {
        if (c.fd < 0) continue;
        const linger lg{1, 0};  // reset: thousands of TIME_WAIT sockets would outlive the run
        setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(c.fd);
    }
    close(epfd_);
}

void Generator::start_connect(std::size_t i) {
    Conn& c = conns_[i];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        ++counters_.connect_failed;
        c.state = State::Closed;
        return;
    }
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(config_.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int r = connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (r != 0 && errno != EINPROGRESS) {
        ++counters_.connect_failed;
        close(c.fd);
        c.fd = -1;
        c.state = State::Closed;
        return;
    }
    ++open_;
    ++in_progress_;
    c.state = State::Connecting;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u64 = i;
    c.want_out = true;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev);
    if (r == 0) on_connected(c, i);
}

void Generator::start_more() {
    while (in_progress_ < config_.in_flight && next_start_ < conns_.size()) start_connect(next_start_++);
}

void Generator::on_connected(Conn& c, std::size_t i) {
    c.state = State::LoggingIn;
    set_want_out(c, i, false);
    queue(c, i, encode(Hello{config_.nick_prefix + std::to_string(i), kProtocolVersion}));
}

void Generator::set_want_out(Conn& c, std::size_t i, bool want) {
    if (c.want_out == want || c.fd < 0) return;
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    ev.data.u64 = i;
    epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_out = want;
}

void Generator::queue(Conn& c, std::size_t i, std::string_view bytes) {
    if (c.fd < 0) return;
    c.out.append(bytes.data(), bytes.size());
    flush(c, i);
}

void Generator::flush(Conn& c, std::size_t i) {
    while (c.fd >= 0 && c.out_off < c.out.size()) {
        const ssize_t n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_off += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            set_want_out(c, i, true);
            return;
        }
        close_conn(c, true);
        return;
    }
    if (c.fd < 0) return;
    c.out.clear();
    c.out_off = 0;
    if (c.state != State::Connecting) set_want_out(c, i, false);
}

void Generator::close_conn(Conn& c, bool by_server) {
    if (c.fd < 0) return;
    if (c.state == State::Connecting || c.state == State::LoggingIn || c.state == State::Welcomed) {
        --in_progress_;
        if (c.state == State::Connecting) ++counters_.connect_failed;
        else ++counters_.login_failed;
    } else if (c.state == State::Ready && by_server) {
        ++counters_.dropped;
    }
    epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
    c.state = State::Closed;
    std::string().swap(c.partial);
    std::string().swap(c.out);
    c.out_off = 0;
    --open_;
}

void Generator::pump(std::uint64_t wait_ns) {
    epoll_event events[kMaxEvents];
    const timespec ts{static_cast<time_t>(wait_ns / 1000000000ull), static_cast<long>(wait_ns % 1000000000ull)};
    const int n = epoll_pwait2(epfd_, events, kMaxEvents, &ts, nullptr);
    for (int k = 0; k < n; ++k) {
        if (events[k].data.u64 == kWatchTag) {
            if (watched_fd_ >= 0) on_watched_(now_ns());
        }
        else on_event(as_index(events[k].data.u64), events[k].events);
    }
    start_more();
}

void Generator::watch(int fd, std::function<void(std::uint64_t)> on_readable) {
    if (watched_fd_ >= 0) epoll_ctl(epfd_, EPOLL_CTL_DEL, watched_fd_, nullptr);
    watched_fd_ = fd;
    on_watched_ = std::move(on_readable);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWatchTag;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) throw std::runtime_error("cannot watch descriptor");
}

void Generator::unwatch() {
    if (watched_fd_ >= 0) epoll_ctl(epfd_, EPOLL_CTL_DEL, watched_fd_, nullptr);
    watched_fd_ = -1;
}

void Generator::queue_say(std::size_t i, const std::string& text) {
    if (i >= conns_.size()) return;
    queue(conns_[i], i, encode(Say{text}));
    ++counters_.sent;
}

void Generator::on_event(std::size_t i, std::uint32_t events) {
    Conn& c = conns_[i];
    if (c.fd < 0) return;
    if (c.state == State::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            close_conn(c, true);
            return;
        }
        on_connected(c, i);
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_from(c, i);
    if (c.fd >= 0 && (events & EPOLLOUT)) flush(c, i);
}

void Generator::read_from(Conn& c, std::size_t i) {
    const ssize_t n = recv(c.fd, rbuf_.data(), rbuf_.size(), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close_conn(c, true);
        return;
    }
    if (n < 0) return;
    const std::uint64_t now = now_ns();  // one clock read per recv: every line in it arrived by now
    last_rx_ns_ = now;
    counters_.bytes_in += static_cast<std::uint64_t>(n);
    const char* p = rbuf_.data();
    const char* end = p + n;
    if (!c.partial.empty()) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!nl) {
            c.partial.append(p, end);
            return;
        }
        c.partial.append(p, nl);
        std::string line;
        line.swap(c.partial);
        on_line(c, i, line, now);
        if (c.fd < 0) return;
        p = nl + 1;
    }
    while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!nl) {
            c.partial.assign(p, end);
            break;
        }
        on_line(c, i, std::string_view(p, static_cast<std::size_t>(nl - p)), now);
        if (c.fd < 0) return;
        p = nl + 1;
    }
}

void Generator::on_line(Conn& c, std::size_t i, std::string_view line, std::uint64_t now) {
    ++counters_.lines_in;
    switch (line_type(line)) {
    case LineType::Message: {
        const auto stamp = find_stamp(line);
        if (!stamp) {
            ++counters_.unstamped_messages;
            return;
        }
        latency_.add(now > stamp->send_ns ? now - stamp->send_ns : 0);
        counters_.last_delivery_ns = now;
        if (stamp->sender == i) {
            ++counters_.delivered_echo;
            ++c.echoes;
        } else {
            ++counters_.delivered_other;
        }
        return;
    }
    case LineType::Joined:
        ++counters_.joined;
        counters_.presence_bytes += line.size() + 1;
        return;
    case LineType::Left:
        ++counters_.left;
        counters_.presence_bytes += line.size() + 1;
        return;
    case LineType::Users:
        ++counters_.users_lines;
        counters_.presence_bytes += line.size() + 1;
        if (c.state == State::Welcomed && !users_more(line)) {
            c.state = State::Ready;
            --in_progress_;
            ++counters_.ready;
            last_ready_ns_ = now;
        }
        return;
    case LineType::Welcome:
        if (c.state == State::LoggingIn) c.state = State::Welcomed;
        return;
    case LineType::Error: {
        ++counters_.errors;
        const auto code = raw_string_field(line, "code");
        if (counters_.error_codes.size() < 32 || code)
            ++counters_.error_codes[code ? std::string(*code) : std::string("(none)")];
        if (c.state == State::LoggingIn) close_conn(c, false);  // refused: counted as a failed login
        return;
    }
    case LineType::Ping: {
        ++counters_.pings;
        const auto token = raw_string_field(line, "token");
        std::string pong = "{\"type\": \"pong\",\"token\": ";
        pong.append(token ? *token : std::string_view("\"\"")).append("}\n");
        queue(c, i, pong);
        return;
    }
    case LineType::Bye:
        ++counters_.byes;
        return;
    case LineType::Other:
        ++counters_.other_lines;
        return;
    }
}

void Generator::ramp_up(std::uint64_t deadline_ns) {
    start_more();
    while ((in_progress_ > 0 || next_start_ < conns_.size()) && now_ns() < deadline_ns)
        pump(std::min<std::uint64_t>(deadline_ns - now_ns(), 100 * kMs));
}

void Generator::settle(std::uint64_t quiet_ns, std::uint64_t deadline_ns) {
    last_rx_ns_ = now_ns();
    for (std::uint64_t now = now_ns(); now < deadline_ns && now - last_rx_ns_ < quiet_ns; now = now_ns())
        pump(std::min(deadline_ns - now, quiet_ns));
}

void Generator::pump_until(std::uint64_t deadline_ns) {
    for (std::uint64_t now = now_ns(); now < deadline_ns; now = now_ns()) pump(deadline_ns - now);
}

void Generator::send_say(Conn& c, std::size_t i, std::uint64_t now) {
    Stamp s{now, static_cast<std::uint32_t>(i), c.seq++};
    queue(c, i, say_line(s, config_.text_bytes));
    ++counters_.sent;
}

void Generator::run_paced(int senders, double rate, std::uint64_t duration_ns) {
    const std::size_t n = std::min(conns_.size(), static_cast<std::size_t>(std::max(senders, 0)));
    const auto interval = static_cast<std::uint64_t>(1e9 / rate);
    const std::uint64_t t0 = now_ns(), stop = t0 + duration_ns;
    for (std::size_t k = 0; k < n; ++k) conns_[k].next_due_ns = t0 + interval * k / std::max<std::size_t>(n, 1);
    while (true) {
        std::uint64_t now = now_ns();
        std::uint64_t next = stop;
        for (std::size_t k = 0; k < n; ++k) {
            Conn& c = conns_[k];
            while (c.fd >= 0 && c.next_due_ns <= now && c.next_due_ns < stop) {
                if (now - c.next_due_ns > kMs) ++counters_.late_sends;
                send_say(c, k, now);
                c.next_due_ns += interval;
            }
            if (c.fd >= 0 && c.next_due_ns < stop) next = std::min(next, c.next_due_ns);
        }
        if (now >= stop) break;
        pump(next > now ? next - now : 0);
    }
}

std::uint64_t Generator::run_saturate(int senders, int window, std::uint64_t duration_ns) {
    const std::size_t n = std::min(conns_.size(), static_cast<std::size_t>(std::max(senders, 0)));
    const std::uint64_t batch_max = 64;  // says per send() call
    const std::uint64_t t0 = now_ns(), stop = t0 + duration_ns;
    const std::uint64_t before = counters_.delivered();
    std::vector<std::uint64_t> sent(n, 0), echoes_before(n, 0);  // in flight = sent - new echoes
    for (std::size_t k = 0; k < n; ++k) echoes_before[k] = conns_[k].echoes;
    std::string batch;
    for (std::uint64_t now = t0; now < stop; now = now_ns()) {
        bool can_send_more = false;
        for (std::size_t k = 0; k < n; ++k) {
            Conn& c = conns_[k];
            if (c.fd < 0 || c.out_off < c.out.size()) continue;  // blocked: wait for EPOLLOUT
            const std::uint64_t echoed = c.echoes - echoes_before[k];
            const std::uint64_t in_flight = sent[k] - std::min(sent[k], echoed);
            if (in_flight >= static_cast<std::uint64_t>(window)) continue;
            const std::uint64_t count = std::min<std::uint64_t>(batch_max, window - in_flight);
            batch.clear();
            for (std::uint64_t j = 0; j < count; ++j)
                append_say_line(batch, Stamp{now, static_cast<std::uint32_t>(k), c.seq++}, config_.text_bytes);
            sent[k] += count;
            counters_.sent += count;
            queue(c, k, batch);
            can_send_more |= c.fd >= 0 && c.out_off >= c.out.size() && in_flight + count < static_cast<std::uint64_t>(window);
        }
        pump(can_send_more ? 0 : std::min<std::uint64_t>(stop - now, 10 * kMs));
    }
    return counters_.delivered() - before;
}

void Generator::drain(std::uint64_t expected, std::uint64_t quiet_ns, std::uint64_t deadline_ns) {
    std::uint64_t last = counters_.delivered(), last_change = now_ns();
    for (std::uint64_t now = now_ns(); now < deadline_ns && counters_.delivered() < expected; now = now_ns()) {
        if (counters_.delivered() != last) {
            last = counters_.delivered();
            last_change = now;
        } else if (now - last_change >= quiet_ns) {
            break;
        }
        pump(std::min<std::uint64_t>(deadline_ns - now, 50 * kMs));
    }
}

std::uint64_t Generator::bytes_queued() const {
    std::uint64_t total = 0;
    for (const Conn& c : conns_) total += c.out.size() - c.out_off;
    return total;
}

}  // namespace natter::bench
