// A test client speaking IRC to natterd's IRC listener over a real TCP socket on loopback. It
// parses what it receives with its own small parser (not natterd's), and checks the line rules
// on every line: CRLF at the end, at most 512 bytes without the tags. Blocking with deadlines,
// like WireClient.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "natterd_process.h"

namespace natter::testing {

// One line from the server.
struct IrcMsg {
    std::string raw;      // without CRLF
    std::string tags;     // without '@', or empty
    std::string prefix;   // without ':', or empty
    std::string command;
    std::vector<std::string> params;

    // The nickname of the prefix ("bob" of "bob!~b@irc").
    std::string nick() const { return prefix.substr(0, prefix.find('!')); }
    // Parameter i, or "" when there are fewer.
    std::string param(std::size_t i) const { return i < params.size() ? params[i] : std::string(); }
    std::string last() const { return params.empty() ? std::string() : params.back(); }
};

// The port natterd's IRC listener took ("natterd IRC listening on ADDR:PORT" on its stdout).
std::uint16_t irc_port(const NatterdProcess& natterd);

class IrcClient {
public:
    explicit IrcClient(std::uint16_t port);
    ~IrcClient();
    IrcClient(const IrcClient&) = delete;
    IrcClient& operator=(const IrcClient&) = delete;

    // Sends one line (CRLF added).
    bool send(std::string_view line) { return send_raw(std::string(line) + "\r\n"); }
    // Sends bytes as they are; false if the connection is gone.
    bool send_raw(std::string_view bytes);

    // The next line, or nothing on timeout or close. Throws std::runtime_error on a line that
    // breaks the rules (no CRLF, over 512 bytes).
    std::optional<IrcMsg> receive(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    // Skips lines until one matches (returned), or nothing.
    std::optional<IrcMsg> wait_for(const std::function<bool(const IrcMsg&)>& match,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    std::optional<IrcMsg> wait_for(const std::string& command,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    // Everything the server sends before the answer to a PING of ours: what the lines sent so
    // far caused (the server handles a client's lines in order). Fails the wait (nothing) if no
    // PONG comes.
    std::optional<std::vector<IrcMsg>> sync(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    // NICK and USER (after PASS when given), then waits for the end of the MOTD, the end of
    // registration. Answers whether RPL_WELCOME came; every line received is kept in `seen`
    // when given.
    bool register_as(const std::string& nick, const std::string& password = "",
                     std::vector<IrcMsg>* seen = nullptr);
    // JOIN, then waits for the end of the join answer (RPL_ENDOFNAMES); false if it is refused.
    bool join(const std::string& room);

    // Reads and discards until the server closes; false if still open at the timeout.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    bool closed() const { return closed_; }

private:
    int fd_ = -1;
    bool closed_ = false;
    std::string buf_;
    int syncs_ = 0;
};

// Parses one line (without CRLF) the plain RFC 1459 way.
IrcMsg parse_irc(std::string_view line);

}  // namespace natter::testing
