// Display width, making received text displayable, and wrapping by display width.
#include <clocale>
#include <string>

#include <gtest/gtest.h>

#include "shared/text.h"
#include "tui/display_width.h"
#include "tui/log_view.h"
#include "tui/wrap.h"

using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

std::vector<std::string> rows_text(std::string_view s, int first, int width) {
    std::vector<std::string> out;
    for (const auto& r : wrap(s, first, width)) {
        out.emplace_back(s.substr(r.begin, r.end - r.begin));
        EXPECT_EQ(r.width, display_width(out.back())) << out.back();
        EXPECT_LE(r.width, out.size() == 1 ? std::max(first, 2) : std::max(width, 2)) << out.back();
    }
    return out;
}

using Rows = std::vector<std::string>;

}  // namespace

TEST(DisplayWidth, CountsColumns) {
    ASSERT_TRUE(kLocale);
    EXPECT_EQ(codepoint_width('a'), 1);
    EXPECT_EQ(codepoint_width(U'中'), 2);
    EXPECT_EQ(codepoint_width(U'😀'), 2);
    EXPECT_EQ(codepoint_width(0x301), 0);   // combining acute
    EXPECT_EQ(codepoint_width(0x378), -1);  // unassigned
    EXPECT_EQ(display_width("hello"), 5);
    EXPECT_EQ(display_width("中文"), 4);
    EXPECT_EQ(display_width("e\u0301"), 1);
    EXPECT_EQ(display_width("a😀b"), 4);
    EXPECT_EQ(display_width("ｶﾀｶﾅ"), 4);  // half-width katakana
}

TEST(Displayable, NeutralisesEverythingThatCouldControlATerminal) {
    const std::string hostile =
        "\x1b[2J\x1b]0;pwned\x07\r\b\x7f\xc2\x9b" "31m\u202e\u200b\xff\x1bP+q\x1b\\";
    const std::string d = displayable(hostile);
    for (unsigned char c : d) {
        EXPECT_TRUE(c >= 0x20 && c != 0x7F) << "control byte " << int(c) << " in " << d;
    }
    for (std::size_t i = 0; i < d.size();) {
        const char32_t cp = natter::text::decode_one(d, i);
        ASSERT_NE(cp, natter::text::kInvalid);
        EXPECT_FALSE(cp >= 0x80 && cp <= 0x9F) << "C1 control survived";
        EXPECT_FALSE(natter::text::is_format(cp)) << "format character survived";
        EXPECT_GE(codepoint_width(cp), 0);
    }
    EXPECT_NE(d.find("\u241b[2J"), std::string::npos);  // ESC shows as a visible symbol
    EXPECT_EQ(displayable("plain 中文 😀"), "plain 中文 😀");
}

TEST(Displayable, GivesALoneMarkSomethingToSitOn) {
    EXPECT_EQ(displayable("\u0301x"), " \u0301x");
    EXPECT_EQ(displayable("e\u0301"), "e\u0301");
    EXPECT_EQ(displayable("\u0378"), "\ufffd");
    EXPECT_EQ(displayable_lines("one\ntwo\x1b"), "one\ntwo\u241b");
}

TEST(Wrap, BreaksAtSpacesAndDropsThem) {
    EXPECT_EQ(rows_text("hello world", 80, 80), Rows{"hello world"});
    EXPECT_EQ(rows_text("hello world", 5, 5), (Rows{"hello", "world"}));
    EXPECT_EQ(rows_text("hello world", 8, 8), (Rows{"hello", "world"}));
    EXPECT_EQ(rows_text("aa bb cc dd", 5, 5), (Rows{"aa bb", "cc dd"}));
    EXPECT_EQ(rows_text("one   two", 4, 4), (Rows{"one", "two"}));
    EXPECT_EQ(rows_text("", 10, 10), Rows{""});
}

TEST(Wrap, CutsWordsLongerThanARow) {
    EXPECT_EQ(rows_text("abcdefghij", 4, 4), (Rows{"abcd", "efgh", "ij"}));
    EXPECT_EQ(rows_text("hi abcdefghij", 6, 6), (Rows{"hi", "abcdef", "ghij"}));
}

TEST(Wrap, FirstRowAndOthersHaveTheirOwnWidth) {
    EXPECT_EQ(rows_text("aaa bbb ccc ddd", 7, 3), (Rows{"aaa bbb", "ccc", "ddd"}));
}

TEST(Wrap, NewlinesEndRows) {
    EXPECT_EQ(rows_text("one\ntwo", 80, 80), (Rows{"one", "two"}));
    EXPECT_EQ(rows_text("a\n\nb", 80, 80), (Rows{"a", "", "b"}));
    EXPECT_EQ(rows_text("hello \nworld", 5, 5), (Rows{"hello", "world"}));
    EXPECT_EQ(rows_text("  indented\n", 80, 80), (Rows{"  indented", ""}));
}

TEST(Wrap, ChineseWrapsBetweenCharactersByWidth) {
    EXPECT_EQ(rows_text("中文消息很长", 6, 6), (Rows{"中文消", "息很长"}));
    // An odd width never splits a wide character: each row holds 2 of them (4 columns).
    EXPECT_EQ(rows_text("中文消息很长", 5, 5), (Rows{"中文", "消息", "很长"}));
    EXPECT_EQ(rows_text("ab中文", 3, 3), (Rows{"ab", "中", "文"}));
    // Width 1 counts as 2 so a wide character always fits.
    EXPECT_EQ(rows_text("中文", 1, 1), (Rows{"中", "文"}));
    // A Latin word next to Chinese stays whole when it can.
    EXPECT_EQ(rows_text("你好hello世界", 8, 8), (Rows{"你好", "hello世", "界"}));
}

TEST(Wrap, EmojiAndCombiningMarks) {
    EXPECT_EQ(rows_text("😀😀😀", 5, 5), (Rows{"😀😀", "😀"}));
    // A mark stays with its base.
    EXPECT_EQ(rows_text("abe\u0301cd", 3, 3), (Rows{"abe\u0301", "cd"}));
    EXPECT_EQ(rows_text("e\u0301e\u0301e\u0301", 2, 2), (Rows{"e\u0301e\u0301", "e\u0301"}));
}

TEST(TextRows, HostileTextBecomesHarmlessRowsWithinTheWidth) {
    std::string hostile = "\x1b[31mred\x1b[0m \x1b]2;title\x07 \r\n\x08\x08 \u202eevil\u202c ";
    hostile += std::string(300, 'x') + " 中文😀\xff\xfe";
    for (int width : {1, 2, 3, 7, 20, 80}) {
        const auto rows = text_rows(hostile, width);
        ASSERT_FALSE(rows.empty());
        for (const auto& r : rows) {
            EXPECT_LE(r.width, std::max(width, 2));
            int w = 0;
            for (const auto& sp : r.spans) {
                w += display_width(sp.text);
                for (unsigned char c : sp.text) EXPECT_TRUE(c >= 0x20 && c != 0x7F);
            }
            EXPECT_EQ(w, r.width);
        }
    }
}
