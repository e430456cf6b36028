// Parsing the room commands: /join, /part, /invite, /kick, /mode (and /op, /deop, /voice,
// /devoice), /rooms, /topic, /switch (/w), /search and /ls -a, with what the server would refuse
// refused here, and Tab completing rooms and the bar's names.
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

// The changes of one /mode line, as "change arg" strings in order.
std::vector<std::string> changes(const std::string& line) {
    std::vector<std::string> out;
    for (const auto& c : as<intent::RoomModes>(parse_input(line)).changes)
        out.push_back(c.arg.empty() ? c.change : c.change + " " + c.arg);
    return out;
}
using Changes = std::vector<std::string>;

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

TEST(TuiRoomCommands, KickTakesANickAnOptionalRoomAndAReason) {
    auto k = as<intent::KickOut>(parse_input("/kick bob"));
    EXPECT_EQ(k.room, "");
    EXPECT_EQ(k.nick, "bob");
    EXPECT_EQ(k.reason, "");
    k = as<intent::KickOut>(parse_input("/kick  bob  too noisy, again "));
    EXPECT_EQ(k.nick, "bob");
    EXPECT_EQ(k.reason, "too noisy, again");
    k = as<intent::KickOut>(parse_input("/kick #rust bob spam"));
    EXPECT_EQ(k.room, "#rust");
    EXPECT_EQ(k.nick, "bob");
    EXPECT_EQ(k.reason, "spam");
    // A reason too long for the wire is cut at a character boundary.
    std::string long_reason;
    for (int i = 0; i < 200; ++i) long_reason += "中";
    k = as<intent::KickOut>(parse_input("/kick bob " + long_reason));
    EXPECT_LE(k.reason.size(), natter::kMaxReasonBytes);
    EXPECT_EQ(k.reason.size() % 3, 0u);
    EXPECT_NE(error_of("/kick").find("usage: /kick [#room] nick [why]"), std::string::npos);
    EXPECT_NE(error_of("/kick #rust").find("usage"), std::string::npos);
    EXPECT_NE(error_of("/kick b\x1b[2Jb").find("not a nickname"), std::string::npos);
    EXPECT_EQ(error_of("/kick b\x1b[2Jb").find('\x1b'), std::string::npos) << "echoed safely";
    EXPECT_NE(error_of("/kick #bad\x07 bob").find("not a room"), std::string::npos);
}

TEST(TuiRoomCommands, ModeAloneOrWithARoomAsksForTheModes) {
    auto m = as<intent::RoomModes>(parse_input("/mode"));
    EXPECT_EQ(m.room, "");
    EXPECT_TRUE(m.changes.empty());
    m = as<intent::RoomModes>(parse_input("/mode  #rust "));
    EXPECT_EQ(m.room, "#rust");
    EXPECT_TRUE(m.changes.empty());
    EXPECT_NE(error_of("/mode #\x1b[31m").find("not a room"), std::string::npos);
}

TEST(TuiRoomCommands, ModeSplitsIntoOneChangePerLetter) {
    EXPECT_EQ(changes("/mode +m"), Changes{"+m"});
    EXPECT_EQ(changes("/mode -k"), Changes{"-k"});
    EXPECT_EQ(changes("/mode +k secret"), Changes{"+k secret"});
    EXPECT_EQ(changes("/mode +l 20"), Changes{"+l 20"});
    EXPECT_EQ(changes("/mode -l"), Changes{"-l"});
    EXPECT_EQ(changes("/mode +o bob"), Changes{"+o bob"});
    EXPECT_EQ(changes("/mode -v bob"), Changes{"-v bob"});
    EXPECT_EQ(changes("/mode +b ann"), Changes{"+b ann"});
    EXPECT_EQ(changes("/mode -b *!*@example.org"), Changes{"-b *!*@example.org"});
    // Combined, IRC style: the letters that take an argument take the next word, in order; k and
    // l only when set, o v b both ways.
    EXPECT_EQ(changes("/mode +mt-k"), (Changes{"+m", "+t", "-k"}));
    EXPECT_EQ(changes("/mode +ov bob carol"), (Changes{"+o bob", "+v carol"}));
    EXPECT_EQ(changes("/mode +kl-o  beer 20   bob"), (Changes{"+k beer", "+l 20", "-o bob"}));
    EXPECT_EQ(changes("/mode -kl+b ann"), (Changes{"-k", "-l", "+b ann"}));
    EXPECT_EQ(changes("/mode +i-i+s"), (Changes{"+i", "-i", "+s"}));
    // Another room first, as IRC has it.
    const auto m = as<intent::RoomModes>(parse_input("/mode #rust +m"));
    EXPECT_EQ(m.room, "#rust");
    ASSERT_EQ(m.changes.size(), 1u);
    EXPECT_EQ(m.changes[0].change, "+m");
    // At most kMaxModeChanges at once.
    EXPECT_EQ(changes("/mode +imnst-k").size(), kMaxModeChanges);
    EXPECT_NE(error_of("/mode +imnst-kl").find("at most 6"), std::string::npos);
}

TEST(TuiRoomCommands, BadModeChangesAreRefusedWithTheReason) {
    // No sign.
    EXPECT_NE(error_of("/mode m").find("starts with + or -"), std::string::npos);
    EXPECT_NE(error_of("/mode #rust m").find("starts with + or -"), std::string::npos);
    // A sign without a letter.
    EXPECT_NE(error_of("/mode +").find("letter"), std::string::npos);
    EXPECT_NE(error_of("/mode -+").find("letter"), std::string::npos);
    // Unknown letters, named safely.
    EXPECT_NE(error_of("/mode +x").find("no mode \"x\""), std::string::npos);
    EXPECT_NE(error_of("/mode +mQ").find("no mode \"Q\""), std::string::npos);
    EXPECT_NE(error_of("/mode +中").find("no mode \"中\""), std::string::npos);
    EXPECT_EQ(error_of("/mode +\x1b").find('\x1b'), std::string::npos);
    // Missing arguments, saying what is wanted.
    EXPECT_NE(error_of("/mode +k").find("+k needs the key"), std::string::npos);
    EXPECT_NE(error_of("/mode +l").find("+l needs"), std::string::npos);
    EXPECT_NE(error_of("/mode +o").find("+o needs a nickname"), std::string::npos);
    EXPECT_NE(error_of("/mode -v").find("-v needs a nickname"), std::string::npos);
    EXPECT_NE(error_of("/mode +b").find("+b needs"), std::string::npos);
    EXPECT_NE(error_of("/mode +ov bob").find("+v needs"), std::string::npos);
    // Arguments the rules refuse.
    for (const char* bad : {"/mode +l twenty", "/mode +l 0", "/mode +l -5", "/mode +l 12345678901"})
        EXPECT_NE(error_of(bad).find("whole number"), std::string::npos) << bad;
    EXPECT_NE(error_of("/mode +o b\x1b[2Jb").find("not a nickname"), std::string::npos);
    EXPECT_NE(error_of("/mode +k a\x07" "b").find("not changed"), std::string::npos);
    // Words no letter takes.
    EXPECT_NE(error_of("/mode +m bob").find("\"bob\" is left over"), std::string::npos);
    EXPECT_NE(error_of("/mode -k secret").find("\"secret\" is left over"), std::string::npos);
}

TEST(TuiRoomCommands, OpDeopVoiceDevoiceAreModeChangesWrittenShort) {
    EXPECT_EQ(changes("/op bob"), Changes{"+o bob"});
    EXPECT_EQ(changes("/deop bob carol"), (Changes{"-o bob", "-o carol"}));
    EXPECT_EQ(changes("/voice bob"), Changes{"+v bob"});
    EXPECT_EQ(changes("/devoice  bob   carol "), (Changes{"-v bob", "-v carol"}));
    EXPECT_EQ(as<intent::RoomModes>(parse_input("/op #rust bob")).room, "#rust");
    EXPECT_NE(error_of("/op").find("usage: /op"), std::string::npos);
    EXPECT_NE(error_of("/voice #rust").find("usage: /voice"), std::string::npos);
    EXPECT_NE(error_of("/op b\x1b[2Jb").find("not a nickname"), std::string::npos);
    EXPECT_NE(error_of("/op a b c d e f g").find("at most"), std::string::npos);
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
