// The room name rule: '#' and a nickname-like name that may start with a digit; case and
// look-alikes make one room.
#include <gtest/gtest.h>

#include <string>

#include "shared/protocol.h"
#include "shared/text.h"

using namespace natter;
using natter::text::room_key;
using natter::text::room_problem;

TEST(RoomName, AcceptsOneScriptNames) {
    for (const char* ok : {"#lobby", "#rust", "#2026-plans", "#_ops", "#a.b-c_d", "#日本語", "#Москва",
                           "#x"}) {
        EXPECT_FALSE(room_problem(ok).has_value()) << ok << ": " << room_problem(ok).value_or("");
    }
    const std::string longest = "#" + std::string(kMaxRoomCodepoints - 1, 'a');
    EXPECT_FALSE(room_problem(longest).has_value());
}

TEST(RoomName, RefusesWhatCouldSpoofOrBreakALine) {
    EXPECT_EQ(*room_problem(""), "the room name is empty");
    EXPECT_EQ(*room_problem("lobby"), "a room name starts with #");
    EXPECT_EQ(*room_problem("#"), "the room name is empty after #");
    EXPECT_EQ(*room_problem("#" + std::string(kMaxRoomCodepoints, 'a')),
              "the room name is longer than " + std::to_string(kMaxRoomCodepoints) + " characters");
    for (const char* bad : {"##a", "#a b", "#-a", "#.a", "#a\nb", "#a\u200Bb", "#a\u202Eb", "#rust#go",
                            "#abcабв", "#\xff", "#a\u0301"}) {
        EXPECT_TRUE(room_problem(bad).has_value()) << bad;
    }
    EXPECT_NE(room_problem("#a b")->find("room name"), std::string::npos) << *room_problem("#a b");
}

TEST(RoomName, CaseAndLookalikesAreOneRoom) {
    EXPECT_EQ(room_key("#Rust"), room_key("#rust"));
    EXPECT_EQ(room_key("#LOBBY"), room_key("#lobby"));
    EXPECT_EQ(room_key("#h\u043Eme"), room_key("#home"));  // Cyrillic o
    EXPECT_EQ(room_key("#rn"), room_key("#m"));
    EXPECT_NE(room_key("#rust"), room_key("#go"));
}

TEST(RoomName, NicknameRuleIsUnchanged) {
    EXPECT_EQ(*text::nick_problem("1abc"), "a nickname must start with a letter or _");
    EXPECT_EQ(*text::nick_problem(""), "the nickname is empty");
}
