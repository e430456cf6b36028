// Helpers for the IRC listener's integration tests: natterd with an IRC port, IRC clients
// registered under a nickname, and natter clients beside them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../support/irc_client.h"
#include "server_test_util.h"

namespace natter::itest {

using testing::IrcClient;
using testing::IrcMsg;

// natterd with its IRC listener on a free port.
struct IrcServer {
    explicit IrcServer(std::vector<std::string> args = {}) : natterd(with_irc(std::move(args))), irc(testing::irc_port(natterd)) {}

    static std::vector<std::string> with_irc(std::vector<std::string> args) {
        args.insert(args.begin(), {"--irc-port", "0"});
        return args;
    }

    // An IRC client registered as `nick` that joined #lobby, where natter clients are from
    // login; fails the test if it is not welcomed or cannot join.
    std::unique_ptr<IrcClient> user(const std::string& nick) {
        auto c = std::make_unique<IrcClient>(irc);
        EXPECT_TRUE(c->register_as(nick)) << "IRC registration as " << nick << " failed";
        EXPECT_TRUE(c->join("#lobby")) << nick << " could not join #lobby";
        return c;
    }
    // A natter client logged in as `nick`.
    std::unique_ptr<WireClient> natter(const std::string& nick) { return join(natterd.port(), nick); }

    NatterdProcess natterd;
    std::uint16_t irc;
};

// The lines with this command in a batch of received lines.
inline std::vector<IrcMsg> with_command(const std::vector<IrcMsg>& lines, const std::string& command) {
    std::vector<IrcMsg> out;
    for (const IrcMsg& m : lines)
        if (m.command == command) out.push_back(m);
    return out;
}

// Everything the server sent in answer to the lines so far (see IrcClient::sync); fails the test
// if the server does not answer.
inline std::vector<IrcMsg> answers(IrcClient& c) {
    auto got = c.sync();
    EXPECT_TRUE(got.has_value()) << "natterd did not answer a PING";
    return got ? *got : std::vector<IrcMsg>{};
}

// The next line with this command, failing the test (and answering an empty one) if none comes.
inline IrcMsg expect_irc(IrcClient& c, const std::string& command) {
    auto m = c.wait_for(command);
    EXPECT_TRUE(m.has_value()) << "no " << command << " arrived";
    return m ? *m : IrcMsg{};
}

}  // namespace natter::itest
