// A fake natterd for end-to-end tests of the client against a lying server: it accepts one
// connection, keeps what the client sends, and sends whatever the test queues, including lines
// the real natterd would never send (controls in nicknames and texts, escape sequences).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/protocol.h"

namespace natter::testing {

class ScriptedServer {
public:
    ScriptedServer();   // listening on 127.0.0.1, a free port
    ~ScriptedServer();  // closes everything, joins its thread
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    std::uint16_t port() const { return port_; }

    // Queues a message (or raw bytes) for the client; sent as soon as it is connected.
    void send(const Message& m);
    void send_raw(const std::string& bytes);

    // The lines the client has sent so far (without their newlines).
    std::vector<std::string> received();
    // Waits until a received line contains `text`; false after the timeout.
    bool wait_received(const std::string& text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    void serve();

    int listen_fd_ = -1;
    int wake_[2] = {-1, -1};  // a pipe: wakes the thread when something is queued or on stop
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex mu_;
    std::string outbox_;
    std::string inbox_;
    std::vector<std::string> lines_;
    std::thread thread_;
};

}  // namespace natter::testing
