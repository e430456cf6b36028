// IRC lines without a socket: parsing every shape RFC 1459/2812 and IRCv3 allow, formatting
// within the limits whatever the parameters hold, and framing fed byte by byte.
#include "server/irc_line.h"

#include <gtest/gtest.h>

#include <string>

using namespace natter::server::irc;

namespace {

Line parsed(std::string_view s) {
    Parsed p = parse_line(s);
    EXPECT_TRUE(std::holds_alternative<Line>(p)) << s;
    return std::holds_alternative<Line>(p) ? std::get<Line>(p) : Line{};
}

TEST(IrcLine, ParsesCommandParamsAndTrailing) {
    Line l = parsed("privmsg #lobby :hello there  :)");
    EXPECT_EQ(l.command, "PRIVMSG");
    ASSERT_EQ(l.params.size(), 2u);
    EXPECT_EQ(l.params[0], "#lobby");
    EXPECT_EQ(l.params[1], "hello there  :)");
    l = parsed("USER  guest   0 *   :Real Name");
    ASSERT_EQ(l.params.size(), 4u);
    EXPECT_EQ(l.params[3], "Real Name");
    l = parsed("NICK bob");
    EXPECT_EQ(l.params, std::vector<std::string>{"bob"});
    l = parsed("PRIVMSG #a :");
    ASSERT_EQ(l.params.size(), 2u);
    EXPECT_EQ(l.params[1], "");
    l = parsed("QUIT");
    EXPECT_TRUE(l.params.empty());
    l = parsed("001 me :welcome");
    EXPECT_EQ(l.command, "001");
}

TEST(IrcLine, ParsesTagsAndPrefix) {
    Line l = parsed("@time=2026-01-01T00:00:00Z;msgid=a\\sb\\:c;flag :nick!u@h PRIVMSG #x :hi");
    ASSERT_EQ(l.tags.size(), 3u);
    EXPECT_EQ(l.tags[0].first, "time");
    EXPECT_EQ(l.tags[1].second, "a b;c");
    EXPECT_EQ(l.tags[2].first, "flag");
    EXPECT_EQ(l.tags[2].second, "");
    EXPECT_EQ(l.prefix, "nick!u@h");
    EXPECT_EQ(l.command, "PRIVMSG");
}

TEST(IrcLine, FifteenParamsAtMost) {
    std::string s = "CMD";
    for (int i = 0; i < 20; ++i) s += " p" + std::to_string(i);
    Line l = parsed(s);
    ASSERT_EQ(l.params.size(), kMaxParams);
    EXPECT_EQ(l.params.back(), "p14 p15 p16 p17 p18 p19");
}

TEST(IrcLine, RefusesWhatIsNoCommand) {
    EXPECT_EQ(std::get<ParseError>(parse_line("")), ParseError::Empty);
    EXPECT_EQ(std::get<ParseError>(parse_line("    ")), ParseError::Empty);
    EXPECT_EQ(std::get<ParseError>(parse_line(":prefix.only")), ParseError::NoCommand);
    EXPECT_EQ(std::get<ParseError>(parse_line("@a=b")), ParseError::NoCommand);
    EXPECT_EQ(std::get<ParseError>(parse_line("PRIV-MSG x")), ParseError::BadCommand);
    EXPECT_EQ(std::get<ParseError>(parse_line("12 x")), ParseError::BadCommand);
    EXPECT_EQ(std::get<ParseError>(parse_line("\xC3\xA9t\xC3\xA9 x")), ParseError::BadCommand);
}

TEST(IrcLine, FormatsTrailingOnlyWhenNeeded) {
    EXPECT_EQ(format_line("srv", "001", {"bob", "Welcome"}), ":srv 001 bob :Welcome\r\n");
    EXPECT_EQ(format_line("", "PONG", {"srv", "tok"}, false), "PONG srv tok\r\n");
    EXPECT_EQ(format_line("", "X", {"a", "with space"}, false), "X a :with space\r\n");
    EXPECT_EQ(format_line("", "X", {"a", ":colon"}, false), "X a ::colon\r\n");
    EXPECT_EQ(format_line("", "X", {"a", ""}, false), "X a :\r\n");
    EXPECT_EQ(format_line("n!u@h", "PRIVMSG", {"#r", "hi"}, true, "time=x"), "@time=x :n!u@h PRIVMSG #r :hi\r\n");
}

TEST(IrcLine, FormattingNeverBreaksALine) {
    // CR, LF and NUL in any parameter, a space in a middle one, an empty middle one.
    const std::string out = format_line("p\r\nx", "CMD", {"mid dle", "", std::string("tr\nail\r\0er", 10)});
    EXPECT_EQ(out.find('\n'), out.size() - 1);
    EXPECT_EQ(out.find('\r'), out.size() - 2);
    EXPECT_EQ(out.find('\0'), std::string::npos);
    Line l = parsed(out.substr(0, out.size() - 2));
    EXPECT_EQ(l.prefix, "p__x");
    ASSERT_EQ(l.params.size(), 3u);
    EXPECT_EQ(l.params[0], "mid_dle");
    EXPECT_EQ(l.params[1], "*");
    EXPECT_EQ(l.params[2], "tr ail  er");
    // Too long: cut at a code point boundary so the line is 512 bytes with CRLF.
    std::string text;
    for (int i = 0; i < 300; ++i) text += "\xC3\xA9";
    const std::string cut = format_line("server.name", "NOTICE", {"nick", text});
    EXPECT_LE(cut.size(), kMaxLineBytes);
    EXPECT_GE(cut.size(), kMaxLineBytes - 1);
    EXPECT_EQ(cut.substr(cut.size() - 2), "\r\n");
    EXPECT_NE(static_cast<unsigned char>(cut[cut.size() - 3]), 0xC3);  // no half character
}

TEST(IrcLine, SplitsListsAndEscapesTags) {
    EXPECT_EQ(split_list("#a,#b,,#c,"), (std::vector<std::string>{"#a", "#b", "#c"}));
    EXPECT_TRUE(split_list("").empty());
    EXPECT_EQ(escape_tag_value("a b;c\\d"), "a\\sb\\:c\\\\d");
}

// Feeds bytes one at a time, collecting lines and overlong reports.
std::vector<std::string> frame(Framer& f, std::string_view bytes, int* too_long = nullptr) {
    std::vector<std::string> lines;
    for (char c : bytes) {
        f.feed(std::string_view(&c, 1));
        std::string_view line;
        for (auto st = f.next(line); st != Framer::Status::NeedMore; st = f.next(line)) {
            if (st == Framer::Status::Line) lines.emplace_back(line);
            else if (too_long) ++*too_long;
        }
    }
    return lines;
}

TEST(IrcFramer, ByteByByteWithEveryLineEnd) {
    Framer f;
    const auto lines = frame(f, "NICK a\r\nUSER b\nPING c\rPING d\r\n\r\n\n");
    EXPECT_EQ(lines, (std::vector<std::string>{"NICK a", "USER b", "PING c", "PING d"}));
    EXPECT_EQ(f.buffered(), 0u);
}

TEST(IrcFramer, LimitIs512BytesWithTheLineEnd) {
    Framer f;
    int too_long = 0;
    const std::string ok(510, 'a');
    const std::string over(511, 'b');
    const auto lines = frame(f, ok + "\r\n" + over + "\r\n" + std::string(20000, 'c') + "\nPING x\n", &too_long);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], ok);
    EXPECT_EQ(lines[1], "PING x");
    EXPECT_EQ(too_long, 2);
    EXPECT_LE(f.buffered(), kMaxLineBytes + kMaxClientTagBytes);
}

TEST(IrcFramer, TagsHaveTheirOwnAllowance) {
    Framer f;
    int too_long = 0;
    const std::string tagged = "@" + std::string(3000, 't') + " PRIVMSG #a :" + std::string(400, 'x');
    const std::string huge_tags = "@" + std::string(5000, 't') + " PING x";
    const auto lines = frame(f, tagged + "\r\n" + huge_tags + "\r\n", &too_long);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], tagged);
    EXPECT_EQ(too_long, 1);
}

}  // namespace
