// Keys as ncurses reports them, turned into natter's keys: controls, Alt, bracketed paste, bursts.
#include <curses.h>

#include <gtest/gtest.h>

#include "tui/connection.h"
#include "tui/key_decoder.h"

using namespace natter::tui;

namespace {

std::vector<RawKey> chars(const std::u32string& s) {
    std::vector<RawKey> out;
    for (char32_t c : s) out.push_back(RawKey::ch(c));
    return out;
}

std::vector<KeyCode> codes(const std::vector<Key>& keys) {
    std::vector<KeyCode> out;
    for (const auto& k : keys) out.push_back(k.code);
    return out;
}

}  // namespace

TEST(KeyDecoder, PrintableCharactersAreTyped) {
    KeyDecoder d;
    const auto keys = d.decode(chars(U"a中😀"));
    ASSERT_EQ(keys.size(), 3u);
    EXPECT_EQ(keys[1].code, KeyCode::Char);
    EXPECT_EQ(keys[1].ch, U'中');
}

TEST(KeyDecoder, ControlKeysEdit) {
    KeyDecoder d;
    const std::u32string ctrl = {1, 5, 2, 6, 16, 14, 21, 11, 23, 25, 12, 9, 127, 8};
    EXPECT_EQ(codes(d.decode(chars(ctrl))),
              (std::vector<KeyCode>{KeyCode::Home, KeyCode::End, KeyCode::Left, KeyCode::Right,
                                    KeyCode::PrevTab, KeyCode::NextTab, KeyCode::KillToStart,
                                    KeyCode::KillToEnd, KeyCode::KillWordBack, KeyCode::Yank,
                                    KeyCode::Redraw, KeyCode::Tab, KeyCode::Backspace,
                                    KeyCode::Backspace}));
    EXPECT_EQ(codes(d.decode(chars(U"\x03"))), std::vector<KeyCode>{KeyCode::Interrupt});
    EXPECT_EQ(codes(d.decode(chars(U"\x04"))), std::vector<KeyCode>{KeyCode::EndOfInput});
    // Other controls are not text.
    EXPECT_TRUE(d.decode(chars(U"\x00\x07\x1f\x9b")).empty());
}

TEST(KeyDecoder, FunctionKeys) {
    KeyDecoder d({700, 701});
    std::vector<RawKey> raw;
    for (int k : {KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_HOME, KEY_END, KEY_BACKSPACE, KEY_DC,
                  KEY_PPAGE, KEY_NPAGE, KEY_ENTER, 700, 701, KEY_F(5)})
        raw.push_back(RawKey::code(k));
    EXPECT_EQ(codes(d.decode(raw)),
              (std::vector<KeyCode>{KeyCode::Left, KeyCode::Right, KeyCode::Up, KeyCode::Down,
                                    KeyCode::Home, KeyCode::End, KeyCode::Backspace,
                                    KeyCode::Delete, KeyCode::PageUp, KeyCode::PageDown,
                                    KeyCode::Enter, KeyCode::WordLeft, KeyCode::WordRight}));
}

TEST(KeyDecoder, EscapeAloneAndAltKeys) {
    KeyDecoder d;
    EXPECT_EQ(codes(d.decode(chars(U"\x1b"))), std::vector<KeyCode>{KeyCode::Escape});
    EXPECT_EQ(codes(d.decode(chars(U"\x1b" "b\x1b" "f\x1b\x7f"))),
              (std::vector<KeyCode>{KeyCode::WordLeft, KeyCode::WordRight, KeyCode::KillWordBack}));
    EXPECT_EQ(codes(d.decode(chars(U"\x1b\x1b"))),
              (std::vector<KeyCode>{KeyCode::Escape, KeyCode::Escape}));
    EXPECT_TRUE(d.decode(chars(U"\x1bz")).empty());  // an Alt key with no meaning
}

TEST(KeyDecoder, AltDigitsSwitchRooms) {
    KeyDecoder d;
    const auto keys = d.decode(chars(U"\x1b" "1\x1b" "9"));
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].code, KeyCode::SwitchTab);
    EXPECT_EQ(keys[0].ch, 1u);
    EXPECT_EQ(keys[1].ch, 9u);
    // Alt-0 means nothing; a digit after a lone Escape in another read is typed.
    EXPECT_TRUE(d.decode(chars(U"\x1b" "0")).empty());
    EXPECT_EQ(codes(d.decode(chars(U"\x1b"))), std::vector<KeyCode>{KeyCode::Escape});
    EXPECT_EQ(codes(d.decode(chars(U"2"))), std::vector<KeyCode>{KeyCode::Char});
}

TEST(KeyDecoder, EnterAloneSendsButInsideABurstIsALineBreak) {
    KeyDecoder d;
    EXPECT_EQ(codes(d.decode(chars(U"\r"))), std::vector<KeyCode>{KeyCode::Enter});
    const auto keys = d.decode(chars(U"one\rtwo\r"));
    ASSERT_EQ(keys.size(), 8u);
    EXPECT_EQ(keys[3].code, KeyCode::Newline);
    EXPECT_EQ(keys[7].code, KeyCode::Enter);
}

TEST(KeyDecoder, BracketedPasteIsOneKeyEvenAcrossBatches) {
    KeyDecoder d;
    std::vector<RawKey> first = {RawKey::code(kKeyPasteBegin)};
    for (auto& r : chars(U"line 1\rline 2\r")) first.push_back(r);
    EXPECT_TRUE(d.decode(first).empty());
    EXPECT_TRUE(d.in_paste());
    std::vector<RawKey> second = chars(U"中文\x1b[A");
    second.push_back(RawKey::code(KEY_UP));  // a "key" inside a paste is not a key
    second.push_back(RawKey::code(kKeyPasteEnd));
    second.push_back(RawKey::ch('x'));
    const auto keys = d.decode(second);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].code, KeyCode::Paste);
    EXPECT_EQ(keys[0].text, "line 1\rline 2\r中文\x1b[A");  // the input line cleans it
    EXPECT_EQ(keys[1].code, KeyCode::Char);
    EXPECT_FALSE(d.in_paste());
}

TEST(KeyDecoder, PasteIsBounded) {
    KeyDecoder d;
    std::vector<RawKey> raw = {RawKey::code(kKeyPasteBegin)};
    raw.resize(1 + KeyDecoder::kMaxPasteBytes + 1000, RawKey::ch('a'));
    raw.push_back(RawKey::code(kKeyPasteEnd));
    const auto keys = d.decode(raw);
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys[0].text.size(), KeyDecoder::kMaxPasteBytes);
}

TEST(KeyDecoder, MouseWheel) {
    KeyDecoder d;
    RawKey up = RawKey::code(KEY_MOUSE);
    up.wheel_up = true;
    RawKey down = RawKey::code(KEY_MOUSE);
    down.wheel_down = true;
    EXPECT_EQ(codes(d.decode({up, down, RawKey::code(KEY_MOUSE)})),
              (std::vector<KeyCode>{KeyCode::WheelUp, KeyCode::WheelDown}));
}

TEST(Reconnect, BacksOffUpToACapWithJitter) {
    EXPECT_EQ(reconnect_delay_ms(0, 0.0), 250u);
    EXPECT_EQ(reconnect_delay_ms(1, 0.0), 500u);
    EXPECT_EQ(reconnect_delay_ms(2, 0.0), 1000u);
    EXPECT_EQ(reconnect_delay_ms(5, 0.0), 8000u);
    EXPECT_EQ(reconnect_delay_ms(50, 0.0), 8000u);
    EXPECT_EQ(reconnect_delay_ms(0, 1.0), 200u);
    for (int a = 0; a < 10; ++a)
        for (double j : {0.0, 0.3, 1.0}) EXPECT_LE(reconnect_delay_ms(a, j), reconnect_delay_ms(a + 1, 0.0));
}
