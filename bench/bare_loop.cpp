// natter-bare-loop: the reference natter-bench measures natterd against. A single-thread poll()
// fan-out loop that speaks just enough of natter's protocol for natter-bench: "hello" is answered
// with a welcome and an empty users list, "say" goes to everyone (the sender too) as a "message".
// No validation, no presence, no limits beyond an output cap: it is the floor, not a server.
// Usage: natter-bare-loop [--port N]; prints "natter-bare-loop listening on 127.0.0.1:PORT".
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kOutputCap = 16u << 20;  // a client this far behind is dropped
constexpr std::size_t kLineCap = 16384;

struct Client {
    int fd = -1;
    std::string nick, in, out;
    std::size_t out_off = 0;  // bytes of `out` already written
};

// The raw JSON value after "key": (a string keeps its quotes and escapes), or "" if absent.
std::string_view raw_field(std::string_view line, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::size_t i = line.find(quoted);
    if (i == std::string_view::npos) return {};
    i += quoted.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == ':')) ++i;
    if (i >= line.size() || line[i] != '"') return {};
    std::size_t j = i + 1;
    while (j < line.size() && line[j] != '"') j += line[j] == '\\' ? 2 : 1;
    return j < line.size() ? line.substr(i, j + 1 - i) : std::string_view{};
}

std::uint64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
    std::signal(SIGPIPE, SIG_IGN);
    const int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lfd, 4096) != 0 ||
        getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        std::perror("natter-bare-loop: listen");
        return 1;
    }
    std::printf("natter-bare-loop listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    std::fflush(stdout);

    std::vector<Client> clients;  // compacted after every turn
    std::vector<pollfd> pfds;
    std::uint64_t next_id = 1;
    static char buf[65536];
    for (;;) {
        pfds.assign(1, pollfd{lfd, POLLIN, 0});
        for (const Client& c : clients)
            pfds.push_back(pollfd{c.fd, static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});
        if (poll(pfds.data(), pfds.size(), -1) < 0) continue;
        const std::size_t polled = clients.size();
        for (std::size_t k = 0; k < polled; ++k) {
            Client& c = clients[k];
            if (c.fd < 0 || !(pfds[k + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                close(c.fd);
                c.fd = -1;
                continue;
            }
            if (n < 0) continue;
            c.in.append(buf, static_cast<std::size_t>(n));
            std::size_t start = 0, nl;
            while ((nl = c.in.find('\n', start)) != std::string::npos) {
                const std::string_view line(c.in.data() + start, nl - start);
                start = nl + 1;
                if (line.find("\"say\"") != std::string_view::npos && !c.nick.empty()) {
                    const std::string_view text = raw_field(line, "text");
                    if (text.empty()) continue;
                    // Serialized once; every recipient gets the same bytes appended.
                    std::string msg = "{\"type\": \"message\",\"id\": " + std::to_string(next_id++) +
                                      ",\"ts\": " + std::to_string(now_ms()) + ",\"from\": \"" +
                                      c.nick + "\",\"text\": ";
                    msg.append(text).append("}\n");
                    for (Client& r : clients)
                        if (r.fd >= 0) r.out += msg;
                } else if (line.find("\"hello\"") != std::string_view::npos && c.nick.empty()) {
                    std::string_view nick = raw_field(line, "nick");
                    if (nick.size() < 3) continue;
                    c.nick = std::string(nick.substr(1, nick.size() - 2));
                    c.out += "{\"type\": \"welcome\",\"nick\": \"" + c.nick +
                             "\",\"server\": \"natter-bare-loop\",\"motd\": \"\",\"version\": 1}\n"
                             "{\"type\": \"users\",\"users\": [],\"more\": false}\n";
                }
            }
            c.in.erase(0, start);
            if (c.in.size() > kLineCap) {
                close(c.fd);
                c.fd = -1;
            }
        }
        // Write everything queued, one send per client per turn; keep what the kernel refused.
        for (Client& c : clients) {
            if (c.fd < 0 || c.out.empty()) continue;
            const ssize_t n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
            if (n > 0) c.out_off += static_cast<std::size_t>(n);
            if (c.out_off == c.out.size()) {
                c.out.clear();
                c.out_off = 0;
            } else if (c.out_off > c.out.size() / 2) {  // compact rarely, not per write
                c.out.erase(0, c.out_off);
                c.out_off = 0;
            }
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || c.out.size() > kOutputCap) {
                close(c.fd);
                c.fd = -1;
            }
        }
        std::size_t kept = 0;
        for (Client& c : clients)
            if (c.fd >= 0 && &clients[kept++] != &c) clients[kept - 1] = std::move(c);
        clients.resize(kept);
        if (pfds[0].revents & POLLIN) {
            int fd;
            while ((fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK)) >= 0) {
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                clients.push_back(Client{fd, {}, {}, {}, 0});
            }
        }
    }
}
