// natter's rooms end to end: the real natterd (with its history in a temporary data directory)
// and real natter clients in tmux. Two rooms and switching with keys and /switch, unread
// markers, a private conversation's entry, scrolling back into history loaded page by page from
// the server, /search and /topic, as a person would see them.
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "../support/natterd_process.h"
#include "../support/wire_client.h"
#include "natter_in_tmux.h"
#include "tmux_driver.h"

using namespace natter::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

class RoomsE2E : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0)
            << "no natter in " << build_dir() << " (set NATTER_BUILD)";
    }

    void start_server(std::vector<std::string> args = {}) {
        server_ = std::make_unique<NatterdProcess>(std::move(args));
        port_ = server_->port();
    }

    void start_client(const std::string& session, const std::string& nick) {
        if (!server_) start_server();
        const std::string cmd = "TERM=tmux-256color " + build_dir() + "/natter --port " +
                                std::to_string(port_) + " --nick " + nick + "; sleep 600";
        ASSERT_TRUE(tmux_.start(session, cmd, 100, 30));
    }

    std::string bar(const std::string& session) {
        const std::string s = tmux_.screen(session);
        return s.substr(0, s.find('\n'));
    }
    std::string status(const std::string& session) {
        return last_rows(tmux_.screen(session), 2).front();
    }
    bool wait_bar(const std::string& session, const std::string& text) {
        return tmux_.wait_until(session, [&](const std::string& s) {
            return contains(s.substr(0, s.find('\n')), text);
        });
    }
    bool wait_status(const std::string& session, const std::string& text) {
        return tmux_.wait_until(session, [&](const std::string& s) {
            return contains(last_rows(s, 2).front(), text);
        });
    }
    bool wait_online(const std::string& session) { return wait_status(session, "| online"); }

    // Sends a line as a person would (natter_in_tmux.h).
    void say(const std::string& session, const std::string& line) { send_line(tmux_, session, line); }

    // Presses a key and waits (briefly) for the screen to change: a scroll, or the status bar
    // saying history is on its way and then that it came.
    void press_and_wait(const std::string& session, const std::string& key) {
        const std::string before = tmux_.screen(session);
        tmux_.press(session, key);
        tmux_.wait_until(session, [&](const std::string& now) { return now != before; }, 2s);
        tmux_.wait_until(session, [&](const std::string& now) {
            return !contains(last_rows(now, 2).front(), "loading history");
        }, 5s);
    }

    TmuxDriver tmux_;
    std::unique_ptr<NatterdProcess> server_;
    std::uint16_t port_ = 0;
};

TEST_F(RoomsE2E, TwoRoomsSwitchingAndUnreadMarkers) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_online("bob")) << tmux_.screen("bob");
    EXPECT_TRUE(wait_bar("alice", "1:#lobby")) << tmux_.screen("alice");

    // Both join #rust; each is shown it once joined.
    say("alice", "/join #rust");
    ASSERT_TRUE(wait_bar("alice", "1:#lobby 2:#rust")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_status("alice", "| #rust(+n) (1)")) << tmux_.screen("alice");
    say("bob", "/join rust");
    ASSERT_TRUE(wait_status("bob", "| #rust(+n) (2)")) << tmux_.screen("bob");
    ASSERT_TRUE(wait_status("alice", "| #rust(+n) (2)")) << tmux_.screen("alice");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "bob joined")) << tmux_.screen("alice");

    // Alice goes back to the lobby with Alt-1; what bob says in #rust counts there as unread.
    tmux_.press("alice", "M-1");
    ASSERT_TRUE(wait_status("alice", "| #lobby(+n) (2)")) << tmux_.screen("alice");
    say("bob", "ownership is simple");
    ASSERT_TRUE(wait_bar("alice", "2:#rust(1)")) << tmux_.screen("alice");
    say("bob", "right, alice?");
    ASSERT_TRUE(wait_bar("alice", "2:#rust(2!)")) << tmux_.screen("alice");
    EXPECT_FALSE(contains(tmux_.screen("alice"), "ownership is simple")) << "not in the lobby's log";
    // A lobby message from bob shows where alice is.
    say("bob", "/w #lobby");
    ASSERT_TRUE(wait_status("bob", "| #lobby")) << tmux_.screen("bob");
    say("bob", "lobby news");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<bob> lobby news")) << tmux_.screen("alice");

    // Ctrl-N shows #rust with both messages, and its marker is gone.
    tmux_.press("alice", "C-n");
    ASSERT_TRUE(wait_status("alice", "| #rust(+n) (2)")) << tmux_.screen("alice");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<bob> ownership is simple")) << tmux_.screen("alice");
    EXPECT_TRUE(contains(tmux_.screen("alice"), "<bob> right, alice?"));
    EXPECT_FALSE(contains(tmux_.screen("alice"), "lobby news"));
    EXPECT_TRUE(wait_bar("alice", "1:#lobby 2:#rust")) << tmux_.screen("alice");
    EXPECT_FALSE(contains(bar("alice"), "(")) << bar("alice");

    // Typing in #rust goes to #rust only; Ctrl-P and /switch move around.
    say("alice", "borrow it then");
    EXPECT_TRUE(wait_bar("bob", "2:#rust(1)")) << tmux_.screen("bob");
    tmux_.press("alice", "C-p");
    ASSERT_TRUE(wait_status("alice", "| #lobby")) << tmux_.screen("alice");
    say("alice", "/switch #rust");
    ASSERT_TRUE(wait_status("alice", "| #rust")) << tmux_.screen("alice");

    // Leaving takes the entry off the bar; the room's members see it there.
    say("alice", "/part");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "you left #rust")) << tmux_.screen("alice");
    EXPECT_FALSE(contains(bar("alice"), "#rust")) << bar("alice");
    say("bob", "/w rust");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "alice left")) << tmux_.screen("bob");
    EXPECT_TRUE(wait_status("bob", "| #rust(+n) (1)")) << tmux_.screen("bob");
}

TEST_F(RoomsE2E, APrivateConversationGetsItsOwnEntry) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));
    ASSERT_TRUE(tmux_.wait_until("alice", [](const std::string& s) {
        return contains(user_pane_of(s), " bob");
    })) << tmux_.screen("alice");

    say("bob", "@alice are you there?");
    // Its entry opens on both sides: unread and marked for alice, read for bob who sent it.
    ASSERT_TRUE(wait_bar("alice", "2:@bob(1!)")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_bar("bob", "2:@alice")) << tmux_.screen("bob");
    EXPECT_TRUE(contains(tmux_.screen("alice"), "[bob \u2192 you] are you there?"));

    // In the conversation, a plain line goes to that person.
    tmux_.press("alice", "M-2");
    ASSERT_TRUE(wait_status("alice", "| private with bob")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_bar("alice", "2:@bob")) << tmux_.screen("alice");
    say("alice", "yes, here");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "[alice \u2192 you] yes, here")) << tmux_.screen("bob");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "[you \u2192 bob] yes, here")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_bar("bob", "2:@alice(1!)")) << tmux_.screen("bob");
}

TEST_F(RoomsE2E, ScrollingBackLoadsHistoryPageByPageToTheBeginning) {
    // Pages of 20: 70 messages are the last page on joining and three more to ask for.
    start_server({"--history", "20", "--no-flood-limit"});
    {
        WireClient poster(port_);
        ASSERT_TRUE(poster.login("poster"));
        for (int i = 1; i <= 70; ++i) {
            char text[32];
            std::snprintf(text, sizeof text, "history line %03d", i);
            poster.send(natter::Say{text, "#lobby"});
        }
        // Every one is stored once its echo comes.
        for (int got = 0; got < 70;) {
            auto m = poster.wait_for<natter::GroupMessage>(5s);
            ASSERT_TRUE(m) << "only " << got << " acknowledged";
            ++got;
        }
    }
    start_client("reader", "reader");
    ASSERT_TRUE(wait_online("reader")) << tmux_.screen("reader");
    ASSERT_TRUE(tmux_.wait_for_text("reader", "<poster> history line 070")) << tmux_.screen("reader");
    EXPECT_TRUE(contains(tmux_.screen("reader"), "--- history ---")) << tmux_.screen("reader");
    EXPECT_FALSE(contains(tmux_.screen("reader"), "history line 050"));

    // PgUp until the beginning; each time the top is reached the page before comes in above.
    bool beginning = false;
    for (int i = 0; i < 40 && !beginning; ++i) {
        press_and_wait("reader", "PPage");
        beginning = contains(tmux_.screen("reader"), "--- beginning of #lobby ---");
    }
    const std::string top = tmux_.screen("reader");
    ASSERT_TRUE(beginning) << top;
    // The beginning line on the top row of the log, the first message right under it.
    std::vector<std::string> rows;
    for (std::size_t at = 0, nl; (nl = top.find('\n', at)) != std::string::npos; at = nl + 1)
        rows.push_back(top.substr(at, nl - at));
    ASSERT_GE(rows.size(), 3u);
    EXPECT_TRUE(contains(rows[1], "--- beginning of #lobby ---")) << top;
    EXPECT_TRUE(contains(rows[2], "<poster> history line 001")) << top;
    EXPECT_TRUE(contains(last_rows(top, 2).front(), "more below")) << top;
    // Every message is there once, in order: scroll down through all of them.
    std::string seen = top;
    for (int i = 0; i < 12 && contains(status("reader"), "more below"); ++i) {
        press_and_wait("reader", "NPage");
        seen += tmux_.screen("reader");
    }
    for (int i = 1; i <= 70; ++i) {
        char text[32];
        std::snprintf(text, sizeof text, "history line %03d", i);
        EXPECT_TRUE(contains(seen, text)) << text;
    }
    EXPECT_TRUE(tmux_.wait_until("reader", [](const std::string& now) {
        return !contains(last_rows(now, 2).front(), "more below");
    })) << "back at the newest: " << tmux_.screen("reader");
}

TEST_F(RoomsE2E, TopicAndSearch) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));
    say("alice", "/topic release on friday");
    EXPECT_TRUE(wait_status("alice", "| #lobby(+n) (2) | release on friday")) << tmux_.screen("alice");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "topic of #lobby: release on friday (set by alice)"))
        << tmux_.screen("bob");
    EXPECT_TRUE(wait_status("bob", "| release on friday")) << tmux_.screen("bob");

    say("bob", "we deploy on friday");
    say("alice", "something else entirely");
    say("bob", "deployment went fine");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "<bob> deployment went fine")) << tmux_.screen("alice");
    // natterd indexes a moment behind the messages: search again (on a cleared log) until both
    // are found.
    bool both = false;
    for (int i = 0; i < 50 && !both; ++i) {
        say("alice", "/clear");
        say("alice", "/search deploy");
        ASSERT_TRUE(tmux_.wait_until("alice", [](const std::string& now) {
            return contains(now, "with \"deploy\" in #lobby");
        })) << tmux_.screen("alice");
        both = contains(tmux_.screen("alice"), "--- 2 messages with");
        if (!both) std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(both) << tmux_.screen("alice");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "--- end of search ---")) << tmux_.screen("alice");
    const std::string s = tmux_.screen("alice");
    EXPECT_TRUE(contains(s, "--- 2 messages with \"deploy\" in #lobby ---")) << s;
    // With the date and time, and the author.
    const auto at = s.find("--- 2 messages");
    const std::string results = s.substr(at);
    EXPECT_TRUE(contains(results, "<bob> we deploy on friday")) << s;
    EXPECT_TRUE(contains(results, "<bob> deployment went fine")) << s;
    EXPECT_FALSE(contains(results, "something else entirely")) << s;
    const auto line = results.substr(results.find('\n') + 1, 16);
    EXPECT_EQ(line.size(), 16u);
    EXPECT_TRUE(line[4] == '-' && line[7] == '-' && line[10] == ' ' && line[13] == ':') << line;
}

}  // namespace
