// apply(): what every server message, key and connection change does to the screen state.
#include <clocale>
#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "shared/protocol.h"
#include "tui/apply.h"
#include "tui/log_view.h"
#include "tui/panes.h"

using namespace natter;
using namespace natter::tui;

namespace {

const bool kLocale = [] {
    setenv("TZ", "UTC", 1);
    tzset();
    return std::setlocale(LC_ALL, "C.UTF-8") != nullptr;
}();

constexpr std::uint64_t kNow = 1700000000000;  // 22:13 UTC

// A client logged in as "me" with alice and bob online.
ScreenState online() {
    ScreenState s("localhost:6288", "me");
    apply_connected(s, kNow);
    apply_message(s, Welcome{"me", "natterd 1.0", "hello there", kProtocolVersion}, kNow);
    apply_message(s, UserList{{{"alice", false}, {"bob", false}, {"me", false}}, false}, kNow);
    return s;
}

void type(ScreenState& s, const std::string& text) {
    apply_key(s, Key::paste(text), kNow);
}

Effects enter(ScreenState& s) { return apply_key(s, Key::of(KeyCode::Enter), kNow); }

std::vector<std::string> nicks(const ScreenState& s) {
    std::vector<std::string> out;
    for (const auto& u : s.users()) out.push_back(u.nick);
    return out;
}

// Everything the log shows, as plain text rows at 200 columns.
std::string shown(const ScreenState& s) {
    std::string out;
    for (const auto& r : visible_rows(s.log(), 200, 1000)) {
        for (const auto& sp : r.spans) out += sp.text;
        out += '\n';
    }
    return out;
}

}  // namespace

TEST(Apply, ConnectSaysHelloAndWelcomeGoesOnline) {
    ASSERT_TRUE(kLocale);
    ScreenState s("localhost:6288", "me");
    EXPECT_EQ(s.link, Link::Connecting);
    auto fx = apply_connected(s, kNow);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Hello>(fx.send[0]).nick, "me");
    EXPECT_EQ(s.link, Link::LoggingIn);
    fx = apply_message(s, Welcome{"Me", "natterd 1.0", "be nice", kProtocolVersion}, kNow);
    EXPECT_EQ(s.link, Link::Online);
    EXPECT_EQ(s.nick, "Me");  // as registered
    EXPECT_NE(shown(s).find("be nice"), std::string::npos);
    // The users chunks after welcome fill the pane without printing.
    const std::size_t before = s.log().size();
    apply_message(s, UserList{{{"alice", false}}, true}, kNow);
    EXPECT_TRUE(s.users().empty());
    apply_message(s, UserList{{{"Me", false}}, false}, kNow);
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"alice", "Me"}));
    EXPECT_EQ(s.log().size(), before);
}

TEST(Apply, RefusedNicknameAsksForAnotherInTheUi) {
    ScreenState s("localhost:6288", "bob");
    apply_connected(s, kNow);
    type(s, "half typed");
    apply_message(s, Error{err::kNickTaken, "bob is taken"}, kNow);
    EXPECT_EQ(s.link, Link::AskingNick);
    EXPECT_NE(shown(s).find("bob is taken"), std::string::npos);
    EXPECT_EQ(prompt(s), "nickname> ");
    EXPECT_TRUE(s.input.empty());
    // An invalid one is refused locally with the reason; nothing is sent.
    type(s, "two words");
    auto fx = enter(s);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_NE(shown(s).find("spaces"), std::string::npos);
    apply_key(s, Key::of(KeyCode::KillToStart), kNow);
    type(s, "bob2");
    fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Hello>(fx.send[0]).nick, "bob2");
    EXPECT_EQ(s.link, Link::LoggingIn);
    apply_message(s, Welcome{"bob2", "natterd", "", kProtocolVersion}, kNow);
    EXPECT_EQ(s.link, Link::Online);
    EXPECT_EQ(s.input.utf8(), "half typed");  // what was being typed comes back
}

TEST(Apply, GroupMessagesOwnMentionsAndTheBell) {
    ScreenState s = online();
    auto fx = apply_message(s, GroupMessage{1, kNow, "alice", "hello world"}, kNow);
    EXPECT_FALSE(fx.bell);
    EXPECT_NE(shown(s).find("22:13 <alice> hello world"), std::string::npos);
    fx = apply_message(s, GroupMessage{2, kNow, "alice", "hey ME, look"}, kNow);
    EXPECT_TRUE(fx.bell);
    EXPECT_TRUE(s.log().back().mention);
    fx = apply_message(s, GroupMessage{3, kNow, "alice", "meme time"}, kNow);
    EXPECT_FALSE(fx.bell);  // "me" inside a word is not a mention
    fx = apply_message(s, GroupMessage{4, kNow, "me", "my own, me"}, kNow);
    EXPECT_FALSE(fx.bell);
    EXPECT_TRUE(s.log().back().own);
    EXPECT_FALSE(s.log().back().mention);
}

TEST(Apply, PrivateMessagesBothWays) {
    ScreenState s = online();
    auto fx = apply_message(s, PrivateMessage{1, kNow, "alice", "me", "psst"}, kNow);
    EXPECT_TRUE(fx.bell);
    EXPECT_EQ(s.log().back().kind, EntryKind::PrivateIn);
    EXPECT_NE(shown(s).find("[alice \u2192 you] psst"), std::string::npos);
    fx = apply_message(s, PrivateMessage{2, kNow, "me", "bob", "secret"}, kNow);
    EXPECT_FALSE(fx.bell);
    EXPECT_EQ(s.log().back().kind, EntryKind::PrivateOut);
    EXPECT_NE(shown(s).find("[you \u2192 bob] secret"), std::string::npos);
}

TEST(Apply, ActionsAndNotices) {
    ScreenState s = online();
    apply_message(s, Action{1, kNow, "alice", "waves"}, kNow);
    EXPECT_NE(shown(s).find("* alice waves"), std::string::npos);
    apply_message(s, Joined{kNow, "carol"}, kNow);
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"alice", "bob", "carol", "me"}));
    EXPECT_NE(shown(s).find("carol joined"), std::string::npos);
    apply_message(s, Renamed{kNow, "carol", "Aaron"}, kNow);
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"Aaron", "alice", "bob", "me"}));
    EXPECT_NE(shown(s).find("carol is now known as Aaron"), std::string::npos);
    apply_message(s, IgnoreChanged{kNow, "bob", true}, kNow);
    EXPECT_TRUE(s.users()[2].ignoring);
    EXPECT_NE(shown(s).find("bob ignores group messages"), std::string::npos);
    apply_message(s, Left{kNow, "bob", "gone fishing"}, kNow);
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"Aaron", "alice", "me"}));
    EXPECT_NE(shown(s).find("bob left (gone fishing)"), std::string::npos);
    EXPECT_EQ(s.log().back().kind, EntryKind::Left);
}

TEST(Apply, OwnRenameChangesOurNickname) {
    ScreenState s = online();
    apply_message(s, Renamed{kNow, "me", "myself"}, kNow);
    EXPECT_EQ(s.nick, "myself");
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"alice", "bob", "myself"}));
}

TEST(Apply, IgnoreModeAndItsStatus) {
    ScreenState s = online();
    type(s, "/i");
    auto fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_TRUE(std::get<SetIgnore>(fx.send[0]).on);
    apply_message(s, IgnoreState{true}, kNow);
    EXPECT_TRUE(s.ignoring);
    EXPECT_TRUE(s.users()[2].ignoring);
    std::string status;
    for (const auto& sp : status_row(s, 200).spans) status += sp.text;
    EXPECT_NE(status.find("IGNORING"), std::string::npos);
    type(s, "/i");
    fx = enter(s);
    EXPECT_FALSE(std::get<SetIgnore>(fx.send[0]).on);
}

TEST(Apply, WhoPrintsTheListInTheLog) {
    ScreenState s = online();
    // /who (/ls): the room shown.
    type(s, "/who");
    auto fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Who>(fx.send[0]).room, "#lobby");
    UserList first{{{"alice", true}, {"bob", false, false, true}}, true};
    first.room = "#lobby";
    UserList last{{{"me", false, true}}, false};
    last.room = "#lobby";
    apply_message(s, first, kNow);
    apply_message(s, last, kNow);
    EXPECT_NE(shown(s).find("3 in #lobby: alice (ignoring group messages), bob (voice), me (you) (op)"),
              std::string::npos) << shown(s);
    // /ls -a: everyone online.
    type(s, "/ls -a");
    fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Who>(fx.send[0]).room, "");
    apply_message(s, UserList{{{"alice", true}, {"bob", false}}, true}, kNow);
    apply_message(s, UserList{{{"me", false}, {"zed", false}}, false}, kNow);
    EXPECT_NE(shown(s).find("4 online: alice (ignoring group messages), bob, me (you), zed"),
              std::string::npos) << shown(s);
    // An unasked list changes the pane but prints nothing.
    const std::size_t before = s.log().size();
    apply_message(s, last, kNow);
    EXPECT_EQ(s.log().size(), before);
    EXPECT_EQ(nicks(s), (std::vector<std::string>{"me"}));
}

TEST(Apply, TypedLinesBecomeMessages) {
    ScreenState s = online();
    type(s, "hello all");
    auto fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Say>(fx.send[0]).text, "hello all");
    EXPECT_TRUE(s.input.empty());
    type(s, "@bob psst");
    fx = enter(s);
    EXPECT_EQ(std::get<Tell>(fx.send[0]).to, "bob");
    type(s, "/me waves");
    fx = enter(s);
    EXPECT_EQ(std::get<Me>(fx.send[0]).text, "waves");
    type(s, "/nick other");
    fx = enter(s);
    EXPECT_EQ(std::get<ChangeNick>(fx.send[0]).nick, "other");
    // History brings them back.
    apply_key(s, Key::of(KeyCode::Up), kNow);
    EXPECT_EQ(s.input.utf8(), "/nick other");
}

TEST(Apply, UnknownCommandSendsNothingAndKeepsTheLine) {
    ScreenState s = online();
    type(s, "/bogus x");
    auto fx = enter(s);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_EQ(s.input.utf8(), "/bogus x");
    EXPECT_EQ(s.log().back().kind, EntryKind::Error);
}

TEST(Apply, HelpAndClearAreLocal) {
    ScreenState s = online();
    type(s, "/help");
    auto fx = enter(s);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_NE(shown(s).find("/quit"), std::string::npos);
    type(s, "/clear");
    fx = enter(s);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_TRUE(s.log().empty());
}

TEST(Apply, PasteBecomesOneMultiLineMessage) {
    ScreenState s = online();
    apply_key(s, Key::paste("line 1\nline 2\nline 3\n"), kNow);
    EXPECT_EQ(prompt(s), "[4 lines] > ");
    auto fx = enter(s);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Say>(fx.send[0]).text, "line 1\nline 2\nline 3");
    // An unbracketed burst: Enter inside it is a line break, not a send.
    for (char c : std::string("ab")) apply_key(s, Key::typed(static_cast<char32_t>(c)), kNow);
    fx = apply_key(s, Key::of(KeyCode::Newline), kNow);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_EQ(s.input.utf8(), "ab\n");
}

TEST(Apply, QuitKeysAndCommand) {
    ScreenState s = online();
    type(s, "/quit bye now");
    auto fx = enter(s);
    EXPECT_TRUE(fx.quit);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Quit>(fx.send[0]).reason, "bye now");
    ScreenState c = online();
    EXPECT_TRUE(apply_key(c, Key::of(KeyCode::Interrupt), kNow).quit);
    ScreenState d = online();
    type(d, "x");
    EXPECT_FALSE(apply_key(d, Key::of(KeyCode::EndOfInput), kNow).quit);  // deletes instead
    apply_key(d, Key::of(KeyCode::Home), kNow);
    apply_key(d, Key::of(KeyCode::EndOfInput), kNow);
    EXPECT_TRUE(d.input.empty());
    EXPECT_TRUE(apply_key(d, Key::of(KeyCode::EndOfInput), kNow).quit);
    // Offline, /quit leaves without sending.
    ScreenState o("h:1", "me");
    apply_disconnected(o, "connection refused", kNow);
    type(o, "/quit");
    fx = enter(o);
    EXPECT_TRUE(fx.quit);
    EXPECT_TRUE(fx.send.empty());
}

TEST(Apply, PingIsAnswered) {
    ScreenState s = online();
    auto fx = apply_message(s, Ping{"tok"}, kNow);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_EQ(std::get<Pong>(fx.send[0]).token, "tok");
}

TEST(Apply, DisconnectKeepsTheLineAndReconnectRestoresIgnoreMode) {
    ScreenState s = online();
    apply_message(s, IgnoreState{true}, kNow);
    type(s, "typed while the server restarts");
    apply_disconnected(s, "connection reset", kNow);
    EXPECT_EQ(s.link, Link::Offline);
    EXPECT_TRUE(s.users().empty());
    std::string status;
    for (const auto& sp : status_row(s, 200).spans) status += sp.text;
    EXPECT_NE(status.find("offline: connection reset"), std::string::npos);
    // Enter while offline keeps the line.
    auto fx = enter(s);
    EXPECT_TRUE(fx.send.empty());
    EXPECT_EQ(s.input.utf8(), "typed while the server restarts");
    apply_connecting(s);
    fx = apply_connected(s, kNow);
    EXPECT_EQ(std::get<Hello>(fx.send[0]).nick, "me");
    fx = apply_message(s, Welcome{"me", "natterd", "", kProtocolVersion}, kNow);
    ASSERT_EQ(fx.send.size(), 1u);
    EXPECT_TRUE(std::get<SetIgnore>(fx.send[0]).on);
    EXPECT_EQ(s.input.utf8(), "typed while the server restarts");
}

TEST(Apply, ErrorsAfterLoginAreShown) {
    ScreenState s = online();
    apply_message(s, Error{err::kNoSuchNick, "no one called zed is online"}, kNow);
    EXPECT_EQ(s.link, Link::Online);
    EXPECT_EQ(s.log().back().kind, EntryKind::Error);
    EXPECT_NE(shown(s).find("no one called zed"), std::string::npos);
}

TEST(Apply, AnInvitationSaysHowToAcceptIt) {
    ScreenState s = online();
    apply_message(s, Invited{kNow, "#rust", "ann", "me"}, kNow);
    EXPECT_NE(shown(s).find("ann invites you to #rust \u2014 /join #rust"), std::string::npos);
    apply_message(s, Invited{kNow, "#rust", "me", "bob"}, kNow);
    EXPECT_NE(shown(s).find("you invited bob to #rust"), std::string::npos);
}

TEST(Apply, HostileServerTextIsNeutralised) {
    ScreenState s = online();
    apply_message(s, GroupMessage{1, kNow, "ev\x1b[2Jil", "\x1b]0;title\x07\x1b[31mred\r\x08"}, kNow);
    apply_message(s, Joined{kNow, "x\x1b[H"}, kNow);
    apply_message(s, Error{"bad", "\x1b[?1049l"}, kNow);
    apply_message(s, Welcome{"me", "\x9b" "2J", "\u202emotd", kProtocolVersion}, kNow);
    for (std::size_t i = 0; i < s.log().size(); ++i) {
        const Entry& e = s.log().at(i);
        for (const std::string* f : {&e.from, &e.to, &e.text})
            for (unsigned char c : *f) EXPECT_TRUE(c >= 0x20 || c == '\n') << int(c);
    }
    for (const auto& r : user_pane_rows(s, 30, 20))
        for (const auto& sp : r.spans)
            for (unsigned char c : sp.text) EXPECT_GE(c, 0x20);
    for (const auto& sp : status_row(s, 200).spans)
        for (unsigned char c : sp.text) EXPECT_GE(c, 0x20);
}

TEST(Apply, ScrollingKeysAndTheMarker) {
    ScreenState s = online();
    s.log_width = 80;
    s.log_height = 10;
    for (int i = 0; i < 100; ++i)
        apply_message(s, GroupMessage{static_cast<std::uint64_t>(i), kNow, "alice", "m" + std::to_string(i)}, kNow);
    apply_key(s, Key::of(KeyCode::PageUp), kNow);
    EXPECT_FALSE(s.log().at_bottom());
    apply_message(s, GroupMessage{200, kNow, "alice", "newest"}, kNow);
    const auto rows = log_pane_rows(s, 80, 10);
    ASSERT_EQ(rows.size(), 10u);
    std::string last;
    for (const auto& sp : rows.back().spans) last += sp.text;
    EXPECT_NE(last.find("new messages below"), std::string::npos);
    apply_key(s, Key::of(KeyCode::Escape), kNow);
    EXPECT_TRUE(s.log().at_bottom());
    apply_key(s, Key::of(KeyCode::WheelUp), kNow);
    EXPECT_FALSE(s.log().at_bottom());
    apply_key(s, Key::of(KeyCode::WheelDown), kNow);
    EXPECT_TRUE(s.log().at_bottom());
}

TEST(Apply, TabCompletesRecentSpeakersFirst) {
    ScreenState s = online();
    apply_message(s, Joined{kNow, "bea"}, kNow);
    apply_message(s, GroupMessage{1, kNow, "bob", "hi"}, kNow);
    apply_message(s, GroupMessage{2, kNow, "bea", "hi"}, kNow);
    type(s, "b");
    apply_key(s, Key::of(KeyCode::Tab), kNow);
    EXPECT_EQ(s.input.utf8(), "bea: ");
    apply_key(s, Key::of(KeyCode::Tab), kNow);
    EXPECT_EQ(s.input.utf8(), "bob: ");
}

TEST(Apply, ByeHelpAnswerAndPong) {
    ScreenState s = online();
    auto fx = apply_message(s, Pong{"k1"}, kNow);
    EXPECT_TRUE(fx.send.empty());
    apply_message(s, HelpAnswer{{{"ls", "/ls", "list who is online"}}}, kNow);
    EXPECT_NE(shown(s).find("/ls  list who is online"), std::string::npos);
    apply_message(s, Bye{"server shutting down"}, kNow);
    EXPECT_NE(shown(s).find("goodbye: server shutting down"), std::string::npos);
    // Bye alone changes nothing else; the close that follows does.
    EXPECT_EQ(s.link, Link::Online);
}

TEST(Apply, UserListsAreBounded) {
    ScreenState s = online();
    UserList chunk;
    chunk.room = "#lobby";
    for (int i = 0; i < 1000; ++i) chunk.users.push_back({"u" + std::to_string(i), false});
    chunk.more = true;
    for (std::size_t k = 0; k < kMaxMembers / 1000 + 5; ++k) apply_message(s, chunk, kNow);
    chunk.more = false;
    apply_message(s, chunk, kNow);
    EXPECT_EQ(s.users().size(), kMaxMembers);
}
