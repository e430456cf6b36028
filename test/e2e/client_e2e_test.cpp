// natter end to end: the real natterd and two or three real natter clients in tmux, typed into
// with send-keys and read back with capture-pane, asserting on what a person would see.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "../support/natterd_process.h"
#include "../support/wire_client.h"
#include "shared/codec.h"
#include "natter_in_tmux.h"
#include "tmux_driver.h"

using namespace natter::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

std::size_t codepoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

class ClientE2E : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0)
            << "no natter in " << build_dir() << " (set NATTER_BUILD)";
        server_ = std::make_unique<NatterdProcess>();
        port_ = server_->port();
    }

    // Starts natter as `nick` in its own tmux session. After natter exits, the shell prints its
    // exit status and keeps the pane open so the test can see the restored screen.
    void start_client(const std::string& session, const std::string& nick,
                      const std::string& term = "tmux-256color", int cols = 100, int rows = 30) {
        const std::string cmd = "TERM=" + term + " " + build_dir() + "/natter --port " +
                                std::to_string(port_) + " --nick " + nick +
                                "; echo natter-exited=$?; sleep 600";
        ASSERT_TRUE(tmux_.start(session, cmd, cols, rows));
    }

    std::string status_row(const std::string& session) {
        return last_rows(tmux_.screen(session), 2).front();
    }

    bool wait_online(const std::string& session, std::chrono::milliseconds t = 10s) {
        return tmux_.wait_until(session, [](const std::string& s) {
            return contains(last_rows(s, 2).front(), "| online");
        }, t);
    }

    bool wait_user_pane(const std::string& session, const std::string& text) {
        return tmux_.wait_until(session, [&](const std::string& s) {
            return contains(user_pane_of(s), text);
        });
    }

    // Sends a line as a person would (natter_in_tmux.h).
    void say(const std::string& session, const std::string& line) { send_line(tmux_, session, line); }

    TmuxDriver tmux_;
    std::unique_ptr<NatterdProcess> server_;
    std::uint16_t port_ = 0;
};

TEST_F(ClientE2E, TwoUsersSeeEachOtherAndChat) {
    start_client("alice", "alice");
    start_client("bob", "bob", "screen");
    ASSERT_TRUE(wait_online("alice")) << tmux_.screen("alice");
    ASSERT_TRUE(wait_online("bob")) << tmux_.screen("bob");
    EXPECT_TRUE(wait_user_pane("alice", " bob")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_user_pane("alice", "*alice")) << tmux_.screen("alice");
    EXPECT_TRUE(wait_user_pane("bob", " alice")) << tmux_.screen("bob");
    EXPECT_TRUE(wait_user_pane("bob", "*bob")) << tmux_.screen("bob");

    say("alice", "hello from alice");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "<alice> hello from alice")) << tmux_.screen("bob");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<alice> hello from alice")) << tmux_.screen("alice");
    say("bob", "hi alice, bob here");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<bob> hi alice, bob here")) << tmux_.screen("alice");
}

TEST_F(ClientE2E, PrivateMessageReachesOnlyItsTarget) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    start_client("carol", "carol");
    for (auto s : {"alice", "bob", "carol"}) ASSERT_TRUE(wait_online(s)) << tmux_.screen(s);
    ASSERT_TRUE(wait_user_pane("alice", " carol")) << tmux_.screen("alice");

    say("alice", "@bob the secret is 42");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "[alice \u2192 you] the secret is 42")) << tmux_.screen("bob");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "[you \u2192 bob] the secret is 42")) << tmux_.screen("alice");
    // natterd handles alice's lines in order: once carol has the next group message, she would
    // already have had the private one, had it been sent to her.
    say("alice", "after the secret");
    ASSERT_TRUE(tmux_.wait_for_text("carol", "<alice> after the secret")) << tmux_.screen("carol");
    EXPECT_FALSE(contains(tmux_.screen("carol"), "secret is 42")) << tmux_.screen("carol");

    say("carol", "/msg alice via msg");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "[carol \u2192 you] via msg")) << tmux_.screen("alice");
}

TEST_F(ClientE2E, IgnoreStopsGroupMessagesButNotPrivateOnes) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));
    ASSERT_TRUE(wait_user_pane("alice", " bob")) << tmux_.screen("alice");

    say("bob", "/i");
    EXPECT_TRUE(tmux_.wait_until("bob", [](const std::string& s) {
        return contains(last_rows(s, 2).front(), "IGNORING");
    })) << tmux_.screen("bob");
    EXPECT_TRUE(wait_user_pane("alice", " bob (i)")) << tmux_.screen("alice");

    say("alice", "group text while bob ignores");
    say("alice", "@bob private text while bob ignores");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "[alice \u2192 you] private text while bob ignores"))
        << tmux_.screen("bob");
    EXPECT_FALSE(contains(tmux_.screen("bob"), "group text while bob ignores")) << tmux_.screen("bob");

    say("bob", "/ignore");
    ASSERT_TRUE(tmux_.wait_for_text("bob", "ignore mode off")) << tmux_.screen("bob");
    say("alice", "group text after ignoring");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "<alice> group text after ignoring")) << tmux_.screen("bob");
}

TEST_F(ClientE2E, ChineseAndEmojiArriveIntact) {
    start_client("alice", "alice");
    start_client("bob", "张伟");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob")) << tmux_.screen("bob");
    EXPECT_TRUE(wait_user_pane("alice", " 张伟")) << tmux_.screen("alice");
    const std::string text = "你好，世界！这是一条中文消息 😀 日本語も";
    say("bob", text);
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<张伟> " + text)) << tmux_.screen("alice");
    // A long Chinese line wraps by width, without losing or splitting a character.
    std::string long_text;
    for (int i = 0; i < 8; ++i) long_text += "中文换行测试";
    say("bob", long_text);
    ASSERT_TRUE(tmux_.wait_for_text("alice", "<张伟> 中文换行测试")) << tmux_.screen("alice");
    const std::string screen = tmux_.screen("alice");
    std::string joined;
    for (const auto& row : last_rows(screen, 12)) {
        const auto bar = row.rfind("\u2502");
        std::string left = bar == std::string::npos ? row : row.substr(0, bar);
        for (char c : left)
            if (c != ' ') joined += c;
    }
    std::string expected;
    for (char c : long_text)
        if (c != ' ') expected += c;
    EXPECT_TRUE(contains(joined, expected)) << screen;
}

TEST_F(ClientE2E, ResizeLaysOutAgainAndKeepsTheInput) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_user_pane("alice", " bob")) << tmux_.screen("alice");
    say("bob", "a message long enough that it has to wrap when the terminal becomes narrow");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "becomes narrow")) << tmux_.screen("alice");
    tmux_.type("alice", "half typed");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "> half typed"));

    // Narrow: the user pane goes away, the message wraps at 50 columns, the input survives.
    tmux_.resize("alice", 50, 20);
    // tmux cuts the old screen to the new size at once, so wait for natter's own redraw: the
    // message wrapped onto a second row, not merely truncated.
    auto wrapped = [](const std::string& s) {
        bool first_row = false, wrapped_tail = false;
        for (const auto& row : last_rows(s, 20)) {
            if (contains(row, "<bob> a message long")) first_row = !contains(row, "narrow");
            if (contains(row, "narrow") && !contains(row, "<bob>")) wrapped_tail = true;
        }
        return first_row && wrapped_tail;
    };
    EXPECT_TRUE(tmux_.wait_until("alice", [&](const std::string& s) {
        return user_pane_of(s).empty() && contains(s, "> half typed") && wrapped(s);
    })) << tmux_.screen("alice");
    const std::string narrow = tmux_.screen("alice");
    for (const auto& row : last_rows(narrow, 20)) EXPECT_LE(codepoints(row), 50u) << row;

    // Tiny, then back: nothing crashes and everything returns.
    tmux_.resize("alice", 20, 5);
    EXPECT_TRUE(tmux_.wait_for_text("alice", "> half typed")) << tmux_.screen("alice");
    tmux_.resize("alice", 2, 1);
    tmux_.resize("alice", 100, 30);
    EXPECT_TRUE(tmux_.wait_until("alice", [](const std::string& s) {
        return contains(user_pane_of(s), " bob") && contains(s, "> half typed");
    })) << tmux_.screen("alice");
    tmux_.press("alice", "Enter");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "<alice> half typed")) << tmux_.screen("bob");
}

TEST_F(ClientE2E, ClientsReconnectAfterTheServerRestarts) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));

    server_->stop();
    EXPECT_TRUE(tmux_.wait_until("alice", [](const std::string& s) {
        return contains(last_rows(s, 2).front(), "offline");
    })) << tmux_.screen("alice");
    tmux_.type("alice", "typed while the server was down");

    server_ = std::make_unique<NatterdProcess>(std::vector<std::string>{"--port", std::to_string(port_)});
    ASSERT_EQ(server_->port(), port_);
    ASSERT_TRUE(wait_online("alice", 20s)) << tmux_.screen("alice");
    ASSERT_TRUE(wait_online("bob", 20s)) << tmux_.screen("bob");
    EXPECT_TRUE(wait_user_pane("alice", " bob")) << tmux_.screen("alice");
    // The room's modes are asked for again once joined again: the status bar shows them.
    EXPECT_TRUE(tmux_.wait_until("alice", [](const std::string& s) {
        return contains(last_rows(s, 2).front(), "| #lobby(+n) (2)");
    })) << tmux_.screen("alice");
    EXPECT_TRUE(contains(tmux_.screen("alice"), "> typed while the server was down"))
        << tmux_.screen("alice");

    tmux_.press("alice", "Enter");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "<alice> typed while the server was down"))
        << tmux_.screen("bob");
    say("bob", "and back again");
    EXPECT_TRUE(tmux_.wait_for_text("alice", "<bob> and back again")) << tmux_.screen("alice");
}

namespace {

// How many of the rooms "#p0".."#p29" natterd says have exactly one member (the natter client;
// `watcher` is in none of them), asked with /rooms over its own connection.
int rooms_with_one_member(WireClient& watcher) {
    watcher.send(natter::ListRooms{});
    int n = 0;
    while (auto list = watcher.wait_for<natter::RoomList>(5s)) {
        for (const auto& r : list->rooms)
            if (r.room.rfind("#p", 0) == 0 && r.members == 1) ++n;
        if (!list->more) break;
    }
    return n;
}

// Polls natterd (every half second, up to `deadline`) until all thirty rooms hold the client.
bool all_thirty_joined(std::uint16_t port, std::chrono::seconds deadline) {
    WireClient watcher(port);
    if (!watcher.login("watcher")) return false;
    const auto until = std::chrono::steady_clock::now() + deadline;
    do {
        if (rooms_with_one_member(watcher) == 30) return true;
        std::this_thread::sleep_for(500ms);
    } while (std::chrono::steady_clock::now() < until);
    return false;
}

}  // namespace

// Thirty rooms, more than natterd's flood limit lets a client join at once: the /join lines
// typed go out paced, and after natterd restarts, the client joins all thirty again, paced too,
// without one message refused or being disconnected for flooding.
TEST_F(ClientE2E, AReconnectIntoThirtyRoomsRejoinsThemAllUnderTheFloodLimit) {
    start_client("ann", "ann", "tmux-256color", 120, 40);
    ASSERT_TRUE(wait_online("ann"));
    for (int i = 0; i < 30; ++i) say("ann", "/join #p" + std::to_string(i));
    ASSERT_TRUE(all_thirty_joined(port_, 40s)) << tmux_.screen("ann");
    EXPECT_FALSE(contains(server_->log(), "flood:")) << server_->log();

    server_->stop();
    ASSERT_TRUE(tmux_.wait_until("ann", [](const std::string& s) {
        return contains(last_rows(s, 2).front(), "offline");
    })) << tmux_.screen("ann");
    server_ = std::make_unique<NatterdProcess>(std::vector<std::string>{"--port", std::to_string(port_)});
    ASSERT_EQ(server_->port(), port_);
    ASSERT_TRUE(wait_online("ann", 20s)) << tmux_.screen("ann");
    EXPECT_TRUE(tmux_.wait_for_text("ann", "rejoining 30 rooms")) << tmux_.screen("ann");
    ASSERT_TRUE(all_thirty_joined(port_, 60s)) << tmux_.screen("ann");
    // The room shown came back first, with its modes.
    EXPECT_TRUE(contains(status_row("ann"), "#p29(+n)")) << tmux_.screen("ann");
    const std::string log = server_->log();
    EXPECT_FALSE(contains(log, "flood:")) << log;
    EXPECT_FALSE(contains(tmux_.screen("ann"), "slow down")) << tmux_.screen("ann");
    const std::string screen = tmux_.screen("ann");
    EXPECT_EQ(screen.find("disconnected:"), screen.rfind("disconnected:")) << "once, by the restart\n" << screen;
}

TEST_F(ClientE2E, QuitLeavesAndRestoresTheTerminal) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));
    tmux_.type("alice", "/quit off to lunch");
    tmux_.press("alice", "Enter");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "natter-exited=0")) << tmux_.screen("alice");
    const std::string after = tmux_.screen("alice");
    // The normal screen is back: natter's panes are gone, the cursor is visible.
    EXPECT_FALSE(contains(after, "@ localhost")) << after;
    EXPECT_FALSE(contains(after, "\u2502")) << after;
    EXPECT_EQ(tmux_.pane_format("alice", "#{alternate_on}#{cursor_flag}#{mouse_any_flag}"), "010");
    // Bracketed paste is off again: a paste into the shell's terminal arrives without markers
    // (the terminal echoes it, so the markers would show as ^[[200~).
    tmux_.paste("alice", "pasted-after-exit");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "pasted-after-exit")) << tmux_.screen("alice");
    EXPECT_FALSE(contains(tmux_.screen("alice"), "200~")) << tmux_.screen("alice");
    // The goodbye reached the server and the others (natterd words the reason its own way).
    EXPECT_TRUE(tmux_.wait_until("bob", [](const std::string& s) {
        return contains(s, "alice left (") && contains(s, "off to lunch)");
    })) << tmux_.screen("bob");

    // Ctrl-C leaves just as cleanly.
    tmux_.press("bob", "C-c");
    EXPECT_TRUE(tmux_.wait_for_text("bob", "natter-exited=0")) << tmux_.screen("bob");
    EXPECT_EQ(tmux_.pane_format("bob", "#{alternate_on}"), "0");
}

TEST_F(ClientE2E, RefusedNicknameIsAskedForAgain) {
    start_client("alice", "alice");
    ASSERT_TRUE(wait_online("alice"));
    start_client("other", "ALICE");
    ASSERT_TRUE(tmux_.wait_for_text("other", "\nnickname>")) << tmux_.screen("other");
    EXPECT_TRUE(contains(status_row("other"), "choose a nickname"));
    tmux_.type("other", "alice_too");
    ASSERT_TRUE(tmux_.wait_for_text("other", "nickname> alice_too"));
    tmux_.press("other", "Enter");
    ASSERT_TRUE(wait_online("other")) << tmux_.screen("other");
    EXPECT_TRUE(wait_user_pane("alice", " alice_too")) << tmux_.screen("alice");
}

TEST_F(ClientE2E, APasteOfManyLinesIsOneMessage) {
    start_client("alice", "alice");
    start_client("bob", "bob");
    ASSERT_TRUE(wait_online("alice"));
    ASSERT_TRUE(wait_online("bob"));
    tmux_.paste("alice", "first pasted line\nsecond pasted line\nthird pasted line");
    ASSERT_TRUE(tmux_.wait_for_text("alice", "[3 lines] >")) << tmux_.screen("alice");
    // Nothing is sent until Enter.
    EXPECT_FALSE(contains(tmux_.screen("bob"), "first pasted line"));
    tmux_.press("alice", "Enter");
    ASSERT_TRUE(tmux_.wait_for_text("bob", "third pasted line")) << tmux_.screen("bob");
    const std::string s = tmux_.screen("bob");
    // One message: one "<alice>" prefix, the other lines indented under it.
    EXPECT_TRUE(contains(s, "<alice> first pasted line")) << s;
    EXPECT_FALSE(contains(s, "<alice> second pasted line")) << s;
    EXPECT_TRUE(contains(s, "second pasted line")) << s;
}

// A server that lies: it accepts one natter, welcomes it, and then sends nicknames and texts full
// of terminal controls (which natterd itself would never let through).
class HostileServer {
public:
    HostileServer() {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        listen(fd_, 4);
        socklen_t len = sizeof a;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~HostileServer() {
        stop_ = true;
        thread_.join();
        close(fd_);
    }
    std::uint16_t port() const { return port_; }

private:
    void send_all(int c, const natter::Message& m) {
        const std::string line = natter::encode(m);
        std::size_t off = 0;
        while (off < line.size()) {
            const ssize_t n = ::send(c, line.data() + off, line.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return;
            off += static_cast<std::size_t>(n);
        }
    }
    void serve() {
        pollfd p{fd_, POLLIN, 0};
        while (!stop_ && poll(&p, 1, 100) <= 0) {
        }
        if (stop_) return;
        const int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        char buf[4096];
        pollfd pc{c, POLLIN, 0};
        if (poll(&pc, 1, 5000) > 0) [[maybe_unused]] auto n = recv(c, buf, sizeof buf, 0);  // the hello
        using namespace natter;
        send_all(c, Welcome{"victim", "evil\x1b]2;SERVERTITLE\x07", "motd\x1b[2J", kProtocolVersion});
        send_all(c, UserList{{{"victim", false}, {"ev\x1b[5mil", false}}, false});
        send_all(c, GroupMessage{1, 1700000000000, "friend", "a harmless line before"});
        send_all(c, GroupMessage{2, 1700000000000, "ev\x1b[31mil",
                                 "\x1b]2;PWNED\x07\x1b[2J\x1b[HRED\x1b[31mTEXT\r\b\bXX\u202eevil\xc2\x9b" "2J end"});
        send_all(c, Joined{1700000000000, "\x1b[5mblinker"});
        send_all(c, GroupMessage{3, 1700000000000, "friend", "the last line"});
        while (!stop_) {
            if (poll(&pc, 1, 100) > 0 && recv(c, buf, sizeof buf, 0) <= 0) break;
        }
        close(c);
    }

    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

TEST(ClientE2EHostile, NoByteFromTheNetworkReachesTheTerminalRaw) {
    ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0);
    HostileServer evil;
    TmuxDriver tmux;
    ASSERT_TRUE(tmux.start("victim", "NO_COLOR=1 TERM=tmux-256color " + build_dir() +
                                         "/natter --port " + std::to_string(evil.port()) +
                                         " --nick victim; sleep 600"));
    ASSERT_TRUE(tmux.wait_for_text("victim", "the last line")) << tmux.screen("victim");
    const std::string screen = tmux.screen("victim");
    // The title was not set, nothing was cleared, and the controls show as visible symbols.
    EXPECT_NE(tmux.pane_format("victim", "#{pane_title}"), "PWNED");
    EXPECT_NE(tmux.pane_format("victim", "#{pane_title}"), "SERVERTITLE");
    EXPECT_TRUE(contains(screen, "a harmless line before")) << screen;
    EXPECT_TRUE(contains(screen, "\u241b]2;PWNED\u2407\u241b[2J\u241b[HRED\u241b[31mTEXT\u240d\u2408\u2408XX"))
        << screen;
    EXPECT_TRUE(contains(screen, "<ev\u241b[31mil>")) << screen;
    EXPECT_TRUE(contains(screen, "\u241b[5mblinker joined")) << screen;
    EXPECT_FALSE(contains(screen, "\u202e")) << screen;
    // The layout is intact: the status bar and the input line are where they belong.
    const auto bottom = last_rows(screen, 2);
    EXPECT_TRUE(contains(bottom[0], "victim @ localhost")) << screen;
    EXPECT_EQ(bottom[1].substr(0, 1), ">") << screen;
    // With NO_COLOR natter draws no colour at all, so any colour or blink would be the server's.
    const std::string attrs = tmux.screen_with_attributes("victim");
    EXPECT_FALSE(contains(attrs, "\x1b[31m")) << attrs;
    EXPECT_FALSE(contains(attrs, "\x1b[5m")) << attrs;
    EXPECT_FALSE(contains(attrs, "38;5;")) << attrs;
}

}  // namespace
