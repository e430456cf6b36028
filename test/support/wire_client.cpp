#include "wire_client.h"
#include "loopback.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace natter::testing {

WireClient::WireClient(std::uint16_t port, int receive_buffer) {
    fd_ = connect_loopback(port, "natterd", receive_buffer);
}

WireClient::~WireClient() {
    if (fd_ >= 0) close(fd_);
}

bool WireClient::send_raw(std::string_view bytes) { return send_all(fd_, bytes, std::chrono::milliseconds(5000)); }

std::optional<Message> WireClient::receive(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        std::string_view line;
        const auto status = framer_.next(line);
        if (status == LineFramer::Status::TooLong)
            throw std::runtime_error("natterd sent a line over the frame limit");
        if (status == LineFramer::Status::Line) {
            Decoded d = decode_line(line, Direction::ServerToClient);
            if (auto* e = std::get_if<DecodeError>(&d))
                throw std::runtime_error("natterd sent an undecodable line (" + e->text + "): " +
                                         std::string(line));
            return std::get<Message>(std::move(d));
        }
        if (closed_) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        const int r = poll(&p, 1, ms_until(deadline));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::nullopt;
        char buf[65536];
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            framer_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR && errno != EWOULDBLOCK)) {
            closed_ = true;
        }
    }
}

bool WireClient::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        if (ms_until(deadline) == 0) return false;
        receive(std::chrono::milliseconds(ms_until(deadline)));
    }
    return true;
}

std::optional<Welcome> WireClient::login(const std::string& nick, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    last_error_.reset();
    users_.clear();
    send(Hello{nick, kProtocolVersion});
    std::optional<Welcome> welcome;
    while (true) {
        auto m = receive(std::chrono::milliseconds(ms_until(deadline)));
        if (!m) return std::nullopt;
        if (!welcome) {
            if (auto* e = std::get_if<Error>(&*m)) {
                last_error_ = *e;
                return std::nullopt;
            }
            if (auto* w = std::get_if<Welcome>(&*m)) welcome = *w;
            continue;
        }
        if (auto* u = std::get_if<UserList>(&*m)) {
            users_.insert(users_.end(), u->users.begin(), u->users.end());
            if (!u->more) return welcome;
        }
    }
}

}  // namespace natter::testing
