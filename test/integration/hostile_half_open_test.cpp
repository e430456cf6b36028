// Half-open connections: a hundred logged-in clients that go silent (as if their machines had
// vanished: no reads, no writes, no answer to pings). natterd's keepalive closes each one a ping
// timeout after its ping, tells the room, and gives the descriptors back; clients that answer
// pings are never touched.
#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

TEST(HostileHalfOpen, SilentClientsAreClosedByTheKeepalive) {
    NatterdProcess natterd({"--ping-interval", "0.3", "--ping-timeout", "0.5"});
    const long fds_before = open_fds(natterd.pid());
    Bystanders bystanders(natterd);  // they answer every ping
    const long rss_before = natterd.rss_kib();
    constexpr int kSilent = 100;
    std::vector<std::unique_ptr<WireClient>> silent;
    for (int i = 0; i < kSilent; ++i) silent.push_back(join(natterd.port(), "ghost" + std::to_string(i)));
    const auto start = std::chrono::steady_clock::now();

    // The room hears each ghost leave with the reason.
    int left = 0;
    std::chrono::steady_clock::time_point all_gone;
    for (int i = 0; i < 500 && left < 2 * kSilent; ++i) {
        std::this_thread::sleep_for(20ms);
        left = 0;
        for (const Message& m : bystanders.received())
            if (auto* l = std::get_if<Left>(&m); l && l->nick.rfind("ghost", 0) == 0) {
                EXPECT_EQ(l->reason, "ping timeout");
                ++left;
            }
        all_gone = std::chrono::steady_clock::now();
    }
    ASSERT_EQ(left, 2 * kSilent) << "both bystanders hear of every ghost";
    const double seconds = std::chrono::duration<double>(all_gone - start).count();
    // Each ghost, reading at last, finds the ping it never answered, the bye, and the end.
    for (auto& g : silent) {
        bool pinged = false;
        std::string bye;
        while (auto m = g->receive(2000ms)) {
            pinged = pinged || std::holds_alternative<Ping>(*m);
            if (auto* b = std::get_if<Bye>(&*m)) bye = b->reason;
        }
        EXPECT_TRUE(pinged);
        EXPECT_EQ(bye, "ping timeout");
        EXPECT_TRUE(g->closed());
    }
    long fds_after = -1;
    for (int i = 0; i < 100 && fds_after != fds_before + 2; ++i) {
        std::this_thread::sleep_for(20ms);
        fds_after = open_fds(natterd.pid());
    }
    EXPECT_EQ(fds_after, fds_before + 2) << "only the bystanders remain";
    const RoundTrips trips = bystanders.stop();
    char extra[160];
    std::snprintf(extra, sizeof extra,
                  "%d silent clients all closed within %.2f s (ping interval 0.3 s + ping timeout 0.5 s)",
                  kSilent, seconds);
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "half-open", extra);
    expect_clean_exit(natterd);
}
