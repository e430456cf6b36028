// natterd(1)'s IRC "Commands" list and the IRC listener's command table agree, both ways.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "repo_file.h"

#include "server/irc_session.h"

namespace {

std::string read_man_page() { return natter::testing::read_repo_file("man/natterd.1"); }

// The upper-case words of the tag lines (the line after each .TP) of IRC's "Commands".
std::set<std::string> documented_commands(const std::string& page) {
    std::set<std::string> names;
    std::istringstream in(page);
    std::string line;
    bool in_irc = false, in_commands = false, tag_next = false;
    while (std::getline(in, line)) {
        if (line.rfind(".SH", 0) == 0) {
            in_irc = line == ".SH IRC";
            in_commands = false;
            continue;
        }
        if (line.rfind(".SS", 0) == 0) {
            in_commands = in_irc && line == ".SS Commands";
            continue;
        }
        if (!in_commands) continue;
        if (line == ".TP") {
            tag_next = true;
            continue;
        }
        if (!tag_next) continue;
        tag_next = false;
        if (line.rfind('.', 0) == 0) line.erase(0, line.find(' '));  // the macro (.B, .BR)
        std::string word;
        for (char c : line + " ") {
            if (c >= 'A' && c <= 'Z') {
                word += c;
            } else {
                if (word.size() > 1) names.insert(word);
                word.clear();
            }
        }
    }
    return names;
}

TEST(IrcManPage, CommandsSectionMatchesTheTable) {
    const std::string page = read_man_page();
    ASSERT_FALSE(page.empty()) << "man/natterd.1 not found";
    const std::set<std::string> documented = documented_commands(page);
    const auto names = natter::server::irc::Session::command_names();
    const std::set<std::string> table(names.begin(), names.end());
    for (const std::string& n : table) EXPECT_TRUE(documented.count(n)) << n << " is not in natterd(1)";
    for (const std::string& n : documented) EXPECT_TRUE(table.count(n)) << n << " is documented but not handled";
}

}  // namespace
