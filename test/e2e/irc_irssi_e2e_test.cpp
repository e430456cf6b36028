// The IRC listener end to end: a real irssi from Debian (a throwaway home under /tmp, connecting
// to 127.0.0.1 only) and a real natter client, both in tmux, chatting in #lobby through one
// natterd: messages both ways, a private message each way, a nick change each way, and a quit.
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "../support/irc_client.h"
#include "../support/natterd_process.h"
#include "tmux_driver.h"

using namespace natter::testing;
using namespace std::chrono_literals;

namespace {

// A screen row holding both pieces of text.
bool row_with(const std::string& screen, const std::string& a, const std::string& b) {
    std::istringstream rows(screen);
    std::string row;
    while (std::getline(rows, row))
        if (row.find(a) != std::string::npos && row.find(b) != std::string::npos) return true;
    return false;
}

class IrssiE2E : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(access("/usr/bin/irssi", X_OK), 0) << "irssi is not installed (make deps installs it)";
        ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0) << "no natter in " << build_dir();
        server_ = std::make_unique<NatterdProcess>(std::vector<std::string>{"--irc-port", "0", "--server-name", "irc.test"});
        char tmpl[] = "/tmp/natter-irssi-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        home_ = tmpl;
        // No servers, networks or channels of its own: irssi connects where the command line says.
        std::ofstream(home_ + "/config") << "servers = ( );\nchatnets = { };\nchannels = ( );\n"
                                            "settings = { core = { real_name = \"irssi tester\"; "
                                            "user_name = \"tester\"; nick = \"iris\"; }; };\n";
    }
    void TearDown() override {
        tmux_.reset();  // ends irssi and natter before their files go
        if (!home_.empty()) std::system(("rm -rf '" + home_ + "'").c_str());
    }

    void start_irssi(const std::string& nick) {
        const std::string cmd = "TERM=screen irssi --home=" + home_ + " --connect=127.0.0.1 --port=" +
                                std::to_string(irc_port(*server_)) + " --nick=" + nick + "; sleep 600";
        ASSERT_TRUE(tmux_->start("irssi", cmd, 120, 30));
    }
    void start_natter(const std::string& nick) {
        const std::string cmd = "TERM=screen " + build_dir() + "/natter --port " + std::to_string(server_->port()) +
                                " --nick " + nick + "; sleep 600";
        ASSERT_TRUE(tmux_->start("natter", cmd, 100, 30));
    }
    // A line typed into irssi (a command or chat text).
    void irssi(const std::string& line) {
        tmux_->type("irssi", line);
        tmux_->press("irssi", "Enter");
    }
    // A line typed into natter, once it shows in its input line.
    void natter(const std::string& line) {
        tmux_->type("natter", line);
        ASSERT_TRUE(tmux_->wait_until("natter", [&](const std::string& s) {
            return last_rows(s, 1).front().find(line.substr(0, 10)) != std::string::npos;
        })) << tmux_->screen("natter");
        tmux_->press("natter", "Enter");
        ASSERT_TRUE(tmux_->wait_until("natter", [](const std::string& s) { return last_rows(s, 1).front() == ">"; }))
            << tmux_->screen("natter");
    }
    bool irssi_shows(const std::string& a, const std::string& b = "") {
        return tmux_->wait_until("irssi", [&](const std::string& s) { return row_with(s, a, b); });
    }
    bool natter_shows(const std::string& a, const std::string& b = "") {
        return tmux_->wait_until("natter", [&](const std::string& s) { return row_with(s, a, b); });
    }

    std::unique_ptr<TmuxDriver> tmux_ = std::make_unique<TmuxDriver>();
    std::unique_ptr<NatterdProcess> server_;
    std::string home_;
};

TEST_F(IrssiE2E, ChatsWithANatterUserInTheLobby) {
    start_natter("nat");
    ASSERT_TRUE(natter_shows("| online")) << tmux_->screen("natter");
    start_irssi("iris");
    ASSERT_TRUE(irssi_shows("Welcome to the natter IRC network, iris")) << tmux_->screen("irssi");
    // The MOTD says where natter users are; joining it opens irssi's window, and natter sees
    // iris come.
    ASSERT_TRUE(irssi_shows("natter users talk in #lobby")) << tmux_->screen("irssi");
    irssi("/join #lobby");
    ASSERT_TRUE(irssi_shows("iris", "has joined #lobby")) << tmux_->screen("irssi");
    ASSERT_TRUE(natter_shows("iris", "joined")) << tmux_->screen("natter");

    irssi("hello from irssi \xE2\x9C\x93");
    EXPECT_TRUE(natter_shows("iris", "hello from irssi \xE2\x9C\x93")) << tmux_->screen("natter");
    natter("hi iris, natter here");
    EXPECT_TRUE(irssi_shows("nat>", "hi iris, natter here")) << tmux_->screen("irssi");

    // Private messages, each way.
    irssi("/msg nat a secret for you");
    EXPECT_TRUE(natter_shows("iris", "a secret for you")) << tmux_->screen("natter");
    natter("@iris secret back");
    irssi("/window goto nat");
    EXPECT_TRUE(irssi_shows("nat>", "secret back")) << tmux_->screen("irssi");
    irssi("/window goto #lobby");

    // Nick changes, each way.
    irssi("/nick irene");
    EXPECT_TRUE(natter_shows("iris", "irene")) << tmux_->screen("natter");
    EXPECT_TRUE(irssi_shows("You're now known as irene")) << tmux_->screen("irssi");
    natter("/nick natalie");
    EXPECT_TRUE(irssi_shows("nat", "is now known as natalie")) << tmux_->screen("irssi");
    irssi("after the renames");
    EXPECT_TRUE(natter_shows("irene", "after the renames")) << tmux_->screen("natter");

    // irssi quits: natter sees it go, with the reason.
    irssi("/quit see you");
    EXPECT_TRUE(natter_shows("irene", "see you")) << tmux_->screen("natter");
    EXPECT_EQ(server_->stop(SIGTERM), 0);
}

}  // namespace
