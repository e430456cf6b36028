// The input line: editing keys, clusters, kill and yank, history, paste, horizontal scrolling.
#include <clocale>

#include <gtest/gtest.h>

#include "tui/display_width.h"
#include "tui/input_line.h"

using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

InputLine typed(const std::u32string& s) {
    InputLine l;
    for (char32_t c : s) l.insert(c);
    return l;
}

}  // namespace

TEST(InputLine, TypesAndMoves) {
    ASSERT_TRUE(kLocale);
    InputLine l = typed(U"helo");
    EXPECT_EQ(l.utf8(), "helo");
    EXPECT_EQ(l.cursor(), 4u);
    l.left();
    l.insert('l');
    EXPECT_EQ(l.utf8(), "hello");
    l.home();
    l.insert('>');
    EXPECT_EQ(l.utf8(), ">hello");
    l.end();
    l.insert('!');
    EXPECT_EQ(l.utf8(), ">hello!");
    l.right();  // at the end: stays
    EXPECT_EQ(l.cursor(), 7u);
}

TEST(InputLine, BackspaceAndDelete) {
    InputLine l = typed(U"abcd");
    l.backspace();
    EXPECT_EQ(l.utf8(), "abc");
    l.home();
    l.del();
    EXPECT_EQ(l.utf8(), "bc");
    l.backspace();  // at the start: nothing
    EXPECT_EQ(l.utf8(), "bc");
    l.end();
    l.del();  // at the end: nothing
    EXPECT_EQ(l.utf8(), "bc");
}

TEST(InputLine, ACharacterAndItsMarksMoveAndDeleteAsOne) {
    InputLine l = typed(U"ae\u0301b");
    l.end();
    l.left();
    EXPECT_EQ(l.cursor(), 3u);
    l.left();
    EXPECT_EQ(l.cursor(), 1u);  // before "e" + mark
    l.right();
    EXPECT_EQ(l.cursor(), 3u);
    l.backspace();
    EXPECT_EQ(l.utf8(), "ab");
}

TEST(InputLine, KillAndYank) {
    InputLine l = typed(U"hello big world");
    l.kill_word_back();  // Ctrl-W
    EXPECT_EQ(l.utf8(), "hello big ");
    l.yank();
    EXPECT_EQ(l.utf8(), "hello big world");
    l.word_left();
    l.word_left();
    EXPECT_EQ(l.cursor(), 6u);
    l.kill_to_end();  // Ctrl-K
    EXPECT_EQ(l.utf8(), "hello ");
    l.home();
    l.yank();
    EXPECT_EQ(l.utf8(), "big worldhello ");
    l.end();
    l.word_left();
    l.kill_to_start();  // Ctrl-U
    EXPECT_EQ(l.utf8(), "worldhello ");
    EXPECT_EQ(l.cursor(), 0u);
    l.word_right();
    EXPECT_EQ(l.cursor(), 10u);
    InputLine spaces = typed(U"word   ");
    spaces.kill_word_back();  // trailing spaces go with the word
    EXPECT_TRUE(spaces.empty());
}

TEST(InputLine, HistoryUpAndDownKeepsTheDraft) {
    InputLine l;
    for (auto s : {U"first", U"second"}) {
        l.set(s);
        l.submit();
    }
    l.set(U"draft");
    l.history_up();
    EXPECT_EQ(l.utf8(), "second");
    l.history_up();
    EXPECT_EQ(l.utf8(), "first");
    l.history_up();  // the oldest: stays
    EXPECT_EQ(l.utf8(), "first");
    l.history_down();
    EXPECT_EQ(l.utf8(), "second");
    l.history_down();
    EXPECT_EQ(l.utf8(), "draft");
    l.history_down();
    EXPECT_EQ(l.utf8(), "draft");
    // Submitting the same line twice records it once; empty lines are not recorded.
    l.set(U"draft");
    l.submit();
    l.set(U"draft");
    l.submit();
    l.submit();
    l.history_up();
    EXPECT_EQ(l.utf8(), "draft");
    l.history_up();
    EXPECT_EQ(l.utf8(), "second");
}

TEST(InputLine, HistoryIsBounded) {
    InputLine l;
    for (std::size_t i = 0; i < InputLine::kMaxHistory + 50; ++i) {
        l.set(std::u32string(1, U'a' + static_cast<char32_t>(i % 26)) + U"x" +
              std::u32string(i % 7, U'y') + std::u32string(i / 26 + 1, U'z'));
        l.submit();
    }
    std::size_t n = 0;
    std::string prev;
    while (true) {
        l.history_up();
        if (l.utf8() == prev) break;
        prev = l.utf8();
        ++n;
    }
    EXPECT_EQ(n, InputLine::kMaxHistory);
}

TEST(InputLine, RefusesControlsAndFormatCharactersWhenTyped) {
    InputLine l;
    for (char32_t c : {U'\x1b', U'\x07', U'\x9b', U'\u202e', U'\u200b', U'\n'}) l.insert(c);
    EXPECT_TRUE(l.empty());
}

TEST(InputLine, PasteKeepsLinesAndDropsControls) {
    InputLine l;
    l.insert_text("one\r\ntwo\rthree\n\tfour\x1b[31m\xff\u202e");
    EXPECT_EQ(l.utf8(), "one\ntwo\nthree\n    four[31m");
    EXPECT_EQ(l.line_count(), 4u);
    l.home();
    l.insert_text("x");
    EXPECT_EQ(l.cursor(), 1u);
}

TEST(InputLine, IsBounded) {
    InputLine l;
    l.insert_text(std::string(InputLine::kMaxCodepoints + 100, 'a'));
    EXPECT_EQ(l.text().size(), InputLine::kMaxCodepoints);
    l.insert('b');
    EXPECT_EQ(l.text().size(), InputLine::kMaxCodepoints);
}

TEST(InputLine, ViewScrollsToKeepTheCursorVisible) {
    InputLine l = typed(U"0123456789abcdefghij");
    auto v = l.view(10);
    EXPECT_LT(v.cursor_col, 10);
    EXPECT_LE(display_width(v.text), 10);
    EXPECT_NE(v.text.find('j'), std::string::npos);
    l.home();
    v = l.view(10);
    EXPECT_EQ(v.text, "0123456789");
    EXPECT_EQ(v.cursor_col, 0);
    for (int i = 0; i < 12; ++i) l.right();
    v = l.view(10);
    EXPECT_EQ(v.text[static_cast<std::size_t>(v.cursor_col)], 'c');
}

TEST(InputLine, ViewOfWideCharactersPutsTheCursorOnTheRightColumn) {
    InputLine l = typed(U"中文ab");
    auto v = l.view(20);
    EXPECT_EQ(v.text, "中文ab");
    EXPECT_EQ(v.cursor_col, 6);
    l.home();
    l.right();
    EXPECT_EQ(l.view(20).cursor_col, 2);
    // A long Chinese line in a narrow window: never wider than the window, cursor inside.
    InputLine c;
    for (int i = 0; i < 40; ++i) c.insert(U'字');
    for (int width : {3, 4, 5, 11}) {
        for (int k = 0; k < 40; ++k) {
            c.move_to(static_cast<std::size_t>(k));
            const auto cv = c.view(width);
            EXPECT_LE(display_width(cv.text), width);
            EXPECT_GE(cv.cursor_col, 0);
            EXPECT_LT(cv.cursor_col, width);
        }
    }
}

TEST(InputLine, ViewShowsNewlinesAsASymbol) {
    InputLine l;
    l.insert_text("a\nb");
    EXPECT_EQ(l.view(10).text, "a\u21b5b");
}
