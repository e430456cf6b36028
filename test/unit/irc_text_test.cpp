// Text between IRC and natter: formatting and control characters out, invalid bytes replaced,
// CTCP recognised, and natter texts cut into IRC-sized pieces with nothing lost.
#include "server/irc_text.h"

#include <gtest/gtest.h>

#include "shared/text.h"

using namespace natter::server::irc;

namespace {

TEST(IrcText, FormattingAndControlsRemoved) {
    EXPECT_EQ(text_from_irc("\x02" "bold\x02 \x1Ditalic\x1D \x1Funder\x1F \x0Freset \x16rev \x11mono \x1Estrike"),
              "bold italic under reset rev mono strike");
    EXPECT_EQ(text_from_irc("\x03" "4red \x03" "04,12both \x03plain \x03" "1,x"), "red both plain ,x");
    EXPECT_EQ(text_from_irc("\x03" "123"), "3");  // two digits at most
    EXPECT_EQ(text_from_irc("\x04" "FF0000hex \x04" "00ff00,0000ffboth"), "hex both");
    EXPECT_EQ(text_from_irc("tab\there\x07\x1B[31m\x7F"), "tab\there[31m");
    EXPECT_EQ(text_from_irc("c1 \xC2\x85 gone"), "c1  gone");
}

TEST(IrcText, InvalidUtf8BecomesReplacement) {
    const std::string out = text_from_irc("a\xFF" "b\xC3" "c\xE2\x82");
    EXPECT_TRUE(natter::text::valid_utf8(out));
    EXPECT_EQ(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(text_from_irc("\xE4\xB8\xAD\xE6\x96\x87"), "\xE4\xB8\xAD\xE6\x96\x87");
}

TEST(IrcText, Ctcp) {
    Ctcp c = parse_ctcp("\x01" "ACTION waves hello\x01");
    EXPECT_TRUE(c.is_ctcp);
    EXPECT_EQ(c.command, "ACTION");
    EXPECT_EQ(c.argument, "waves hello");
    c = parse_ctcp("\x01version\x01");
    EXPECT_EQ(c.command, "VERSION");
    EXPECT_EQ(c.argument, "");
    c = parse_ctcp("\x01" "ACTION no closing");
    EXPECT_EQ(c.argument, "no closing");
    EXPECT_FALSE(parse_ctcp("plain \x01 text").is_ctcp);
}

TEST(IrcText, SplitsByLineAndLengthLosingNothing) {
    EXPECT_EQ(split_for_irc("one\ntwo\n\nthree", 100), (std::vector<std::string>{"one", "two", "three"}));
    const auto pieces = split_for_irc("aaaa bbbb cccc dddd", 10);
    EXPECT_EQ(pieces, (std::vector<std::string>{"aaaa bbbb", "cccc dddd"}));
    std::string wide;
    for (int i = 0; i < 100; ++i) wide += "\xE2\x9C\x93";  // no spaces: cut between characters
    std::string back;
    for (const std::string& p : split_for_irc(wide, 10)) {
        EXPECT_LE(p.size(), 10u);
        EXPECT_TRUE(natter::text::valid_utf8(p));
        back += p;
    }
    EXPECT_EQ(back, wide);
    EXPECT_FALSE(split_for_irc("x", 0).empty());  // a budget too small still makes progress
}

TEST(IrcText, NamesMadeSafe) {
    EXPECT_EQ(clean_username("Jo hn!@\xC3\xA9x_1-.", 10), "Johnx_1-.");
    EXPECT_EQ(clean_username("abcdefghijklmnop", 10), "abcdefghij");
    EXPECT_EQ(clean_realname("R\xC3\xA9" "al\x01 \xE2\x80\xAEName\xFF", 100), "R\xC3\xA9" "al Name");
    EXPECT_EQ(clean_realname("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");
}

}  // namespace
