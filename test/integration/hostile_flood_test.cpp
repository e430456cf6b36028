// Floods: clients sending as fast as they can. natterd lets a burst through, answers the excess
// with "slow down" errors and drops it, and disconnects a client that keeps going; private
// messages, mentions and renames run out sooner; a paste is one message; the limit can be raised
// or switched off. Bystanders chat on time throughout.
#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

namespace {

struct FloodResult {
    int slow_downs = 0;        // "slow down" errors before the last one
    bool told_closing = false; // the last error said the connection is being closed
    std::string bye;
    bool closed = false;
};

// Sends every message in one write, as fast as the socket takes it, then reads until natterd
// closes the connection (or 5 s pass).
FloodResult flood(WireClient& c, const std::vector<Message>& messages) {
    std::string all;
    for (const Message& m : messages) all += encode(m);
    c.send_raw(all);  // fails part way once natterd hangs up: expected
    FloodResult r;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!c.closed() && std::chrono::steady_clock::now() < deadline) {
        auto m = c.receive(500ms);
        if (!m) continue;
        if (auto* e = std::get_if<Error>(&*m)) {
            EXPECT_EQ(e->code, err::kSlowDown) << e->text;
            EXPECT_EQ(e->text.rfind("slow down: ", 0), 0u) << e->text;
            if (e->text.find("closing the connection") != std::string::npos) r.told_closing = true;
            else ++r.slow_downs;
        }
        if (auto* b = std::get_if<Bye>(&*m)) r.bye = b->reason;
    }
    r.closed = c.closed();
    return r;
}

// How many chat messages (of any kind) from `nick` a bystander received.
int heard_from(Bystanders& b, const std::string& nick, const std::string& bystander_nick) {
    int n = 0;
    for (const Message& m : b.received()) {
        if (auto* g = std::get_if<GroupMessage>(&m); g && g->from == nick) ++n;
        if (auto* p = std::get_if<PrivateMessage>(&m); p && p->from == nick && p->to == bystander_nick) ++n;
        if (auto* r = std::get_if<Renamed>(&m); r && r->from.rfind(nick, 0) == 0) ++n;
    }
    return n;
}

// Waits until both bystanders have heard that `nick` (or, with `prefix`, a nickname starting
// with it) left; its reason.
std::string wait_left(Bystanders& b, const std::string& nick, bool prefix = false) {
    for (int i = 0; i < 250; ++i) {
        int seen = 0;
        std::string reason;
        for (const Message& m : b.received())
            if (auto* l = std::get_if<Left>(&m); l && (prefix ? l->nick.rfind(nick, 0) == 0 : l->nick == nick)) {
                ++seen;
                reason = l->reason;
            }
        if (seen >= 2) return reason;
        std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "the bystanders never heard " << nick << " leave";
    return "";
}

std::vector<Message> says(const std::string& prefix, int n) {
    std::vector<Message> v;
    for (int i = 0; i < n; ++i) v.push_back(Say{prefix + " " + std::to_string(i)});
    return v;
}

}  // namespace

TEST(HostileFlood, FlatOutFloodersAreSlowedDownThenDisconnected) {
    NatterdProcess natterd;  // the default limit: 3 messages per second, 30 at once
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();
    // One flooder after another for a second and a half, each sending 2000 says in one write.
    int flooders = 0, most_heard = 0;
    const auto start = std::chrono::steady_clock::now();
    while (flooders < 3 || std::chrono::steady_clock::now() - start < 1500ms) {
        const std::string nick = "flooder" + std::to_string(flooders++);
        auto c = join(natterd.port(), nick);
        const FloodResult r = flood(*c, says(nick, 2000));
        EXPECT_GE(r.slow_downs, 1) << nick << " was never told to slow down";
        EXPECT_TRUE(r.told_closing) << nick;
        EXPECT_EQ(r.bye, "flooding") << nick;
        EXPECT_TRUE(r.closed) << nick << " still connected";
        EXPECT_EQ(wait_left(bystanders, nick), "flooding");
        // A burst got through (a person pasting in a hurry is not cut off at once), no more.
        const int heard = heard_from(bystanders, nick, "") / 2;  // both bystanders hear each
        EXPECT_GE(heard, 20) << nick;
        EXPECT_LE(heard, 32) << nick;
        most_heard = std::max(most_heard, heard);
        if (::testing::Test::HasFailure()) break;
    }
    const RoundTrips trips = bystanders.stop();
    EXPECT_NE(natterd.wait_for_log("flood: dropping").find("flood: dropping"), std::string::npos);
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "flood",
                    std::to_string(flooders) + " flooders of 2000 says each, at most " + std::to_string(most_heard) +
                        " of each reached the room, each disconnected after 10 refusals");
    expect_clean_exit(natterd);
}

TEST(HostileFlood, PrivateMessagesMentionsAndRenamesRunOutSooner) {
    NatterdProcess natterd;
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();

    auto teller = join(natterd.port(), "teller");
    std::vector<Message> tells;
    for (int i = 0; i < 200; ++i) tells.push_back(Tell{"ann", "psst " + std::to_string(i)});
    FloodResult r = flood(*teller, tells);
    EXPECT_TRUE(r.told_closing);
    wait_left(bystanders, "teller");
    const int told = heard_from(bystanders, "teller", "ann");
    EXPECT_GE(told, 10);
    EXPECT_LE(told, 16) << "a private message costs two";

    auto shouter = join(natterd.port(), "shouter");
    std::vector<Message> mentions;
    for (int i = 0; i < 200; ++i) mentions.push_back(Say{"@ann @ben look " + std::to_string(i)});
    r = flood(*shouter, mentions);
    EXPECT_TRUE(r.told_closing);
    wait_left(bystanders, "shouter");
    const int shouted = heard_from(bystanders, "shouter", "") / 2;
    EXPECT_GE(shouted, 7);
    EXPECT_LE(shouted, 11) << "two mentions make a say cost three";

    auto renamer = join(natterd.port(), "renamer");
    std::vector<Message> renames;
    for (int i = 0; i < 100; ++i) renames.push_back(ChangeNick{"renamer" + std::string(i % 2 ? "x" : "y")});
    r = flood(*renamer, renames);
    EXPECT_TRUE(r.told_closing);
    wait_left(bystanders, "renamer", true);
    const int renamed = heard_from(bystanders, "renamer", "") / 2;
    EXPECT_GE(renamed, 2);
    EXPECT_LE(renamed, 4) << "a rename costs ten";

    const RoundTrips trips = bystanders.stop();
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "flood (dear messages)",
                    "of 200 flat-out privates " + std::to_string(told) + " passed; of 200 says with two mentions " +
                        std::to_string(shouted) + "; of 100 renames " + std::to_string(renamed));
    expect_clean_exit(natterd);
}

TEST(HostileFlood, APasteIsOneMessageAndABurstIsFine) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    // 25 pastes of 40 lines each, back to back: 1000 lines, 25 messages, all within the burst.
    std::string paste;
    for (int i = 0; i < 40; ++i) paste += "pasted line " + std::to_string(i) + "\n";
    std::string all;
    for (int i = 0; i < 25; ++i) all += encode(Say{std::to_string(i) + ": " + paste});
    ASSERT_TRUE(alice->send_raw(all));
    int got = 0;
    ASSERT_TRUE(receive_until(*bob, [&](const Message& m) {
        if (auto* g = std::get_if<GroupMessage>(&m); g && g->from == "alice") ++got;
        return got == 25;
    })) << "bob got " << got << " of 25 pastes";
    // And alice was never told to slow down: her echoes arrive, no error among them.
    int echoes = 0;
    ASSERT_TRUE(receive_until(*alice, [&](const Message& m) {
        EXPECT_FALSE(std::holds_alternative<Error>(m)) << std::get<Error>(m).text;
        if (std::holds_alternative<GroupMessage>(m)) ++echoes;
        return echoes == 25;
    }));
    expect_clean_exit(natterd);
}

TEST(HostileFlood, TheLimitCanBeRaisedOrSwitchedOff) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--flood-rate", "1000", "--flood-burst", "500"},
          std::vector<std::string>{"--no-flood-limit"}}) {
        NatterdProcess natterd(args);
        auto bot = join(natterd.port(), "bot");
        auto bob = join(natterd.port(), "bob");
        std::string all;
        for (int i = 0; i < 400; ++i) all += encode(Say{"feed item " + std::to_string(i)});
        ASSERT_TRUE(bot->send_raw(all));
        int got = 0;
        EXPECT_TRUE(receive_until(*bob, [&](const Message& m) {
            if (auto* g = std::get_if<GroupMessage>(&m); g && g->from == "bot") ++got;
            return got == 400;
        })) << args[0] << ": bob got " << got << " of 400";
        bot->send(Ping{"end"});
        EXPECT_TRUE(receive_until(*bot, [&](const Message& m) {
            EXPECT_FALSE(std::holds_alternative<Error>(m)) << args[0] << ": " << std::get<Error>(m).text;
            return std::holds_alternative<Pong>(m);
        }));
        expect_clean_exit(natterd);
    }
}
