// The log's queue between the loop and the writer thread: bounded, and honest about what it
// dropped.
#include "server/log.h"

#include <gtest/gtest.h>

using natter::server::LogQueue;

TEST(LogQueue, KeepsLinesInOrderUntilTaken) {
    LogQueue q(100);
    EXPECT_TRUE(q.empty());
    EXPECT_TRUE(q.push("one\n"));
    EXPECT_TRUE(q.push("two\n"));
    EXPECT_FALSE(q.empty());
    EXPECT_EQ(q.take(0), "one\ntwo\n");
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.take(0), "");
}

TEST(LogQueue, DropsPastItsBoundAndSaysHowMany) {
    LogQueue q(10);
    EXPECT_TRUE(q.push("12345\n"));
    EXPECT_FALSE(q.push("67890\n"));  // 12 bytes would not fit in 10
    EXPECT_FALSE(q.push("x\nyz\n"));
    EXPECT_TRUE(q.push("abc\n"));     // 10 bytes exactly
    EXPECT_EQ(q.take(1'700'000'000'000),
              "2023-11-14T22:13:20.000Z 2 log lines dropped: stderr did not keep up\n12345\nabc\n");
    // Counted once: the next take starts afresh.
    EXPECT_TRUE(q.push("next\n"));
    EXPECT_EQ(q.take(0), "next\n");
}

TEST(LogQueue, ADropAloneIsStillReported) {
    LogQueue q(3);
    EXPECT_FALSE(q.push("long line\n"));
    EXPECT_FALSE(q.empty());
    EXPECT_NE(q.take(0).find("1 log lines dropped"), std::string::npos);
    EXPECT_TRUE(q.empty());
}
