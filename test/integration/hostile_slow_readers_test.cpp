// Clients that never read while a room chats: each is dropped once its output queue passes the
// cap, the room is told why, and nobody else waits for them or loses a message. Memory stays
// within what the caps allow. (server_abuse_test.cpp has the single-reader case in detail.)
#include <set>

#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

TEST(HostileSlowReaders, ReadersThatNeverReadAreDroppedAtTheirCap) {
    // A chatty room: the flood limit is raised so one client can fill the queues quickly (the
    // flood limit is not what this test is about).
    NatterdProcess natterd({"--max-output-kib", "64", "--flood-rate", "10000", "--flood-burst", "10000"});
    const long fds_before = open_fds(natterd.pid());
    Bystanders bystanders(natterd);
    auto alice = join(natterd.port(), "alice");
    constexpr int kReaders = 10;
    const long rss_before = natterd.rss_kib();
    const std::string pad(3000, '.');
    int said = 0, rounds = 0;
    std::vector<std::unique_ptr<WireClient>> readers;
    // Round after round of ten readers that never read, for a second at least.
    const auto start = std::chrono::steady_clock::now();
    for (; rounds == 0 || std::chrono::steady_clock::now() - start < 1s; ++rounds) {
        for (int i = 0; i < kReaders; ++i)
            readers.push_back(join(natterd.port(), "sleepy" + std::to_string(rounds) + "_" + std::to_string(i), 4096));
        std::set<std::string> dropped;
        // Bounded: 5000 says of 3 KB are 15 MB for each reader, far past any socket buffers.
        for (int n = 0; n < 5000 && static_cast<int>(dropped.size()) < kReaders; ++n, ++said) {
            const std::string text = std::to_string(said) + pad;
            alice->send(Say{text});
            ASSERT_TRUE(receive_until(*alice, [&](const Message& m) {
                if (auto* l = std::get_if<Left>(&m); l && l->nick.rfind("sleepy", 0) == 0) {
                    EXPECT_EQ(l->reason, "output queue over 64 KiB");
                    dropped.insert(l->nick);
                }
                auto* g = std::get_if<GroupMessage>(&m);
                return g != nullptr && g->text == text;
            })) << "alice missed her echo " << said;
        }
        ASSERT_EQ(dropped.size(), static_cast<std::size_t>(kReaders)) << "round " << rounds;
    }
    const RoundTrips trips = bystanders.stop();
    // Both bystanders got every one of alice's messages while the readers were stuck.
    std::vector<int> copies(static_cast<std::size_t>(said), 0);
    for (const Message& m : bystanders.received())
        if (auto* g = std::get_if<GroupMessage>(&m); g && g->from == "alice") ++copies.at(std::stoul(g->text));
    EXPECT_EQ(std::count(copies.begin(), copies.end(), 2), said) << "the bystanders missed some of alice's messages";
    // Their descriptors are given back: the bystanders' two and alice's remain.
    readers.clear();
    long fds_after = -1;
    for (int i = 0; i < 100 && fds_after != fds_before + 3; ++i) {
        std::this_thread::sleep_for(20ms);
        fds_after = open_fds(natterd.pid());
    }
    EXPECT_EQ(fds_after, fds_before + 3);
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 8 * 1024, "slow readers",
                    std::to_string(rounds * kReaders) + " readers that never read, in rounds of " +
                        std::to_string(kReaders) + ", dropped at the 64 KiB cap; " + std::to_string(said) +
                        " says of 3 KB, all delivered to the others");
    expect_clean_exit(natterd);
}
