// Server operators over real sockets: OPER with the credentials of --irc-oper-file, what an
// operator looks like (WHO '*', WHOIS 313, LUSERS, user mode +o), KILL of an IRC or a natter user,
// and the refusals (wrong password, no operators configured, KILL by a non-operator).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "irc_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

// A --irc-oper-file in its own directory, removed at the end of the test.
struct OperFile {
    OperFile() {
        char tmpl[] = "/tmp/natter-opers-XXXXXX";
        if (::mkdtemp(tmpl) != nullptr) dir = tmpl;
        path = dir + "/opers";
        std::ofstream(path) << "# the test's operator\nroot hunter2\n";
        ::chmod(path.c_str(), 0600);
    }
    ~OperFile() { std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string dir, path;
};

TEST(IrcOperators, OperShowsEverywhereAndMayKill) {
    OperFile file;
    IrcServer s({"--irc-oper-file", file.path});
    auto ann = s.natter("ann");
    auto boss = s.user("boss");
    auto pest = s.user("pest");
    boss->send("OPER root wrong");
    expect_irc(*boss, "464");
    boss->send("OPER root hunter2");
    expect_irc(*boss, "381");
    IrcMsg mode = expect_irc(*boss, "MODE");
    EXPECT_EQ(mode.param(0), "boss");
    EXPECT_EQ(mode.param(1), "+o");

    pest->send("WHO boss");
    EXPECT_EQ(expect_irc(*pest, "352").param(6), "H*");
    pest->send("WHOIS boss");
    EXPECT_EQ(expect_irc(*pest, "313").param(1), "boss");
    pest->send("LUSERS");
    EXPECT_EQ(expect_irc(*pest, "252").param(1), "1");
    pest->send("KILL boss :mutiny");
    expect_irc(*pest, "481");

    // An IRC user killed: ERROR to it, a QUIT to those sharing a room.
    boss->send("KILL pest :spamming");
    IrcMsg error = expect_irc(*pest, "ERROR");
    EXPECT_NE(error.last().find("Killed (boss (spamming))"), std::string::npos) << error.raw;
    EXPECT_TRUE(pest->wait_closed());
    IrcMsg quit = expect_irc(*boss, "QUIT");
    EXPECT_EQ(quit.nick(), "pest");
    EXPECT_EQ(quit.last(), "Killed (boss (spamming))");
    auto left = expect<Left>(*ann);
    EXPECT_EQ(left.nick, "pest");

    // A natter user killed: the error says by whom and why, then the bye.
    boss->send("KILL ann :bye now");
    Error e = expect<Error>(*ann);
    EXPECT_EQ(e.code, "killed");
    EXPECT_NE(e.text.find("boss"), std::string::npos);
    EXPECT_NE(e.text.find("bye now"), std::string::npos);
    expect<Bye>(*ann);
    boss->send("KILL nobody");
    expect_irc(*boss, "401");

    // Giving it up.
    boss->send("MODE boss -o");
    EXPECT_EQ(expect_irc(*boss, "MODE").param(1), "-o");
    boss->send("MODE boss");
    EXPECT_EQ(expect_irc(*boss, "221").param(1), "+");
    expect_clean_exit(s.natterd);
}

TEST(IrcOperators, NoOperatorsWithoutTheFile) {
    IrcServer s;
    auto bob = s.user("bob");
    bob->send("OPER root hunter2");
    expect_irc(*bob, "491");
    bob->send("KILL bob");
    expect_irc(*bob, "481");
    expect_clean_exit(s.natterd);
}

}  // namespace
