// A test client for natterd over a real TCP socket on loopback: sends messages, waits for
// answers with timeouts. Not for production: it is simple and blocking-with-deadlines on purpose.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/codec.h"
#include "shared/protocol.h"

namespace natter::testing {

using namespace std::chrono_literals;

class WireClient {
public:
    // Connects to 127.0.0.1:port. A non-zero `receive_buffer` sets SO_RCVBUF before connecting
    // (a small one makes a client that never reads fill natterd's output queue quickly).
    explicit WireClient(std::uint16_t port, int receive_buffer = 0);
    ~WireClient();
    WireClient(const WireClient&) = delete;
    WireClient& operator=(const WireClient&) = delete;

    void send(const Message& m) { send_raw(encode(m)); }
    // Writes every byte (waits up to 5 s for room); false if the connection is gone.
    bool send_raw(std::string_view bytes);

    // The next message, or nothing if none arrived in time or the connection closed.
    // A line natterd sends that does not decode throws std::runtime_error.
    std::optional<Message> receive(std::chrono::milliseconds timeout = 5000ms);

    // Skips other messages until a T arrives (or the timeout passes, or the connection closes).
    template <class T>
    std::optional<T> wait_for(std::chrono::milliseconds timeout = 5000ms) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            auto m = receive(left);
            if (!m) return std::nullopt;
            if (auto* t = std::get_if<T>(&*m)) return *t;
        }
    }

    // Reads and discards until natterd closes the connection; false if still open at the timeout.
    bool wait_closed(std::chrono::milliseconds timeout = 5000ms);
    bool closed() const { return closed_; }

    // Sends hello and reads the answer: on success the welcome (and the users chunks that follow
    // it, kept in users()); on refusal nothing, with the error in last_error().
    std::optional<Welcome> login(const std::string& nick, std::chrono::milliseconds timeout = 5000ms);
    const std::vector<UserInfo>& users() const { return users_; }
    const std::optional<Error>& last_error() const { return last_error_; }

    int fd() const { return fd_; }

private:
    int fd_ = -1;
    bool closed_ = false;
    LineFramer framer_;
    std::vector<UserInfo> users_;
    std::optional<Error> last_error_;
};

}  // namespace natter::testing
