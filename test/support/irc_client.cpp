#include "irc_client.h"
#include "loopback.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace natter::testing {

std::uint16_t irc_port(const NatterdProcess& natterd) {
    std::ifstream in(natterd.dir() + "/stdout");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string out = ss.str();
    const std::string marker = "natterd IRC listening on ";
    const auto at = out.find(marker);
    if (at == std::string::npos) throw std::runtime_error("natterd printed no IRC listening line: " + out);
    const auto eol = out.find('\n', at);
    const std::string addr = out.substr(at + marker.size(), eol - at - marker.size());
    return static_cast<std::uint16_t>(std::stoi(addr.substr(addr.rfind(':') + 1)));
}

IrcMsg parse_irc(std::string_view line) {
    IrcMsg m;
    m.raw = std::string(line);
    auto word = [&]() {
        const auto end = line.find(' ');
        std::string w(line.substr(0, end));
        line.remove_prefix(end == std::string_view::npos ? line.size() : end + 1);
        return w;
    };
    if (!line.empty() && line[0] == '@') {
        line.remove_prefix(1);
        m.tags = word();
    }
    if (!line.empty() && line[0] == ':') {
        line.remove_prefix(1);
        m.prefix = word();
    }
    m.command = word();
    while (!line.empty()) {
        if (line[0] == ':') {
            m.params.emplace_back(line.substr(1));
            break;
        }
        m.params.push_back(word());
    }
    return m;
}

IrcClient::IrcClient(std::uint16_t port) {
    fd_ = connect_loopback(port, "natterd's IRC listener");
}

IrcClient::~IrcClient() {
    if (fd_ >= 0) close(fd_);
}

bool IrcClient::send_raw(std::string_view bytes) { return send_all(fd_, bytes, std::chrono::milliseconds(5000)); }

std::optional<IrcMsg> IrcClient::receive(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto nl = buf_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buf_.substr(0, nl + 1);
            buf_.erase(0, nl + 1);
            if (line.size() < 2 || line[line.size() - 2] != '\r')
                throw std::runtime_error("natterd sent an IRC line without CRLF: " + line);
            line.resize(line.size() - 2);
            std::size_t tags = 0;
            if (!line.empty() && line[0] == '@') tags = line.find(' ') + 1;
            if (line.size() - tags + 2 > 512)
                throw std::runtime_error("natterd sent an IRC line over 512 bytes: " + line);
            return parse_irc(line);
        }
        if (closed_) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        const int r = poll(&p, 1, ms_until(deadline));
        if (r <= 0) return std::nullopt;
        char chunk[65536];
        const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) buf_.append(chunk, static_cast<std::size_t>(n));
        else if (n == 0 || (errno != EAGAIN && errno != EINTR)) closed_ = true;
    }
}

std::optional<IrcMsg> IrcClient::wait_for(const std::function<bool(const IrcMsg&)>& match,
                                          std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto m = receive(std::chrono::milliseconds(ms_until(deadline)));
        if (!m) return std::nullopt;
        if (match(*m)) return m;
    }
}

std::optional<IrcMsg> IrcClient::wait_for(const std::string& command, std::chrono::milliseconds timeout) {
    return wait_for([&](const IrcMsg& m) { return m.command == command; }, timeout);
}

std::optional<std::vector<IrcMsg>> IrcClient::sync(std::chrono::milliseconds timeout) {
    const std::string token = "sync" + std::to_string(++syncs_);
    if (!send("PING " + token)) return std::nullopt;
    std::vector<IrcMsg> got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto m = receive(std::chrono::milliseconds(ms_until(deadline)));
        if (!m) return std::nullopt;
        if (m->command == "PONG" && m->last() == token) return got;
        got.push_back(std::move(*m));
    }
}

bool IrcClient::register_as(const std::string& nick, const std::string& password, std::vector<IrcMsg>* seen) {
    if (!password.empty()) send("PASS " + password);
    send("NICK " + nick);
    send("USER " + nick + " 0 * :" + nick + " the tester");
    bool welcomed = false;
    for (;;) {
        auto m = receive();
        if (!m) return false;
        if (seen != nullptr) seen->push_back(*m);
        if (m->command == "001") welcomed = true;
        if (m->command == "376" || m->command == "422") return welcomed;
        if (m->command == "433" || m->command == "432" || m->command == "464" || m->command == "ERROR") return false;
    }
}

bool IrcClient::join(const std::string& room) {
    send("JOIN " + room);
    for (;;) {
        auto m = receive();
        if (!m) return false;
        if (m->command == "366" && m->param(1) == room) return true;
        if (m->command.size() == 3 && m->command[0] >= '4' && m->command[0] <= '5') return false;
    }
}

bool IrcClient::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        buf_.clear();
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, ms_until(deadline)) <= 0) return false;
        char chunk[65536];
        const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) closed_ = true;
    }
    return true;
}

}  // namespace natter::testing
