// When natterd trims malloc's free memory: once a burst of output is over, not during it, at
// most once a second, never when idle.
#include "server/memory_trim.h"

#include <gtest/gtest.h>

using namespace natter::server;

namespace {

struct Trims {
    int count = 0;
    MemoryTrimmer trimmer{[this] { ++count; }};
};

const TimePoint kStart = Clock::now();

}  // namespace

TEST(MemoryTrim, NothingWithoutABurst) {
    Trims t;
    for (int i = 0; i < 1000; ++i) {
        t.trimmer.queued(1000);
        EXPECT_FALSE(t.trimmer.end_of_turn(kStart + std::chrono::seconds(i)));
    }
    EXPECT_EQ(t.count, 0);
    EXPECT_FALSE(t.trimmer.pending());
}

TEST(MemoryTrim, OnceTheBurstIsOverNotDuringIt) {
    Trims t;
    TimePoint now = kStart;
    // A burst: every turn queues a lot.
    for (int i = 0; i < 40; ++i) {
        t.trimmer.queued(MemoryTrimmer::kQuietTurnBytes * 2);
        EXPECT_FALSE(t.trimmer.end_of_turn(now += std::chrono::milliseconds(10)));
    }
    EXPECT_TRUE(t.trimmer.pending());
    EXPECT_EQ(t.count, 0);
    // The first quiet turn trims, once.
    t.trimmer.queued(100);
    EXPECT_TRUE(t.trimmer.end_of_turn(now += std::chrono::milliseconds(10)));
    EXPECT_EQ(t.count, 1);
    EXPECT_FALSE(t.trimmer.pending());
    EXPECT_FALSE(t.trimmer.end_of_turn(now += std::chrono::seconds(5)));
    EXPECT_EQ(t.count, 1);
}

TEST(MemoryTrim, AtMostOnceASecond) {
    Trims t;
    TimePoint now = kStart;
    t.trimmer.freed(MemoryTrimmer::kBurstBytes);
    EXPECT_TRUE(t.trimmer.end_of_turn(now));
    t.trimmer.freed(MemoryTrimmer::kBurstBytes);
    EXPECT_FALSE(t.trimmer.end_of_turn(now + std::chrono::milliseconds(500)));
    EXPECT_TRUE(t.trimmer.pending());
    EXPECT_TRUE(t.trimmer.end_of_turn(now + MemoryTrimmer::kMinGap));
    EXPECT_EQ(t.count, 2);
}
