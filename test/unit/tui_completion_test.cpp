// Tab completion: nicknames by most recent speaker, commands, cycling.
#include <clocale>

#include <gtest/gtest.h>

#include "tui/completion.h"

using namespace natter::tui;

namespace {

const bool kLocale = std::setlocale(LC_ALL, "C.UTF-8") != nullptr;

InputLine line(const std::u32string& s) {
    InputLine l;
    l.set(s);
    return l;
}

}  // namespace

TEST(Completion, NickAtTheStartGetsAColon) {
    ASSERT_TRUE(kLocale);
    InputLine l = line(U"al");
    Completer c;
    EXPECT_TRUE(c.complete(l, {"bob", "alice"}));
    EXPECT_EQ(l.utf8(), "alice: ");
    EXPECT_EQ(l.cursor(), 7u);
}

TEST(Completion, NickInsideTheLineGetsASpace) {
    InputLine l = line(U"hi AL");
    Completer c;
    EXPECT_TRUE(c.complete(l, {"alice"}));
    EXPECT_EQ(l.utf8(), "hi alice ");
}

TEST(Completion, AtNick) {
    InputLine l = line(U"@b");
    Completer c;
    EXPECT_TRUE(c.complete(l, {"alice", "bob"}));
    EXPECT_EQ(l.utf8(), "@bob ");
}

TEST(Completion, MostRecentSpeakerFirstThenCycles) {
    InputLine l = line(U"a");
    Completer c;
    const std::vector<std::string> nicks = {"anna", "alice", "albert"};  // anna spoke last
    EXPECT_TRUE(c.complete(l, nicks));
    EXPECT_EQ(l.utf8(), "anna: ");
    EXPECT_TRUE(c.complete(l, nicks));
    EXPECT_EQ(l.utf8(), "alice: ");
    EXPECT_TRUE(c.complete(l, nicks));
    EXPECT_EQ(l.utf8(), "albert: ");
    EXPECT_TRUE(c.complete(l, nicks));
    EXPECT_EQ(l.utf8(), "anna: ");
}

TEST(Completion, KeepsTextAfterTheCursor) {
    InputLine l = line(U"hi b and more");
    l.move_to(4);
    Completer c;
    EXPECT_TRUE(c.complete(l, {"bob"}));
    EXPECT_EQ(l.utf8(), "hi bob  and more");
    EXPECT_EQ(l.cursor(), 7u);
}

TEST(Completion, ResetStartsAgainFromTheTypedWord) {
    InputLine l = line(U"a");
    Completer c;
    c.complete(l, {"anna", "alice"});
    c.reset();
    for (int i = 0; i < 4; ++i) l.backspace();  // "anna: " back to "an": a new word
    EXPECT_EQ(l.utf8(), "an");
    EXPECT_TRUE(c.complete(l, {"anna", "alice"}));
    EXPECT_EQ(l.utf8(), "anna: ");
    EXPECT_TRUE(c.complete(l, {"anna", "alice"}));
    EXPECT_EQ(l.utf8(), "anna: ");  // the only candidate for "an"
}

TEST(Completion, Commands) {
    InputLine l = line(U"/he");
    Completer c;
    EXPECT_TRUE(c.complete(l, {}));
    EXPECT_EQ(l.utf8(), "/help ");
    InputLine u = line(U"/u");
    EXPECT_TRUE(c.complete(u, {}));
    EXPECT_EQ(u.utf8(), "/users ");
    InputLine i = line(U"/i");
    Completer ci;
    EXPECT_TRUE(ci.complete(i, {}));
    EXPECT_EQ(i.utf8(), "/i ");
    EXPECT_TRUE(ci.complete(i, {}));
    EXPECT_EQ(i.utf8(), "/ignore ");
}

TEST(Completion, NothingMatches) {
    InputLine l = line(U"zz");
    Completer c;
    EXPECT_FALSE(c.complete(l, {"alice"}));
    EXPECT_EQ(l.utf8(), "zz");
    InputLine m = line(U"/zz");
    EXPECT_FALSE(c.complete(m, {"alice"}));
}

TEST(Completion, NonLatinNicknames) {
    InputLine l = line(U"@张");
    Completer c;
    EXPECT_TRUE(c.complete(l, {"张伟", "bob"}));
    EXPECT_EQ(l.utf8(), "@张伟 ");
    InputLine g = line(U"δη");
    EXPECT_TRUE(c.complete(g, {"Δημήτρης"}));
    EXPECT_EQ(g.utf8(), "Δημήτρης: ");
}
