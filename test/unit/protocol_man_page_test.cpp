// natter-protocol(7) shows a JSON example for every message, and every example decodes: bots are
// written from that page, so it cannot drift from the codec.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "repo_file.h"

#include "shared/codec.h"

using namespace natter;

namespace {

std::string read_page() { return natter::testing::read_repo_file("man/natter-protocol.7"); }

// roff escapes used inside the examples, back to plain characters.
std::string unroff(std::string s) {
    const std::pair<std::string, std::string> subs[] = {{"\\[rs]", "\\"}, {"\\-", "-"}};
    for (const auto& [from, to] : subs)
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    return s;
}

struct Example {
    std::string json;
    std::vector<Direction> directions;  // it must decode in one of them
};

std::vector<Example> examples(const std::string& page) {
    std::vector<Example> out;
    std::istringstream in(page);
    std::string line;
    std::vector<Direction> section;
    while (std::getline(in, line)) {
        if (line.rfind(".SH", 0) == 0) {
            section.clear();
            if (line.find("CLIENT MESSAGES") != std::string::npos) section = {Direction::ClientToServer};
            if (line.find("BOTH DIRECTIONS") != std::string::npos)
                section = {Direction::ClientToServer, Direction::ServerToClient};
            if (line.find("SERVER MESSAGES") != std::string::npos) section = {Direction::ServerToClient};
            continue;
        }
        if (line.rfind("{\"type\"", 0) == 0 && !section.empty()) out.push_back({unroff(line), section});
        if (line.rfind("> {", 0) == 0) out.push_back({unroff(line.substr(2)), {Direction::ClientToServer}});
        if (line.rfind("< {", 0) == 0) out.push_back({unroff(line.substr(2)), {Direction::ServerToClient}});
    }
    return out;
}

template <std::size_t... I>
Message alternative(std::size_t i, std::index_sequence<I...>) {
    Message m;
    (void)((i == I ? (m = Message{std::in_place_index<I>}, true) : false) || ...);
    return m;
}

}  // namespace

TEST(ProtocolManPage, EveryExampleDecodesAndEveryMessageHasOne) {
    const std::string page = read_page();
    ASSERT_FALSE(page.empty()) << "man/natter-protocol.7 not found";
    const auto all = examples(page);
    ASSERT_GT(all.size(), 20u);
    std::set<std::size_t> shown;
    for (const auto& ex : all) {
        bool ok = false;
        std::string why;
        for (Direction d : ex.directions) {
            Decoded got = decode_line(ex.json, d);
            if (auto* m = std::get_if<Message>(&got)) {
                ok = true;
                shown.insert(m->index());
            } else {
                why = std::get<DecodeError>(got).text;
            }
        }
        EXPECT_TRUE(ok) << ex.json << ": " << why;
    }
    for (std::size_t i = 0; i < std::variant_size_v<Message>; ++i) {
        if (shown.count(i)) continue;
        const Message m = alternative(i, std::make_index_sequence<std::variant_size_v<Message>>{});
        ADD_FAILURE() << "no example in natter-protocol(7) for \"" << type_name(m) << "\" (alternative "
                      << i << ")";
    }
}
