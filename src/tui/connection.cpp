#include "tui/connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace natter::tui {

Connection::Connection(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}

Connection::~Connection() { close(); }

void Connection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    state_ = State::Closed;
    addrs_.clear();
    out_.clear();
    out_off_ = 0;
    overflow_ = false;
    framer_ = LineFramer();
}

bool Connection::start(std::string& why) {
    close();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(port_);
    const int rc = getaddrinfo(host_.c_str(), port.c_str(), &hints, &res);
    if (rc != 0) {
        why = "cannot resolve " + host_ + ": " + gai_strerror(rc);
        return false;
    }
    for (addrinfo* a = res; a; a = a->ai_next) {
        const auto* p = reinterpret_cast<const unsigned char*>(a->ai_addr);
        addrs_.emplace_back(p, p + a->ai_addrlen);
    }
    freeaddrinfo(res);
    last_error_.clear();
    return try_next_address(why);
}

bool Connection::try_next_address(std::string& why) {
    while (!addrs_.empty()) {
        const std::vector<unsigned char> addr = addrs_.front();
        addrs_.erase(addrs_.begin());
        const auto* sa = reinterpret_cast<const sockaddr*>(addr.data());
        if (fd_ >= 0) ::close(fd_);
        fd_ = ::socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd_ < 0) {
            last_error_ = std::strerror(errno);
            continue;
        }
        const int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // chat lines are small
        // Connected at once (loopback may) or in progress: either way poll() reports POLLOUT and
        // handle() finishes the connect, so there is one path to "connected".
        if (::connect(fd_, sa, static_cast<socklen_t>(addr.size())) == 0 || errno == EINPROGRESS) {
            state_ = State::Connecting;
            return true;
        }
        last_error_ = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
    }
    state_ = State::Closed;
    why = last_error_.empty() ? "no address to connect to" : last_error_;
    return false;
}

short Connection::events() const {
    switch (state_) {
        case State::Closed: return 0;
        case State::Connecting: return POLLOUT;
        case State::Open: return static_cast<short>(POLLIN | (flushed() ? 0 : POLLOUT));
    }
    return 0;
}

bool Connection::finish_connect(std::string& why) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err == 0) {
        state_ = State::Open;
        return true;
    }
    last_error_ = std::strerror(err);
    return try_next_address(why);
}

void Connection::send(const Message& m) {
    if (state_ == State::Closed) return;
    if (out_off_ > 0 && out_off_ == out_.size()) {
        out_.clear();
        out_off_ = 0;
    }
    if (out_.size() - out_off_ > kMaxQueuedBytes) {
        overflow_ = true;  // handle() closes it
        return;
    }
    out_ += encode(m);
}

bool Connection::write_some(std::string& why) {
    while (out_off_ < out_.size()) {
        const ssize_t n = ::send(fd_, out_.data() + out_off_, out_.size() - out_off_, MSG_NOSIGNAL);
        if (n > 0) {
            out_off_ += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        why = n < 0 ? std::strerror(errno) : "the connection closed";
        return false;
    }
    out_.clear();
    out_off_ = 0;
    return true;
}

void Connection::flush_now() {
    if (state_ != State::Open) return;
    std::string why;
    write_some(why);
}

bool Connection::read_some(std::vector<Message>& in, Result& r) {
    char buf[65536];
    while (r.bytes_in < kReadBudgetBytes) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        if (n <= 0) {
            r.why = n == 0 ? "the server closed the connection" : std::strerror(errno);
            return false;
        }
        r.bytes_in += static_cast<std::size_t>(n);
        framer_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
        std::string_view line;
        while (true) {
            const auto st = framer_.next(line);
            if (st == LineFramer::Status::NeedMore) break;
            if (st == LineFramer::Status::TooLong) {
                ++bad_lines_;
                continue;
            }
            Decoded d = decode_line(line, Direction::ServerToClient);
            if (auto* m = std::get_if<Message>(&d)) {
                in.push_back(std::move(*m));
            } else {
                ++bad_lines_;  // one bad line costs one line, not the connection
            }
        }
    }
    return true;
}

Connection::Result Connection::handle(short revents, std::vector<Message>& in) {
    Result r;
    std::string why;
    if (state_ == State::Connecting) {
        if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return r;
        if (!finish_connect(why)) {
            r.closed = true;
            r.why = why;
            close();
            return r;
        }
        if (state_ != State::Open) return r;  // trying the next address
        r.connected = true;
        return r;
    }
    if (state_ != State::Open) return r;
    if (overflow_) {
        r.closed = true;
        r.why = "the server stopped reading";
        close();
        return r;
    }
    if ((revents & POLLOUT) && !write_some(why)) {
        r.closed = true;
        r.why = why;
        close();
        return r;
    }
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        if (!read_some(in, r)) {
            r.closed = true;
            close();
        }
    }
    return r;
}

std::uint64_t reconnect_delay_ms(int attempt, double jitter) {
    attempt = std::clamp(attempt, 0, 30);
    const std::uint64_t base = std::min<std::uint64_t>(8000, 250ull << std::min(attempt, 5));
    jitter = std::clamp(jitter, 0.0, 1.0);
    return base - static_cast<std::uint64_t>(static_cast<double>(base) * 0.2 * jitter);
}

}  // namespace natter::tui
