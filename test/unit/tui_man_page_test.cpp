// The man page's COMMANDS section and the command table agree, both ways.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "repo_file.h"

#include "tui/commands.h"

using namespace natter::tui;

namespace {

std::string read_man_page() { return natter::testing::read_repo_file("man/natter.1"); }

// The tag lines (the line after each .TP) of the COMMANDS section.
std::vector<std::string> command_tags(const std::string& page) {
    std::vector<std::string> tags;
    std::istringstream in(page);
    std::string line;
    bool in_section = false, tag_next = false;
    while (std::getline(in, line)) {
        if (line.rfind(".SH", 0) == 0) {
            in_section = line.find("COMMANDS") != std::string::npos;
            continue;
        }
        if (!in_section) continue;
        if (line.rfind(".TP", 0) == 0) {
            tag_next = true;
        } else if (tag_next) {
            tags.push_back(line);
            tag_next = false;
        }
    }
    return tags;
}

}  // namespace

TEST(ManPage, CommandsSectionMatchesTheCommandTable) {
    const std::string page = read_man_page();
    ASSERT_FALSE(page.empty()) << "man/natter.1 not found";
    const auto tags = command_tags(page);
    ASSERT_FALSE(tags.empty()) << "no .TP entries in the COMMANDS section";

    // Every slash word in a tag names a command or an alias, and each appears.
    std::set<std::string> in_man;
    for (const auto& t : tags) {
        for (std::size_t i = t.find('/'); i != std::string::npos; i = t.find('/', i + 1)) {
            std::size_t e = i + 1;
            while (e < t.size() && t[e] >= 'a' && t[e] <= 'z') ++e;
            if (e > i + 1) in_man.insert(t.substr(i + 1, e - i - 1));
        }
    }
    std::set<std::string> in_table;
    for (const auto& c : command_table()) {
        in_table.insert(c.name);
        for (const char* a : c.aliases) in_table.insert(a);
    }
    for (const auto& n : in_table) EXPECT_TRUE(in_man.count(n)) << "/" << n << " is not in man/natter.1";
    for (const auto& n : in_man) EXPECT_TRUE(in_table.count(n)) << "/" << n << " is in the man page but not in the table";

    // Each command's example is in the page too.
    for (const auto& c : command_table())
        EXPECT_NE(page.find(c.example), std::string::npos) << "example missing: " << c.example;
}
