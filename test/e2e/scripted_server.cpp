#include "scripted_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "shared/codec.h"

namespace natter::testing {

ScriptedServer::ScriptedServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 4) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
        ::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("scripted server: cannot listen");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
}

ScriptedServer::~ScriptedServer() {
    stop_ = true;
    (void)!::write(wake_[1], "x", 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

void ScriptedServer::send(const Message& m) { send_raw(encode(m)); }

void ScriptedServer::send_raw(const std::string& bytes) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        outbox_ += bytes;
    }
    (void)!::write(wake_[1], "x", 1);
}

std::vector<std::string> ScriptedServer::received() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
}

bool ScriptedServer::wait_received(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        for (const std::string& l : received())
            if (l.find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void ScriptedServer::serve() {
    int client = -1;
    std::string pending;  // taken from the outbox, not yet written
    while (!stop_) {
        pollfd p[2] = {{wake_[0], POLLIN, 0}, {client >= 0 ? client : listen_fd_, POLLIN, 0}};
        if (client >= 0 && !pending.empty()) p[1].events |= POLLOUT;
        if (::poll(p, 2, 100) < 0 && errno != EINTR) break;
        if (p[0].revents & POLLIN) {
            char buf[64];
            while (::read(wake_[0], buf, sizeof buf) > 0) {
            }
        }
        if (client < 0) {
            if (p[1].revents & POLLIN) {
                client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            }
            continue;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            const ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n > 0) {
                std::lock_guard<std::mutex> lock(mu_);
                inbox_.append(buf, static_cast<std::size_t>(n));
                for (std::size_t nl; (nl = inbox_.find('\n')) != std::string::npos;) {
                    lines_.push_back(inbox_.substr(0, nl));
                    inbox_.erase(0, nl + 1);
                }
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                ::close(client);  // the client reconnects: serve the next one
                client = -1;
                continue;
            }
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            pending += outbox_;
            outbox_.clear();
        }
        while (!pending.empty()) {
            const ssize_t n = ::send(client, pending.data(), pending.size(), MSG_NOSIGNAL);
            if (n <= 0) break;
            pending.erase(0, static_cast<std::size_t>(n));
        }
    }
    if (client >= 0) ::close(client);
}

}  // namespace natter::testing
