#include "hostile_support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace natter::itest {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

// ---- bystanders --------------------------------------------------------------------------------

Bystanders::Bystanders(NatterdProcess& natterd, std::chrono::milliseconds gap)
    : natterd_(natterd), gap_(gap) {
    ann_ = join(natterd.port(), "ann");
    ben_ = join(natterd.port(), "ben");
    // Ann hears of Ben's arrival; take it now so the chat starts from a quiet line.
    ann_->wait_for<Joined>(2000ms);
    peak_rss_kib_ = natterd.rss_kib();
    thread_ = std::thread([this] { run(); });
}

Bystanders::~Bystanders() { stop(); }

bool Bystanders::pump(WireClient& c, Clock::time_point until, const std::string& want) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) return false;
        auto m = c.receive(left);
        if (!m) return false;
        if (auto* p = std::get_if<Ping>(&*m)) c.send(Pong{p->token});
        const bool found = !want.empty() && std::holds_alternative<GroupMessage>(*m) &&
                           std::get<GroupMessage>(*m).text == want;
        {
            std::lock_guard<std::mutex> lock(received_mu_);
            received_.push_back(std::move(*m));
        }
        if (found) return true;
    }
}

void Bystanders::round_trip(int turn) {
    WireClient& from = turn % 2 == 0 ? *ann_ : *ben_;
    WireClient& to = turn % 2 == 0 ? *ben_ : *ann_;
    const std::string text = "round trip " + std::to_string(turn);
    const auto sent = Clock::now();
    from.send(Say{text});
    if (pump(to, sent + kBound, text)) samples_ms_.push_back(ms_between(sent, Clock::now()));
    else ++figures_.late;
    // The sender's echo too.
    if (!pump(from, sent + kBound, text)) ++figures_.late;
    peak_rss_kib_ = std::max<long>(peak_rss_kib_, natterd_.rss_kib());
}

void Bystanders::run() {
    try {
        for (; !stop_; ++turn_) {
            round_trip(turn_);
            // The pause between turns, answering pings meanwhile.
            const auto resume = Clock::now() + gap_;
            while (!stop_ && Clock::now() < resume) {
                pump(*ann_, std::min(resume, Clock::now() + 10ms), "");
                pump(*ben_, std::min(resume, Clock::now() + 10ms), "");
            }
            if (ann_->closed() || ben_->closed()) {
                ADD_FAILURE() << "a bystander was disconnected";
                ++figures_.late;
                return;
            }
        }
    } catch (const std::exception& e) {
        ADD_FAILURE() << "bystander: " << e.what();
        ++figures_.late;
    }
}

RoundTrips Bystanders::stop() {
    if (stopped_) return figures_;
    stopped_ = true;
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    // One more after the attack: the room works afterwards too.
    try {
        if (!ann_->closed() && !ben_->closed()) round_trip(turn_++);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "bystander: " << e.what();
        ++figures_.late;
    }
    std::sort(samples_ms_.begin(), samples_ms_.end());
    figures_.count = static_cast<int>(samples_ms_.size());
    if (!samples_ms_.empty()) {
        figures_.median_ms = samples_ms_[samples_ms_.size() / 2];
        figures_.p99_ms = samples_ms_[std::min(samples_ms_.size() - 1, samples_ms_.size() * 99 / 100)];
        figures_.max_ms = samples_ms_.back();
    }
    return figures_;
}

std::vector<Message> Bystanders::received() {
    std::lock_guard<std::mutex> lock(received_mu_);
    return received_;
}

// ---- checks ------------------------------------------------------------------------------------

bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

// ASan keeps up to 256 MiB of freed memory in quarantine (to catch use after free) besides its
// shadow: a bound there has to allow for that, and still catches growth without end.
long rss_bound_kib(long kib) { return sanitized_build() ? kib * 4 + 256 * 1024 : kib; }

long open_fds(pid_t pid) {
    DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (d == nullptr) return -1;
    long n = 0;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n;
}

void expect_unharmed(NatterdProcess& natterd, const RoundTrips& trips, long rss_before, long rss_peak,
                     long rss_growth_kib, const std::string& case_name, const std::string& extra) {
    EXPECT_TRUE(natterd.alive()) << case_name << ": natterd died";
    EXPECT_EQ(trips.late, 0) << case_name << ": bystander messages not delivered within "
                             << Bystanders::kBound.count() << " ms";
    EXPECT_GE(trips.count, 2) << case_name << ": the bystanders hardly chatted";
    const long bound = rss_bound_kib(rss_growth_kib);
    EXPECT_LE(rss_peak - rss_before, bound)
        << case_name << ": RSS grew from " << rss_before << " KiB to " << rss_peak << " KiB";
    std::printf("[ figures  ] %s: bystander round trips %d, median %.1f ms, p99 %.1f ms, max %.1f ms; "
                "natterd RSS %ld -> peak %ld KiB (+%ld, bound +%ld)%s%s\n",
                case_name.c_str(), trips.count, trips.median_ms, trips.p99_ms, trips.max_ms, rss_before,
                rss_peak, rss_peak - rss_before, bound, extra.empty() ? "" : "; ", extra.c_str());
    std::fflush(stdout);
}

// ---- raw sockets -------------------------------------------------------------------------------

int connect_raw(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds a blocking connect
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

long send_some(int fd, const char* data, std::size_t size) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return static_cast<long>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
    return -1;
}

void close_with_reset(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

bool read_some(int fd, std::string& into) {
    char buf[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            into.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) return false;
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
}

}  // namespace natter::itest
