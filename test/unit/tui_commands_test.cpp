// Parsing what is typed: plain text, @nick, every command, aliases, unknown commands, bad input.
#include <gtest/gtest.h>

#include "shared/protocol.h"
#include "tui/commands.h"

using namespace natter::tui;

namespace {

template <class T>
T as(const Intent& i) {
    EXPECT_TRUE(std::holds_alternative<T>(i)) << "intent index " << i.index();
    return std::holds_alternative<T>(i) ? std::get<T>(i) : T{};
}

}  // namespace

TEST(Commands, PlainTextGoesToEveryone) {
    EXPECT_EQ(as<intent::SendGroup>(parse_input("hello all")).text, "hello all");
    EXPECT_EQ(as<intent::SendGroup>(parse_input("  indented")).text, "  indented");
    EXPECT_EQ(as<intent::SendGroup>(parse_input("line one\nline two\n")).text, "line one\nline two");
    EXPECT_EQ(as<intent::SendGroup>(parse_input("中文消息")).text, "中文消息");
    EXPECT_EQ(as<intent::SendGroup>(parse_input("//not a command")).text, "/not a command");
    as<intent::Nothing>(parse_input(""));
    as<intent::Nothing>(parse_input("   \n "));
}

TEST(Commands, AtNickIsPrivate) {
    auto p = as<intent::SendPrivate>(parse_input("@bob see you at noon"));
    EXPECT_EQ(p.to, "bob");
    EXPECT_EQ(p.text, "see you at noon");
    p = as<intent::SendPrivate>(parse_input("@张伟 你好"));
    EXPECT_EQ(p.to, "张伟");
    EXPECT_EQ(p.text, "你好");
    p = as<intent::SendPrivate>(parse_input("@bob first\nsecond"));
    EXPECT_EQ(p.text, "first\nsecond");
    as<intent::Error>(parse_input("@bob"));
    as<intent::Error>(parse_input("@bob   "));
    as<intent::Error>(parse_input("@ hello"));
    as<intent::Error>(parse_input("@b\x1b[31mob hi"));  // not a nickname
}

TEST(Commands, MsgIsPrivateToo) {
    auto p = as<intent::SendPrivate>(parse_input("/msg alice hi there"));
    EXPECT_EQ(p.to, "alice");
    EXPECT_EQ(p.text, "hi there");
    as<intent::Error>(parse_input("/msg"));
    as<intent::Error>(parse_input("/msg alice"));
}

TEST(Commands, ListAndItsAliases) {
    for (auto s : {"/ls", "/who", "/users", "/ls  "}) as<intent::ListUsers>(parse_input(s));
}

TEST(Commands, IgnoreTogglesOrSets) {
    EXPECT_FALSE(as<intent::SetIgnore>(parse_input("/i")).on.has_value());
    EXPECT_FALSE(as<intent::SetIgnore>(parse_input("/ignore")).on.has_value());
    EXPECT_EQ(as<intent::SetIgnore>(parse_input("/i on")).on, std::optional<bool>(true));
    EXPECT_EQ(as<intent::SetIgnore>(parse_input("/ignore off")).on, std::optional<bool>(false));
    as<intent::Error>(parse_input("/i maybe"));
}

TEST(Commands, NickMeClearHelpQuit) {
    EXPECT_EQ(as<intent::ChangeNick>(parse_input("/nick alice_2")).nick, "alice_2");
    as<intent::Error>(parse_input("/nick"));
    as<intent::Error>(parse_input("/nick two words"));
    as<intent::Error>(parse_input("/nick p\u0430ypal"));  // mixed scripts
    EXPECT_EQ(as<intent::SendAction>(parse_input("/me waves")).text, "waves");
    as<intent::Error>(parse_input("/me"));
    as<intent::Clear>(parse_input("/clear"));
    EXPECT_EQ(as<intent::Help>(parse_input("/help")).topic, "");
    EXPECT_EQ(as<intent::Help>(parse_input("/help msg")).topic, "msg");
    EXPECT_EQ(as<intent::Quit>(parse_input("/quit")).reason, "");
    EXPECT_EQ(as<intent::Quit>(parse_input("/quit time for lunch")).reason, "time for lunch");
    // A long goodbye is cut to fit the wire at a character boundary; leaving always works.
    std::string long_reason;
    for (int i = 0; i < 200; ++i) long_reason += "中";
    const auto q = as<intent::Quit>(parse_input("/quit " + long_reason));
    EXPECT_LE(q.reason.size(), natter::kMaxReasonBytes);
    EXPECT_EQ(q.reason.size() % 3, 0u);
}

TEST(Commands, UnknownCommandIsALocalError) {
    const auto e = as<intent::Error>(parse_input("/frobnicate now"));
    EXPECT_NE(e.text.find("/frobnicate"), std::string::npos);
    as<intent::Error>(parse_input("/"));
    as<intent::Error>(parse_input("/MSG bob hi"));  // commands are lower case
    // An unknown command's name is shown harmlessly.
    const auto h = as<intent::Error>(parse_input("/\x1b[2J"));
    EXPECT_EQ(h.text.find('\x1b'), std::string::npos);
}

TEST(Commands, TextTheServerWouldRefuseIsRefusedHere) {
    as<intent::Error>(parse_input(std::string(natter::kMaxTextBytes + 1, 'a')));
    as<intent::SendGroup>(parse_input(std::string(natter::kMaxTextBytes, 'a')));
    as<intent::Error>(parse_input("@bob " + std::string(natter::kMaxTextBytes + 1, 'a')));
}

TEST(Commands, TableIsConsistent) {
    std::set<std::string> seen;
    for (const auto& c : command_table()) {
        EXPECT_TRUE(seen.insert(c.name).second) << c.name;
        for (const char* a : c.aliases) EXPECT_TRUE(seen.insert(a).second) << a;
        EXPECT_EQ(find_command(c.name), &c);
        EXPECT_TRUE(*c.help);
        // Each example parses to something other than an error.
        EXPECT_FALSE(std::holds_alternative<intent::Error>(parse_input(c.example))) << c.example;
        EXPECT_EQ(std::string(c.example).rfind("/", 0), 0u);
    }
    EXPECT_EQ(find_command("nope"), nullptr);
}

TEST(Commands, HelpComesFromTheTable) {
    const auto all = help_lines("");
    for (const auto& c : command_table()) {
        bool found = false;
        for (const auto& l : all) found = found || l.find(std::string("/") + c.name) != std::string::npos;
        EXPECT_TRUE(found) << c.name;
    }
    const auto one = help_lines("who");
    ASSERT_FALSE(one.empty());
    EXPECT_EQ(one[0].rfind("/ls", 0), 0u);
    EXPECT_NE(help_lines("nope")[0].find("no command"), std::string::npos);
}
