// natterd's --presence-limit option.
#include <gtest/gtest.h>

#include "server/options.h"

using namespace natter::server;

namespace {

ParsedOptions parse(std::vector<std::string> args) { return parse_options(args); }

}  // namespace

TEST(ServerPresenceOption, DefaultBothSpellingsAndZero) {
    EXPECT_EQ(std::get<Options>(parse({})).presence_limit, 500u);
    EXPECT_EQ(std::get<Options>(parse({"--presence-limit", "3"})).presence_limit, 3u);
    EXPECT_EQ(std::get<Options>(parse({"--presence-limit=10000000"})).presence_limit, 10000000u);
    EXPECT_EQ(std::get<Options>(parse({"--presence-limit=0"})).presence_limit, 0u);
    EXPECT_NE(usage_text().find("--presence-limit"), std::string::npos);
}

TEST(ServerPresenceOption, RefusesWhatIsNotACount) {
    for (const char* bad : {"-1", "", "12x", "10000001", "1e3"}) {
        ParsedOptions p = parse({"--presence-limit", bad});
        const Exit* e = std::get_if<Exit>(&p);
        ASSERT_NE(e, nullptr) << bad;
        EXPECT_EQ(e->status, 2);
        EXPECT_NE(e->text.find("--presence-limit wants"), std::string::npos) << e->text;
    }
}
