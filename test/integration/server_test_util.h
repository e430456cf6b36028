// Helpers for natterd's integration tests: log in, wait for a message of one type, collect
// messages until a condition holds. Every wait is bounded by a generous timeout.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>

#include "../support/natterd_process.h"
#include "../support/wire_client.h"
#include "shared/protocol.h"

namespace natter::itest {

using namespace std::chrono_literals;
using testing::NatterdProcess;
using testing::WireClient;

// A connected client logged in as `nick`; fails the test if the login is refused.
inline std::unique_ptr<WireClient> join(std::uint16_t port, const std::string& nick, int rcvbuf = 0) {
    auto c = std::make_unique<WireClient>(port, rcvbuf);
    auto w = c->login(nick);
    EXPECT_TRUE(w.has_value()) << "login as " << nick << " failed"
                               << (c->last_error() ? ": " + c->last_error()->code + " " + c->last_error()->text : "");
    if (w) {
        EXPECT_EQ(w->nick, nick);
    }
    return c;
}

// The next T (skipping other messages); fails the test and returns T{} if none arrives.
template <class T>
T expect(WireClient& c, std::chrono::milliseconds timeout = 5000ms) {
    auto t = c.wait_for<T>(timeout);
    EXPECT_TRUE(t.has_value()) << "no " << typeid(T).name() << " arrived";
    return t ? *t : T{};
}

// The next chat message (group, private or action), skipping presence and the like.
inline std::optional<Message> next_chat(WireClient& c, std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto m = c.receive(left);
        if (!m) return std::nullopt;
        if (std::holds_alternative<GroupMessage>(*m) || std::holds_alternative<PrivateMessage>(*m) ||
            std::holds_alternative<Action>(*m))
            return m;
    }
}

// The next Error; its code must be `code`.
inline Error expect_error(WireClient& c, const char* code) {
    Error e = expect<Error>(c);
    EXPECT_EQ(e.code, code) << e.text;
    return e;
}

// Receives until `done(message)` returns true; false if the timeout passes or the connection
// closes first.
inline bool receive_until(WireClient& c, const std::function<bool(const Message&)>& done,
                          std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        auto m = c.receive(left);
        if (!m) return false;
        if (done(*m)) return true;
    }
}

// Waits for a Left notice about `nick` and returns its reason ("" and a failure if none).
inline std::string expect_left(WireClient& c, const std::string& nick, std::chrono::milliseconds timeout = 5000ms) {
    std::string reason;
    const bool seen = receive_until(
        c,
        [&](const Message& m) {
            const auto* l = std::get_if<Left>(&m);
            if (l == nullptr || l->nick != nick) return false;
            reason = l->reason;
            return true;
        },
        timeout);
    EXPECT_TRUE(seen) << "no left notice for " << nick;
    return reason;
}

// Reads up to the end of the answer to joining `room` (the login's #lobby answer comes first).
inline void read_join_answer(WireClient& c, const std::string& room) {
    for (;;) {
        auto end = c.wait_for<HistoryEnd>();
        if (!end) {
            ADD_FAILURE() << "no history_end for " << room;
            return;
        }
        if (end->room == room) return;
    }
}

// Stops natterd with SIGTERM and checks it ends well: exit status 0, and (in a sanitizer build)
// nothing reported by ASan, LSan or UBSan in its log.
inline void expect_clean_exit(NatterdProcess& natterd) {
    EXPECT_EQ(natterd.stop(SIGTERM), 0);
    const std::string log = natterd.log();
    EXPECT_EQ(log.find("Sanitizer"), std::string::npos) << log;
    EXPECT_EQ(log.find("runtime error"), std::string::npos) << log;
}

}  // namespace natter::itest
