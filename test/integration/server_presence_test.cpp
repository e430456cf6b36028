// natterd's presence limit over real sockets: a crowd grows past --presence-limit (presence goes
// quiet, newcomers get the first chunk of the list with the total), then shrinks back to 90% of
// it (everyone gets the whole list, and joins and leaves are told again).
#include <string>
#include <vector>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

constexpr std::size_t kLimit = kUsersPerChunk + 20;          // 120: the list needs two chunks
constexpr std::size_t kResumeAt = kLimit - kLimit / 10;      // 108

std::string nick_of(std::size_t i) { return "u" + std::to_string(1000 + i); }

// Everything `c` receives up to the answer to a ping: since natterd answers in order, this is
// everything it had queued for `c` when the ping arrived.
std::vector<Message> drain(WireClient& c, const std::string& token) {
    std::vector<Message> got;
    c.send(Ping{token});
    const bool answered = receive_until(c, [&](const Message& m) {
        if (const auto* p = std::get_if<Pong>(&m); p != nullptr && p->token == token) return true;
        got.push_back(m);
        return false;
    }, 10000ms);
    EXPECT_TRUE(answered) << "no pong " << token;
    return got;
}

template <class T>
std::size_t count(const std::vector<Message>& ms) {
    std::size_t n = 0;
    for (const auto& m : ms) n += std::holds_alternative<T>(m);
    return n;
}

// A complete users answer (its chunks up to more == false), from what `c` receives next.
std::vector<UserList> expect_user_list(WireClient& c) {
    std::vector<UserList> chunks;
    const bool done = receive_until(c, [&](const Message& m) {
        const auto* u = std::get_if<UserList>(&m);
        if (u == nullptr) {
            EXPECT_FALSE(std::holds_alternative<Joined>(m) || std::holds_alternative<Left>(m))
                << "presence notice while a list was expected";
            return false;
        }
        chunks.push_back(*u);
        return !u->more;
    }, 10000ms);
    EXPECT_TRUE(done) << "no complete users answer";
    return chunks;
}

// Logs in by hand to see the total of the list after the welcome.
std::vector<UserList> login_seeing_list(WireClient& c, const std::string& nick) {
    c.send(Hello{nick, kProtocolVersion});
    EXPECT_EQ(expect<Welcome>(c).nick, nick);
    // Logging in joins #lobby: the answer starts with one's own joined.
    EXPECT_EQ(expect<Joined>(c).nick, nick);
    return expect_user_list(c);
}

// Quits and waits for natterd's bye, so the departure has been handled.
void quit(WireClient& c) {
    c.send(Quit{});
    EXPECT_TRUE(c.wait_for<Bye>(10000ms).has_value());
}

}  // namespace

TEST(ServerPresence, CrossingTheLimitBothWays) {
    NatterdProcess natterd({"--presence-limit", std::to_string(kLimit)});
    std::vector<std::unique_ptr<WireClient>> crowd;
    for (std::size_t i = 0; i < kLimit; ++i) crowd.push_back(join(natterd.port(), nick_of(i)));
    WireClient& watcher = *crowd[0];
    // Up to the limit, every login is told: the watcher heard of all the others.
    auto heard = drain(watcher, "full");
    EXPECT_EQ(count<Joined>(heard), kLimit - 1);

    // One past the limit: no join notice; everyone gets the first chunk with the total instead.
    crowd.push_back(std::make_unique<WireClient>(natterd.port()));
    auto newcomer_list = login_seeing_list(*crowd.back(), nick_of(kLimit));
    ASSERT_EQ(newcomer_list.size(), 1u);
    EXPECT_EQ(newcomer_list[0].users.size(), kUsersPerChunk);
    EXPECT_EQ(newcomer_list[0].total, kLimit + 1);
    auto seen = expect_user_list(watcher);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].users.size(), kUsersPerChunk);
    EXPECT_EQ(seen[0].total, kLimit + 1);

    // Further past it, a login tells nobody else; a rename tells only the renamer.
    crowd.push_back(std::make_unique<WireClient>(natterd.port()));
    auto second = login_seeing_list(*crowd.back(), nick_of(kLimit + 1));
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].total, kLimit + 2);
    crowd.back()->send(ChangeNick{"renamed"});
    EXPECT_EQ(expect<Renamed>(*crowd.back()).to, "renamed");
    crowd[1]->send(SetIgnore{true});
    EXPECT_TRUE(expect<IgnoreState>(*crowd[1]).on);
    heard = drain(watcher, "quiet");
    EXPECT_EQ(count<Joined>(heard) + count<UserList>(heard) + count<Renamed>(heard) +
                  count<IgnoreChanged>(heard),
              0u);

    // "who" still answers with everyone.
    watcher.send(Who{});
    auto everyone = expect_user_list(watcher);
    ASSERT_EQ(everyone.size(), 2u);
    EXPECT_EQ(everyone[0].users.size() + everyone[1].users.size(), kLimit + 2);
    EXPECT_EQ(everyone[1].total, kLimit + 2);

    // Leaving the quiet crowd tells nobody, down to 90% of the limit...
    while (crowd.size() > kResumeAt + 1) {
        quit(*crowd.back());
        crowd.pop_back();
    }
    heard = drain(watcher, "leaving");
    EXPECT_EQ(count<Left>(heard) + count<UserList>(heard), 0u);
    // ...where everyone gets the whole list again, in chunks.
    quit(*crowd.back());
    crowd.pop_back();
    auto resumed = expect_user_list(watcher);
    ASSERT_EQ(resumed.size(), 2u);
    EXPECT_TRUE(resumed[0].more);
    EXPECT_EQ(resumed[0].users.size() + resumed[1].users.size(), kResumeAt);
    EXPECT_EQ(resumed[1].total, kResumeAt);

    // And presence is told again.
    quit(*crowd.back());
    crowd.pop_back();
    EXPECT_EQ(expect_left(watcher, nick_of(kResumeAt - 1)), "quit");
    auto again = join(natterd.port(), "again");
    EXPECT_EQ(again->users().size(), kResumeAt);
    EXPECT_EQ(expect<Joined>(watcher).nick, "again");
    expect_clean_exit(natterd);
}
