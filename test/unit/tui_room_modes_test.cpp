// A room's modes in words: each change as a person would say it, and the summary /mode prints;
// and the letters of its settings the status bar shows.
#include <gtest/gtest.h>

#include "tui/room_modes.h"

using namespace natter;
using namespace natter::tui;

TEST(TuiRoomModes, EachChangeInWords) {
    auto words = [](const char* change, const char* arg = "") { return mode_change_words(change, arg, "me"); };
    EXPECT_EQ(words("+m"), "set +m: only operators and voiced members may speak");
    EXPECT_EQ(words("-m"), "set -m: every member may speak");
    EXPECT_EQ(words("+i"), "set +i: only invited people may join");
    EXPECT_EQ(words("-i"), "set -i: anyone may join without an invitation");
    EXPECT_EQ(words("+n"), "set +n: only members may speak in the room");
    EXPECT_EQ(words("-s"), "set -s: the room is listed to everyone");
    EXPECT_EQ(words("+t"), "set +t: only operators may change the topic");
    EXPECT_EQ(words("+k", "beer"), "set the key to beer: joining needs it");
    EXPECT_EQ(words("-k", "*"), "removed the key");
    EXPECT_EQ(words("+l", "20"), "set a limit of 20 members");
    EXPECT_EQ(words("-l"), "removed the member limit");
    EXPECT_EQ(words("+o", "bob"), "gave bob operator status");
    EXPECT_EQ(words("-o", "bob"), "took operator status from bob");
    EXPECT_EQ(words("+v", "bob"), "gave bob voice (may speak while the room is moderated)");
    EXPECT_EQ(words("-v", "bob"), "took voice from bob");
    EXPECT_EQ(words("+b", "ann!*@*"), "banned ann!*@*");
    EXPECT_EQ(words("-b", "ann!*@*"), "lifted the ban on ann!*@*");
    // About us: "you".
    EXPECT_EQ(words("+o", "me"), "gave you operator status");
    EXPECT_EQ(words("-v", "me"), "took voice from you");
    EXPECT_EQ(words("+b", "me"), "banned me") << "a mask is a mask, not us";
    // What this client does not know is said as it came.
    EXPECT_EQ(words("+q", "bob"), "set +q bob");
    EXPECT_EQ(words("+mt"), "set +mt");
    EXPECT_EQ(words(""), "set ");
}

TEST(TuiRoomModes, TheSummaryOfARoom) {
    RoomModesInfo r{"#rust", "+klnt", "beer", 20, {"ann!*@*", "*!*@spam.example"}};
    EXPECT_EQ(room_modes_words(r),
              "#rust modes: +klnt (key beer, limit 20 members, members only, topic locked); "
              "bans: ann!*@*, *!*@spam.example");
    // The key is told to members only.
    EXPECT_EQ(room_modes_words({"#rust", "+ikms", "", 0, {}}),
              "#rust modes: +ikms (invite-only, a key, moderated, secret)");
    EXPECT_EQ(room_modes_words({"#rust", "+", "", 0, {}}), "#rust has no modes set");
    EXPECT_EQ(room_modes_words({"#rust", "", "", 0, {"ann!*@*"}}), "#rust has no modes set; bans: ann!*@*");
    EXPECT_EQ(room_modes_words({"#rust", "+xn", "", 0, {}}), "#rust modes: +xn (members only)");
    // A long ban list is cut.
    RoomModesInfo many{"#rust", "+n", "", 0, {}};
    for (int i = 0; i < 30; ++i) many.bans.push_back("u" + std::to_string(i) + "!*@*");
    const std::string said = room_modes_words(many);
    EXPECT_NE(said.find("u19!*@*"), std::string::npos);
    EXPECT_EQ(said.find("u20!*@*"), std::string::npos);
    EXPECT_NE(said.find("and 10 more"), std::string::npos);
}

TEST(TuiRoomModes, TheSettingsLettersOfAnAnswer) {
    EXPECT_EQ(setting_letters("+knt"), "knt");
    EXPECT_EQ(setting_letters("+"), "");
    EXPECT_EQ(setting_letters(""), "");
    EXPECT_EQ(setting_letters("+tnmlk"), "klmnt") << "sorted whatever the order";
    EXPECT_EQ(setting_letters("+iklmnst"), "iklmnst");
    // About people, or unknown, or not a letter at all: not a setting.
    EXPECT_EQ(setting_letters("+ovbqxn\x1b[2J"), "n");
    EXPECT_EQ(setting_letters("+nnnn"), "n");
}

TEST(TuiRoomModes, AChangeAddsOrRemovesOneSetting) {
    std::string m = "n";
    change_setting(m, "+t");
    EXPECT_EQ(m, "nt");
    change_setting(m, "+m");
    EXPECT_EQ(m, "mnt");
    change_setting(m, "+m");
    EXPECT_EQ(m, "mnt") << "set twice, listed once";
    change_setting(m, "+k");
    change_setting(m, "+l");
    change_setting(m, "+i");
    change_setting(m, "+s");
    EXPECT_EQ(m, "iklmnst");
    change_setting(m, "-k");
    change_setting(m, "-l");
    change_setting(m, "-i");
    EXPECT_EQ(m, "mnst");
    change_setting(m, "-i");
    EXPECT_EQ(m, "mnst") << "clearing what is not set changes nothing";
    // Changes about people, unknown letters and malformed changes leave the settings alone.
    for (const char* c : {"+o", "-o", "+v", "+b", "-b", "+q", "+mt", "m", "", "*m", "-"}) {
        change_setting(m, c);
        EXPECT_EQ(m, "mnst") << c;
    }
    change_setting(m, "-m");
    change_setting(m, "-n");
    change_setting(m, "-s");
    change_setting(m, "-t");
    EXPECT_EQ(m, "");
}
