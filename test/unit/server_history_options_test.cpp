// natterd's history options: defaults, accepted values, and refusals with a reason.
#include <gtest/gtest.h>

#include "server/options.h"

using namespace natter;
using namespace natter::server;

namespace {

Options ok(const std::vector<std::string>& args) {
    ParsedOptions p = parse_options(args);
    if (auto* e = std::get_if<Exit>(&p)) {
        ADD_FAILURE() << e->text;
        return {};
    }
    return std::get<Options>(p);
}

std::string refused(const std::vector<std::string>& args) {
    ParsedOptions p = parse_options(args);
    auto* e = std::get_if<Exit>(&p);
    if (e == nullptr) {
        ADD_FAILURE() << "accepted";
        return {};
    }
    EXPECT_EQ(e->status, 2);
    return e->text;
}

}  // namespace

TEST(HistoryOptions, Defaults) {
    const Options o = ok({});
    EXPECT_TRUE(o.history);
    EXPECT_EQ(o.data_dir, "");
    EXPECT_EQ(o.history_on_join, 50u);
    EXPECT_EQ(o.history_days, 0u);
    EXPECT_EQ(o.history_max, 0u);
    EXPECT_TRUE(o.history_sync_full);
}

TEST(HistoryOptions, Accepted) {
    const Options o = ok({"--data", "/var/lib/natter", "--history=0", "--history-days", "30", "--history-max=100000",
                          "--history-sync", "normal"});
    EXPECT_EQ(o.data_dir, "/var/lib/natter");
    EXPECT_EQ(o.history_on_join, 0u);
    EXPECT_EQ(o.history_days, 30u);
    EXPECT_EQ(o.history_max, 100000u);
    EXPECT_FALSE(o.history_sync_full);
    EXPECT_EQ(ok({"--history", "100"}).history_on_join, 100u);
    EXPECT_FALSE(ok({"--no-history"}).history);
}

TEST(HistoryOptions, Refused) {
    EXPECT_NE(refused({"--data", ""}).find("--data needs a directory"), std::string::npos);
    EXPECT_NE(refused({"--history", "101"}).find("--history wants a number from 0 to 100"), std::string::npos);
    EXPECT_NE(refused({"--history", "-1"}).find("--history wants"), std::string::npos);
    EXPECT_NE(refused({"--history-days", "0"}).find("--history-days wants"), std::string::npos);
    EXPECT_NE(refused({"--history-max", "lots"}).find("--history-max wants"), std::string::npos);
    EXPECT_NE(refused({"--history-sync", "off"}).find("--history-sync wants full or normal"), std::string::npos);
    EXPECT_NE(refused({"--no-history=yes"}).find("takes no value"), std::string::npos);
    EXPECT_NE(refused({"--data"}).find("needs a value"), std::string::npos);
}

TEST(HistoryOptions, HelpMentionsThem) {
    const std::string help = usage_text();
    for (const char* opt : {"--data DIR", "--history N", "--history-days N", "--history-max N", "--history-sync",
                            "--no-history"})
        EXPECT_NE(help.find(opt), std::string::npos) << opt;
}
