// The scrollback: bounds, and a scroll position that survives new messages and evictions.
#include <gtest/gtest.h>

#include "tui/message_log.h"

using namespace natter::tui;

namespace {

Entry entry(const std::string& text) {
    Entry e;
    e.kind = EntryKind::Group;
    e.from = "alice";
    e.text = text;
    return e;
}

// Every entry takes as many rows as its text says ("3" = 3 rows); plain text takes 1.
int rows(const Entry& e) { return e.text.size() == 1 && isdigit(e.text[0]) ? e.text[0] - '0' : 1; }

}  // namespace

TEST(MessageLog, KeepsAtMostTheCap) {
    MessageLog log(100);
    for (int i = 0; i < 1000; ++i) log.add(entry("m" + std::to_string(i)));
    EXPECT_EQ(log.size(), 100u);
    EXPECT_EQ(log.at(0).text, "m900");
    EXPECT_EQ(log.back().text, "m999");
    EXPECT_LT(log.at(0).seq, log.back().seq);
}

TEST(MessageLog, KeepsAtMostTheByteBudget) {
    MessageLog log(100000, 64 * 1024);
    for (int i = 0; i < 1000; ++i) log.add(entry(std::string(1000, 'x')));
    EXPECT_LE(log.bytes(), 64u * 1024u);
    EXPECT_GT(log.size(), 10u);
    EXPECT_LT(log.size(), 70u);
}

TEST(MessageLog, DefaultBoundsHoldForAHundredThousandMessages) {
    MessageLog log;
    for (int i = 0; i < 100000; ++i) log.add(entry("message number " + std::to_string(i)));
    EXPECT_EQ(log.size(), MessageLog::kMaxEntries);
    EXPECT_LE(log.bytes(), MessageLog::kMaxBytes);
}

TEST(MessageLog, ScrollsUpAndDownByRows) {
    MessageLog log;
    for (int i = 0; i < 50; ++i) log.add(entry("m" + std::to_string(i)));
    EXPECT_TRUE(log.at_bottom());
    log.scroll_up(10, 5, rows);
    ASSERT_FALSE(log.at_bottom());
    auto b = log.bottom(rows);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->first, 39u);
    EXPECT_EQ(log.unseen(), 10u);
    log.scroll_down(4, rows);
    EXPECT_EQ(log.bottom(rows)->first, 43u);
    log.scroll_down(100, rows);
    EXPECT_TRUE(log.at_bottom());
    EXPECT_EQ(log.unseen(), 0u);
}

TEST(MessageLog, NeverScrollsPastTheTop) {
    MessageLog log;
    for (int i = 0; i < 20; ++i) log.add(entry("m"));
    log.scroll_up(1000, 5, rows);
    auto b = log.bottom(rows);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->first, 4u);  // the window shows entries 0..4
    // A log shorter than the window does not scroll at all.
    MessageLog short_log;
    for (int i = 0; i < 3; ++i) short_log.add(entry("m"));
    short_log.scroll_up(10, 5, rows);
    EXPECT_TRUE(short_log.at_bottom());
}

TEST(MessageLog, CountsWrappedRows) {
    MessageLog log;
    log.add(entry("1"));
    log.add(entry("3"));
    log.add(entry("3"));
    log.add(entry("1"));  // 8 rows in all
    log.scroll_up(2, 3, rows);
    auto b = log.bottom(rows);
    EXPECT_EQ(b->first, 2u);
    EXPECT_EQ(b->second, 1);  // the middle row of the second "3"
    log.scroll_up(3, 3, rows);
    b = log.bottom(rows);
    EXPECT_EQ(b->first, 1u);
    EXPECT_EQ(b->second, 1);
}

TEST(MessageLog, StaysPutWhenMessagesArrive) {
    MessageLog log;
    for (int i = 0; i < 30; ++i) log.add(entry("m" + std::to_string(i)));
    log.scroll_up(10, 5, rows);
    const auto before = log.bottom(rows);
    for (int i = 0; i < 5; ++i) log.add(entry("new"));
    EXPECT_EQ(log.bottom(rows), before);
    EXPECT_EQ(log.unseen(), 15u);
}

TEST(MessageLog, HoldsOnToTheOldestWhenTheAnchorIsEvicted) {
    MessageLog log(10);
    for (int i = 0; i < 10; ++i) log.add(entry("m" + std::to_string(i)));
    log.scroll_up(5, 2, rows);
    for (int i = 0; i < 20; ++i) log.add(entry("x" + std::to_string(i)));
    ASSERT_FALSE(log.at_bottom());
    EXPECT_EQ(log.bottom(rows)->first, 0u);
    EXPECT_EQ(log.unseen(), 9u);
}

TEST(MessageLog, ClearEmptiesAndFollows) {
    MessageLog log;
    for (int i = 0; i < 30; ++i) log.add(entry("m"));
    log.scroll_up(10, 5, rows);
    log.clear();
    EXPECT_TRUE(log.empty());
    EXPECT_TRUE(log.at_bottom());
    EXPECT_FALSE(log.bottom(rows));
}
