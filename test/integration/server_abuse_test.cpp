// natterd against clients that misbehave: garbage, oversized lines, error floods, a client that
// never reads, too many clients, running out of descriptors. Each time natterd stays up and the
// well-behaved clients keep chatting.
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// Alice says something and Bob, a bystander, gets it: the room still works.
void room_still_works(WireClient& alice, WireClient& bob, const std::string& text) {
    alice.send(Say{text});
    auto m = next_chat(bob);
    ASSERT_TRUE(m) << "bob did not get \"" << text << "\"";
    ASSERT_TRUE(std::holds_alternative<GroupMessage>(*m));
    EXPECT_EQ(std::get<GroupMessage>(*m).text, text);
    auto echo = next_chat(alice);
    ASSERT_TRUE(echo);
}

// CPU seconds (user + system) natterd has used so far, from /proc/PID/stat.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close_paren + 2));
    std::string f;
    unsigned long utime = 0, stime = 0;
    // Fields after the command name start at 3 (state); utime is 14, stime 15.
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stoul(f);
        if (i == 15) stime = std::stoul(f);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST(ServerAbuse, GarbageLinesGetClearErrorsAndTheConnectionStaysUsable) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    struct Case {
        std::string line;
        const char* code;
    };
    const std::vector<Case> cases = {
        {"garbage", err::kBadJson},
        {"[1,2,3]", err::kBadJson},
        {std::string(5000, '[') + std::string(5000, ']'), err::kBadJson},
        {"{\"type\":\"nope\"}", err::kUnknownType},
        {"{\"type\":\"welcome\",\"nick\":\"x\",\"server\":\"x\",\"motd\":\"x\",\"version\":1}", err::kUnknownType},
        {"{\"type\":\"say\"}", err::kBadField},
        {"{\"type\":\"say\",\"text\":5}", err::kBadField},
        {"{\"type\":\"say\",\"text\":\"\xff\xfe\"}", err::kBadUtf8},
        {"{\"type\":\"say\",\"text\":\"a\\u0000b\"}", err::kBadUtf8},
    };
    ASSERT_LT(cases.size(), 10u) << "stay under the error limit";
    for (const Case& c : cases) {
        ASSERT_TRUE(alice->send_raw(c.line + "\n"));
        Error e = expect<Error>(*alice);
        EXPECT_EQ(e.code, c.code) << c.line.substr(0, 80) << " -> " << e.text;
        EXPECT_FALSE(e.text.empty());
    }
    // Still logged in and chatting; bob noticed nothing but the chat.
    room_still_works(*alice, *bob, "still here");
    EXPECT_TRUE(natterd.alive());
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, AClientThatKeepsSendingGarbageIsDisconnected) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    auto pest = join(natterd.port(), "pest");
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(pest->send_raw("nonsense " + std::to_string(i) + "\n"));
    bool too_many = false;
    EXPECT_TRUE(receive_until(*pest, [&](const Message& m) {
        if (auto* e = std::get_if<Error>(&m)) too_many = too_many || e->code == err::kTooManyErrors;
        return std::holds_alternative<Bye>(m);
    }));
    EXPECT_TRUE(too_many);
    EXPECT_TRUE(pest->wait_closed());
    EXPECT_EQ(expect_left(*alice, "pest"), "too many errors");
    room_still_works(*alice, *bob, "good riddance");
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, AnOversizedLineEndsTheConnection) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    auto big = join(natterd.port(), "big");
    ASSERT_TRUE(big->send_raw("{\"type\":\"say\",\"text\":\"" + std::string(kMaxFrameBytes, 'x') + "\"}\n"));
    expect_error(*big, err::kFrameTooLong);
    EXPECT_TRUE(big->wait_for<Bye>().has_value());
    EXPECT_TRUE(big->wait_closed());
    EXPECT_NE(expect_left(*alice, "big").find("line over"), std::string::npos);
    room_still_works(*alice, *bob, "after the big one");
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, MegabytesWithoutANewlineAreCutOffWithoutGrowingMemory) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    const long rss_before = natterd.rss_kib();
    WireClient flood(natterd.port());
    // 16 MiB in 64 KiB pieces, no newline. natterd closes the connection early, so sending
    // stops failing at some point; that is the expected outcome, not an error.
    const std::string piece(64 * 1024, 'a');
    std::size_t sent = 0;
    for (int i = 0; i < 256; ++i) {
        if (!flood.send_raw(piece)) break;
        sent += piece.size();
    }
    EXPECT_LT(sent, 16u * 1024 * 1024) << "natterd should have hung up long before";
    auto e = flood.wait_for<Error>();
    ASSERT_TRUE(e.has_value()) << "the error must arrive before the connection ends";
    EXPECT_EQ(e->code, err::kFrameTooLong);
    EXPECT_TRUE(flood.wait_closed());
    room_still_works(*alice, *bob, "memory is fine");
    const long rss_after = natterd.rss_kib();
    EXPECT_LT(rss_after - rss_before, 4 * 1024) << "RSS grew from " << rss_before << " KiB to " << rss_after;
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, AClientThatNeverReadsIsDroppedAtItsOutputCap) {
    // Alice sends flat out: no flood limit here (hostile_flood_test.cpp tests that).
    NatterdProcess natterd({"--max-output-kib", "64", "--no-flood-limit"});
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    auto slow = join(natterd.port(), "slow", 4096);  // logs in, then never reads again
    const std::string pad(3000, '.');
    bool dropped = false;
    std::string reason;
    int sent = 0;
    // Bounded: 5000 messages of 3 KB would be 15 MB, far past any socket buffer.
    for (int i = 0; i < 5000 && !dropped; ++i, ++sent) {
        const std::string text = std::to_string(i) + pad;
        alice->send(Say{text});
        auto watch = [&](const Message& m) {
            if (auto* l = std::get_if<Left>(&m); l && l->nick == "slow") {
                dropped = true;
                reason = l->reason;
            }
            auto* g = std::get_if<GroupMessage>(&m);
            return g != nullptr && g->text == text;
        };
        // Every message reaches bob (and alice's echo) while slow's queue fills.
        ASSERT_TRUE(receive_until(*bob, watch)) << "bob missed message " << i;
        ASSERT_TRUE(receive_until(*alice, watch)) << "alice missed her echo " << i;
    }
    ASSERT_TRUE(dropped) << "slow was never dropped after " << sent << " messages";
    EXPECT_EQ(reason, "output queue over 64 KiB");
    EXPECT_NE(natterd.wait_for_log("output queue over 64 KiB").find("output queue over 64 KiB"), std::string::npos);
    for (int i = 0; i < 20; ++i) room_still_works(*alice, *bob, "after the drop " + std::to_string(i));
    alice->send(Who{});
    EXPECT_EQ(expect<UserList>(*alice).users, (std::vector<UserInfo>{{"alice", false}, {"bob", false}}));
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, MaxClientsRefusesWithAnErrorLineAndRecovers) {
    NatterdProcess natterd({"--max-clients", "3"});
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    auto lurker = std::make_unique<WireClient>(natterd.port());  // not logged in: still counts
    WireClient fourth(natterd.port());
    Error e = expect<Error>(fourth);
    EXPECT_EQ(e.code, err::kServerFull);
    EXPECT_NE(e.text.find("3 clients"), std::string::npos) << e.text;
    EXPECT_TRUE(fourth.wait_closed());

    // A place frees up: the next one gets in.
    auto bob_gone = std::move(bob);
    bob_gone.reset();
    expect_left(*alice, "bob");
    auto carol = join(natterd.port(), "carol");
    room_still_works(*alice, *carol, "room for one more");
    EXPECT_TRUE(natterd.alive());
    expect_clean_exit(natterd);
}

TEST(ServerAbuse, RunningOutOfDescriptorsRefusesCleanlyWithoutSpinning) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    auto bob = join(natterd.port(), "bob");
    // Lower natterd's descriptor limit under its feet: a handful more clients fit, then accept()
    // fails with EMFILE. (Same user, so prlimit needs no privilege.)
    rlimit tight{24, 24};
    ASSERT_EQ(::prlimit(natterd.pid(), RLIMIT_NOFILE, &tight, nullptr), 0);

    std::vector<std::unique_ptr<WireClient>> crowd;
    int refused = 0;
    for (int i = 0; i < 40; ++i) {
        crowd.push_back(std::make_unique<WireClient>(natterd.port()));
        crowd.back()->send(Ping{"p" + std::to_string(i)});
        auto m = crowd.back()->receive(5000ms);
        ASSERT_TRUE(m) << "client " << i << " got no answer at all";
        if (auto* e = std::get_if<Error>(&*m)) {
            EXPECT_EQ(e->code, err::kServerFull);
            EXPECT_NE(e->text.find("descriptors"), std::string::npos) << e->text;
            ++refused;
        } else {
            EXPECT_TRUE(std::holds_alternative<Pong>(*m)) << type_name(*m);
        }
    }
    EXPECT_GT(refused, 0) << "the limit was never reached";
    EXPECT_LT(refused, 40);

    // Refused, not stuck: natterd is idle, not spinning on a listener it cannot drain.
    const double cpu_before = cpu_seconds(natterd.pid());
    std::this_thread::sleep_for(1s);
    const double cpu_after = cpu_seconds(natterd.pid());
    EXPECT_LT(cpu_after - cpu_before, 0.5) << "natterd burned CPU while out of descriptors";

    room_still_works(*alice, *bob, "no descriptors, no problem");
    // Descriptors come back: new clients are served again.
    crowd.clear();
    bool in = false;
    for (int attempt = 0; attempt < 50 && !in; ++attempt) {
        WireClient again(natterd.port());
        in = again.login("again").has_value();
        if (!in) std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(in);
    EXPECT_TRUE(natterd.alive());
    expect_clean_exit(natterd);
}
