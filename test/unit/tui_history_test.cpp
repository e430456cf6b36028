// A room's past in its scrollback: prepending keeps the view steady and respects the bounds, pages
// go above or below by id, the separator and the beginning line, and search results.
#include <clocale>

#include <gtest/gtest.h>

#include "tui/history.h"
#include "tui/log_view.h"
#include "tui/message_log.h"

using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

Entry msg(std::uint64_t id, const std::string& text = "") {
    Entry e;
    e.kind = EntryKind::Group;
    e.id = id;
    e.from = "alice";
    e.text = text.empty() ? "m" + std::to_string(id) : text;
    return e;
}

int one_row(const Entry&) { return 1; }

std::vector<std::string> texts(const MessageLog& log) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const Entry& e = log.at(i);
        out.push_back(e.kind == EntryKind::Group ? e.text : "--- " + e.text + " ---");
    }
    return out;
}

Tab room() {
    Tab t = make_tab(TabKind::Room, "#rust");
    t.joined = true;
    return t;
}

}  // namespace

TEST(TuiMessageLogPrepend, GoesAboveAndKeepsTheViewWhereItWas) {
    ASSERT_TRUE(kLocale);
    MessageLog log;
    for (int i = 10; i < 30; ++i) log.add(msg(static_cast<std::uint64_t>(i)));
    log.scroll_up(5, 10, one_row);
    const auto before = log.bottom(one_row);
    ASSERT_TRUE(before);
    const std::string shown = log.at(before->first).text;
    std::vector<Entry> older;
    for (int i = 0; i < 10; ++i) older.push_back(msg(static_cast<std::uint64_t>(i)));
    EXPECT_EQ(log.prepend(std::move(older)), 10u);
    ASSERT_EQ(log.size(), 30u);
    EXPECT_EQ(log.front().text, "m0");
    EXPECT_EQ(log.at(10).text, "m10");
    // The same entry is at the bottom of the window, the same number of entries below it.
    EXPECT_EQ(log.at(log.bottom(one_row)->first).text, shown);
    EXPECT_EQ(log.unseen(), 5u);
    // Sequence numbers stay contiguous, so scrolling works across the seam.
    for (std::size_t i = 1; i < log.size(); ++i) EXPECT_EQ(log.at(i).seq, log.at(i - 1).seq + 1);
    log.scroll_up(100, 10, one_row);
    EXPECT_TRUE(log.at_top(10, one_row));
    EXPECT_EQ(log.at(log.bottom(one_row)->first).text, "m9");
}

TEST(TuiMessageLogPrepend, FollowingTheNewestStaysThere) {
    MessageLog log;
    log.add(msg(5));
    log.prepend({msg(3), msg(4)});
    EXPECT_TRUE(log.at_bottom());
    EXPECT_EQ(texts(log), (std::vector<std::string>{"m3", "m4", "m5"}));
    // Into an empty log, then appending continues after it.
    MessageLog empty;
    empty.prepend({msg(1), msg(2)});
    empty.add(msg(3));
    EXPECT_EQ(texts(empty), (std::vector<std::string>{"m1", "m2", "m3"}));
    EXPECT_EQ(empty.at(2).seq, empty.at(1).seq + 1);
}

TEST(TuiMessageLogPrepend, NeverPushesOutWhatIsThere) {
    MessageLog log(5);
    for (int i = 10; i < 13; ++i) log.add(msg(static_cast<std::uint64_t>(i)));
    std::vector<Entry> older;
    for (int i = 0; i < 10; ++i) older.push_back(msg(static_cast<std::uint64_t>(i)));
    EXPECT_EQ(log.prepend(std::move(older)), 2u) << "only the newest two fit";
    EXPECT_EQ(texts(log), (std::vector<std::string>{"m8", "m9", "m10", "m11", "m12"}));
}

TEST(TuiMessageLogPrepend, AtTopCountsWrappedRows) {
    MessageLog log;
    EXPECT_TRUE(log.at_top(5, one_row));
    for (int i = 0; i < 5; ++i) log.add(msg(static_cast<std::uint64_t>(i)));
    EXPECT_TRUE(log.at_top(5, one_row));
    EXPECT_FALSE(log.at_top(4, one_row));
    auto two_rows = [](const Entry&) { return 2; };
    EXPECT_FALSE(log.at_top(5, two_rows));
    EXPECT_TRUE(log.at_top(10, two_rows));
}

TEST(TuiHistory, TheFirstPageGoesAboveWithTheSeparatorUnderIt) {
    Tab t = room();
    Entry joined;
    joined.kind = EntryKind::Joined;
    joined.from = "me";
    t.log.add(joined);
    t.page = {msg(1), msg(2), msg(3)};
    const Merged m = merge_history(t, true);
    EXPECT_EQ(m.above, 4u);
    EXPECT_EQ(m.below, 0u);
    EXPECT_TRUE(t.page.empty());
    ASSERT_EQ(t.log.size(), 5u);
    EXPECT_EQ(t.log.at(0).text, "m1");
    EXPECT_TRUE(t.log.at(0).history) << "history is marked, to be dimmed";
    EXPECT_EQ(t.log.at(3).kind, EntryKind::Separator);
    EXPECT_EQ(t.log.at(3).text, "history");
    EXPECT_EQ(t.log.at(4).kind, EntryKind::Joined);
    EXPECT_EQ(oldest_id(t.log), 1u);
    EXPECT_EQ(newest_id(t.log), 3u);
    EXPECT_TRUE(wants_older(t));
    // The page before goes above it, without a second separator; then the beginning.
    t.page = {msg(0)};
    merge_history(t, false);
    EXPECT_EQ(texts(t.log), (std::vector<std::string>{"--- beginning of #rust ---", "m0", "m1",
                                                      "m2", "m3", "--- history ---", "---  ---"}));  // the join
    EXPECT_TRUE(at_beginning(t));
    EXPECT_FALSE(wants_older(t)) << "nothing older to ask for";
}

TEST(TuiHistory, AnEmptyRoomShowsItsBeginning) {
    Tab t = room();
    merge_history(t, false);
    ASSERT_EQ(t.log.size(), 1u);
    EXPECT_EQ(t.log.front().kind, EntryKind::Beginning);
    const auto rows = entry_rows(t.log.front(), 80);
    ASSERT_EQ(rows.size(), 1u);
    std::string text;
    for (const auto& sp : rows[0].spans) text += sp.text;
    EXPECT_EQ(text, "--- beginning of #rust ---");
    // A second "no more" adds no second line.
    merge_history(t, false);
    EXPECT_EQ(t.log.size(), 1u);
}

TEST(TuiHistory, AReconnectsPageFillsTheGapBelowAndSkipsWhatIsThere) {
    Tab t = room();
    for (std::uint64_t id : {5, 6, 7}) t.log.add(msg(id));
    // Messages 3..10: 3 and 4 are older, 5..7 known, 8..10 were missed while away.
    for (std::uint64_t id = 3; id <= 10; ++id) t.page.push_back(msg(id));
    const Merged m = merge_history(t, true);
    EXPECT_EQ(m.above, 3u);  // 3, 4 and the separator
    EXPECT_EQ(m.below, 4u);  // 8, 9, 10 and a separator
    EXPECT_EQ(texts(t.log), (std::vector<std::string>{"m3", "m4", "--- history ---", "m5", "m6",
                                                      "m7", "m8", "m9", "m10", "--- history ---"}));
    EXPECT_FALSE(t.log.at(3).history);
    EXPECT_TRUE(t.log.at(6).history);
}

TEST(TuiHistory, OutOfOrderOrRepeatedIdsFromAConfusedServerAreDropped) {
    Tab t = room();
    t.page = {msg(5), msg(3), msg(5), msg(6)};
    merge_history(t, true);
    EXPECT_EQ(texts(t.log), (std::vector<std::string>{"m5", "m6"}));
}

TEST(TuiHistory, AFullScrollbackStopsAskingForMore) {
    Tab t = room();
    t.log = MessageLog(4);
    t.log.add(msg(100));
    for (std::uint64_t id = 1; id <= 10; ++id) t.page.push_back(msg(id));
    merge_history(t, true);
    EXPECT_TRUE(t.full);
    EXPECT_EQ(t.log.size(), 4u);
    EXPECT_EQ(t.log.back().text, "m100") << "what was there stays";
    EXPECT_FALSE(wants_older(t));
}

TEST(TuiHistory, OnlyAJoinedRoomWithNoRequestOutAsks) {
    Tab t = room();
    EXPECT_TRUE(wants_older(t));
    t.history_asked = true;
    EXPECT_FALSE(wants_older(t));
    t.history_asked = false;
    t.joined = false;
    EXPECT_FALSE(wants_older(t));
    EXPECT_FALSE(wants_older(make_tab(TabKind::Private, "bob")));
    // The page that answers clears the request.
    Tab u = room();
    u.history_asked = true;
    merge_history(u, true);
    EXPECT_FALSE(u.history_asked);
}

TEST(TuiHistory, SearchResultsBetweenAHeaderAndAFooter) {
    Tab t = room();
    t.log.add(msg(50, "live"));
    t.search_words = "deploy";
    Entry a = msg(7, "deploy on friday?");
    a.ts = 1700000000000;
    a.dated = true;
    t.found = {a, msg(9, "deployed")};
    show_search_results(t, true);
    EXPECT_TRUE(t.found.empty());
    EXPECT_EQ(texts(t.log),
              (std::vector<std::string>{"live",
                                        "--- 2 messages with \"deploy\" in #rust (the newest; older ones exist) ---",
                                        "deploy on friday?", "deployed", "--- end of search ---"}));
    // They are copies out of order: paging back still starts from the real oldest.
    EXPECT_EQ(oldest_id(t.log), 50u);
    EXPECT_EQ(newest_id(t.log), 50u);
    // With a date and time, and the author.
    std::string row;
    const auto rows = entry_rows(t.log.at(2), 200);
    for (const auto& sp : rows[0].spans) row += sp.text;
    EXPECT_NE(row.find(date_time_text(1700000000000) + " <alice> deploy on friday?"), std::string::npos) << row;
    t.search_words = "zzz";
    show_search_results(t, false);
    EXPECT_EQ(t.log.back().text, "no messages with \"zzz\" in #rust");
}
