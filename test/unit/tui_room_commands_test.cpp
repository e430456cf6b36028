// Parsing the room commands: /join, /part, /rooms, /topic, /switch (/w), /search and /ls -a, with
// what the server would refuse refused here, and Tab completing rooms and the bar's names.
#include <clocale>

#include <gtest/gtest.h>

#include "shared/protocol.h"
#include "tui/commands.h"
#include "tui/completion.h"

using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

template <class T>
T as(const Intent& i) {
    EXPECT_TRUE(std::holds_alternative<T>(i)) << "intent index " << i.index();
    return std::holds_alternative<T>(i) ? std::get<T>(i) : T{};
}

std::string error_of(const std::string& line) { return as<intent::Error>(parse_input(line)).text; }

}  // namespace

TEST(TuiRoomCommands, JoinTakesOneRoomWithOrWithoutTheHash) {
    ASSERT_TRUE(kLocale);
    EXPECT_EQ(as<intent::JoinRoom>(parse_input("/join #rust")).room, "#rust");
    EXPECT_EQ(as<intent::JoinRoom>(parse_input("/join rust")).room, "#rust");
    EXPECT_EQ(as<intent::JoinRoom>(parse_input("/join #2026-plans")).room, "#2026-plans");
    EXPECT_EQ(as<intent::JoinRoom>(parse_input("/join #日本語")).room, "#日本語");
    EXPECT_NE(error_of("/join").find("usage"), std::string::npos);
    EXPECT_NE(error_of("/join #a key more").find("usage"), std::string::npos);
    // /invite nick [#room].
    const auto inv = as<intent::InviteTo>(parse_input("/invite bob"));
    EXPECT_EQ(inv.nick, "bob");
    EXPECT_EQ(inv.room, "");
    EXPECT_EQ(as<intent::InviteTo>(parse_input("/invite bob #rust")).room, "#rust");
    EXPECT_NE(error_of("/invite").find("usage"), std::string::npos);
    EXPECT_NE(error_of("/invite bob rust").find("usage"), std::string::npos);
    EXPECT_NE(error_of("/invite bob #rust more").find("usage"), std::string::npos);
    EXPECT_NE(error_of("/invite b\x1b[2Jb").find("not a nickname"), std::string::npos);
    // A key opens a room that has one.
    EXPECT_EQ(as<intent::JoinRoom>(parse_input("/join #rust")).key, "");
    const auto keyed = as<intent::JoinRoom>(parse_input("/join  #rust  s3cret "));
    EXPECT_EQ(keyed.room, "#rust");
    EXPECT_EQ(keyed.key, "s3cret");
    // The room rule, with the reason: too long, mixed scripts, controls.
    EXPECT_NE(error_of("/join #" + std::string(40, 'a')).find("longer"), std::string::npos);
    EXPECT_NE(error_of("/join #\x1b[31m").find("cannot join"), std::string::npos);
    EXPECT_EQ(error_of("/join #\x1b[31m").find('\x1b'), std::string::npos) << "echoed safely";
}

TEST(TuiRoomCommands, PartTakesAnOptionalRoomAndMessage) {
    auto p = as<intent::PartRoom>(parse_input("/part"));
    EXPECT_EQ(p.room, "");
    EXPECT_EQ(p.reason, "");
    p = as<intent::PartRoom>(parse_input("/part #rust off to lunch"));
    EXPECT_EQ(p.room, "#rust");
    EXPECT_EQ(p.reason, "off to lunch");
    p = as<intent::PartRoom>(parse_input("/part see you all"));
    EXPECT_EQ(p.room, "");
    EXPECT_EQ(p.reason, "see you all");
    // A goodbye too long for the wire is cut, never refused.
    p = as<intent::PartRoom>(parse_input("/part " + std::string(1000, 'x')));
    EXPECT_EQ(p.reason.size(), natter::kMaxReasonBytes);
    as<intent::Error>(parse_input("/part #bad\x07 bye"));
}

TEST(TuiRoomCommands, RoomsTopicSwitchSearchAndLs) {
    as<intent::ListRooms>(parse_input("/rooms"));
    as<intent::Error>(parse_input("/rooms now"));
    EXPECT_FALSE(as<intent::Topic>(parse_input("/topic")).text.has_value());
    EXPECT_EQ(*as<intent::Topic>(parse_input("/topic  release friday ")).text, "release friday");
    EXPECT_EQ(*as<intent::Topic>(parse_input("/topic -clear")).text, "");
    as<intent::Error>(parse_input("/topic line\nbreak"));
    as<intent::Error>(parse_input("/topic " + std::string(natter::kMaxTopicBytes + 1, 't')));
    EXPECT_EQ(as<intent::SwitchTo>(parse_input("/switch #rust")).name, "#rust");
    EXPECT_EQ(as<intent::SwitchTo>(parse_input("/w 3")).name, "3");
    as<intent::Error>(parse_input("/w"));
    EXPECT_EQ(as<intent::SearchRoom>(parse_input("/search deploy friday")).words, "deploy friday");
    as<intent::Error>(parse_input("/search"));
    as<intent::Error>(parse_input("/search " + std::string(natter::kMaxSearchBytes + 1, 'w')));
    EXPECT_FALSE(as<intent::ListUsers>(parse_input("/ls")).everyone);
    EXPECT_TRUE(as<intent::ListUsers>(parse_input("/ls -a")).everyone);
    EXPECT_TRUE(as<intent::ListUsers>(parse_input("/who -a")).everyone);
    as<intent::Error>(parse_input("/ls everyone"));
}

TEST(TuiRoomCommands, HelpListsTheRoomCommands) {
    const auto all = help_lines("");
    std::string joined;
    for (const auto& l : all) joined += l + "\n";
    for (const char* c : {"/join", "/part", "/rooms", "/topic", "/switch name, /w", "/search", "Alt-1..9"})
        EXPECT_NE(joined.find(c), std::string::npos) << c;
    EXPECT_EQ(help_lines("w")[0].rfind("/switch", 0), 0u);
}

TEST(TuiRoomCompletion, HashCompletesRoomsAnywhere) {
    InputLine l;
    l.set(U"come to #ru");
    Completer c;
    CompletionSources from{{"alice"}, {"#rust", "#Ruby", "#lobby"}, {}};
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "come to #rust ");
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "come to #Ruby ");
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "come to #rust ");
    l.set(U"#zz");
    c.reset();
    EXPECT_FALSE(c.complete_from(l, from));
}

TEST(TuiRoomCompletion, JoinAndPartCompleteBareNamesToRooms) {
    InputLine l;
    l.set(U"/join ru");
    Completer c;
    CompletionSources from{{"rupert"}, {"#rust"}, {}};
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "/join #rust ");
    l.set(U"/part #r");
    c.reset();
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "/part #rust ");
    // Elsewhere a bare word is a nickname.
    l.set(U"hi ru");
    c.reset();
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "hi rupert ");
}

TEST(TuiRoomCompletion, SwitchCompletesTheBarsNames) {
    InputLine l;
    l.set(U"/w b");
    Completer c;
    CompletionSources from{{"bea"}, {"#rust"}, {"#lobby", "#bikes", "bob"}};
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "/w #bikes ");
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "/w bob ");
    l.set(U"/switch @b");
    c.reset();
    EXPECT_TRUE(c.complete_from(l, from));
    EXPECT_EQ(l.utf8(), "/switch @bob ");
}
