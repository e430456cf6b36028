// A room's operator at work, end to end: the real natterd and two real natter clients in tmux.
// alice creates #ops (so she is its operator), bob joins; alice moderates the room, gives bob
// voice and kicks him, and each of them sees it in words, as a person would, and the room's
// modes in the status bar.
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "../support/natterd_process.h"
#include "natter_in_tmux.h"
#include "tmux_driver.h"

using namespace natter::testing;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

class RoomOpsE2E : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0)
            << "no natter in " << build_dir() << " (set NATTER_BUILD)";
        server_ = std::make_unique<NatterdProcess>();
    }

    void start_client(const std::string& nick) {
        const std::string cmd = "TERM=tmux-256color " + build_dir() + "/natter --port " +
                                std::to_string(server_->port()) + " --nick " + nick + "; sleep 600";
        ASSERT_TRUE(tmux_.start(nick, cmd, 120, 30));
    }

    // The status bar is the row above the input line.
    bool wait_status(const std::string& session, const std::string& text) {
        return tmux_.wait_until(session, [&](const std::string& s) {
            return contains(last_rows(s, 2).front(), text);
        });
    }
    bool wait_pane(const std::string& session, const std::function<bool(const std::string&)>& pred) {
        return tmux_.wait_until(session, [&](const std::string& s) { return pred(user_pane_of(s)); });
    }

    TmuxDriver tmux_;
    std::unique_ptr<NatterdProcess> server_;
};

TEST_F(RoomOpsE2E, AnOperatorModeratesGivesVoiceAndKicks) {
    start_client("alice");
    start_client("bob");
    ASSERT_TRUE(wait_status("alice", "| online")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_status("bob", "| online")) << tmux_.screen("bob");

    // A new room is +n, and the status bar says so next to its name, as irssi does.
    send_line(tmux_, "alice", "/join #ops");
    ASSERT_TRUE(wait_status("alice", "| #ops(+n) (1)")) << tmux_.screen("alice");
    send_line(tmux_, "bob", "/join #ops");
    ASSERT_TRUE(wait_status("bob", "| #ops(+n) (2)")) << tmux_.screen("bob");
    // The question asked on joining is for the status bar: its answer is not in the log.
    EXPECT_FALSE(contains(tmux_.screen("bob"), "modes:")) << tmux_.screen("bob");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "bob joined")) << tmux_.screen("alice");
    // bob sees alice as the room's operator.
    ASSERT_TRUE(wait_pane("bob", [](const std::string& p) { return contains(p, "@alice"); }))
        << tmux_.screen("bob");

    // Moderated: bob is told so in words, and what he says is refused with a reason he can read.
    send_line(tmux_, "alice", "/mode +m");
    const std::string moderated = "alice set +m: only operators and voiced members may speak";
    ASSERT_TRUE(tmux_.wait_for_text("bob", moderated)) << tmux_.screen("bob");
    ASSERT_TRUE(tmux_.wait_for_text("alice", moderated)) << tmux_.screen("alice");
    // Both status bars show the m at a glance.
    EXPECT_TRUE(wait_status("alice", "| #ops(+mn) (2)")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_status("bob", "| #ops(+mn) (2)")) << tmux_.screen("bob");
    send_line(tmux_, "bob", "can anyone hear me");
    ASSERT_TRUE(tmux_.wait_for_text("bob", "!! #ops is moderated: only its operators and voiced members may speak"))
        << tmux_.screen("bob");
    // alice asks what the room has.
    send_line(tmux_, "alice", "/mode");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "#ops modes: +mn (moderated, members only)")) << tmux_.screen("alice");

    // Voice: bob may speak, and everyone's list marks him.
    send_line(tmux_, "alice", "/mode +v bob");
    ASSERT_TRUE(tmux_.wait_for_text("bob", "alice gave you voice")) << tmux_.screen("bob");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "alice gave bob voice")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_pane("alice", [](const std::string& p) { return contains(p, "+bob"); }))
        << tmux_.screen("alice");
    send_line(tmux_, "bob", "thanks for the voice");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "<bob> thanks for the voice")) << tmux_.screen("alice");
    // What he said while he could not speak never reached her (it would be above this line).
    EXPECT_FALSE(contains(tmux_.screen("alice"), "can anyone hear me")) << tmux_.screen("alice");

    // The kick: bob is told by whom and why, and #ops leaves his bar; alice's list is hers alone.
    send_line(tmux_, "alice", "/kick bob too noisy");
    ASSERT_TRUE(tmux_.wait_for_text("bob", "you were removed from #ops by alice (too noisy)"))
        << tmux_.screen("bob");
    EXPECT_TRUE(wait_status("bob", "| #lobby")) << tmux_.screen("bob");
    const std::string bob = tmux_.screen("bob");
    EXPECT_FALSE(contains(bob.substr(0, bob.find('\n')), "#ops")) << "the room bar: " << bob;
    ASSERT_TRUE(tmux_.wait_for_text("alice", "bob was removed by alice (too noisy)")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_status("alice", "| #ops(+mn) (1)")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_pane("alice", [](const std::string& p) { return !contains(p, "bob"); }))
        << tmux_.screen("alice");
}

}  // namespace
