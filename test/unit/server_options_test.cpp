// natterd's command line and log line format.
#include "server/options.h"

#include <gtest/gtest.h>

#include "server/log.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::server;

namespace {

Options ok(std::vector<std::string> args) {
    ParsedOptions p = parse_options(args);
    if (auto* e = std::get_if<Exit>(&p)) {
        ADD_FAILURE() << "refused: " << e->text;
        return {};
    }
    return std::get<Options>(p);
}

Exit refused(std::vector<std::string> args) {
    ParsedOptions p = parse_options(args);
    if (auto* e = std::get_if<Exit>(&p)) return *e;
    ADD_FAILURE() << "accepted";
    return {};
}

}  // namespace

TEST(ServerOptions, Defaults) {
    Options o = ok({});
    EXPECT_EQ(o.bind, "127.0.0.1");
    EXPECT_EQ(o.port, kDefaultPort);
    EXPECT_EQ(o.max_clients, 0u) << "0: chosen from the descriptor limit";
    EXPECT_DOUBLE_EQ(o.login_timeout_s, 30);
    EXPECT_DOUBLE_EQ(o.ping_interval_s, 60);
    EXPECT_DOUBLE_EQ(o.ping_timeout_s, 30);
    EXPECT_EQ(o.max_output_kib, 1024u);
    EXPECT_FALSE(o.motd.empty());
}

TEST(ServerOptions, EveryOptionBothSpellings) {
    Options o = ok({"--bind", "::1", "--port=0", "--max-clients", "50", "--motd=hi there",
                    "--login-timeout", "0.5", "--ping-interval=2", "--ping-timeout", "1.25",
                    "--max-output-kib", "64"});
    EXPECT_EQ(o.bind, "::1");
    EXPECT_EQ(o.port, 0);
    EXPECT_EQ(o.max_clients, 50u);
    EXPECT_EQ(o.motd, "hi there");
    EXPECT_DOUBLE_EQ(o.login_timeout_s, 0.5);
    EXPECT_DOUBLE_EQ(o.ping_interval_s, 2);
    EXPECT_DOUBLE_EQ(o.ping_timeout_s, 1.25);
    EXPECT_EQ(o.max_output_kib, 64u);
    EXPECT_EQ(ok({"--port", "65535"}).port, 65535);
    EXPECT_EQ(refused({"--motd="}).status, 2) << "an empty motd is not a text";
}

TEST(ServerOptions, HelpAndVersionExitZero) {
    Exit h = refused({"--help"});
    EXPECT_EQ(h.status, 0);
    for (const char* opt : {"--bind", "--port", "--max-clients", "--motd", "--login-timeout",
                            "--ping-interval", "--ping-timeout", "--max-output-kib", "--help", "--version"})
        EXPECT_NE(h.text.find(opt), std::string::npos) << opt;
    Exit v = refused({"--version"});
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.text.rfind("natterd ", 0), 0u);
}

TEST(ServerOptions, UsageErrorsExitTwoWithAClearMessage) {
    struct Case {
        std::vector<std::string> args;
        const char* says;
    };
    for (const Case& c : std::vector<Case>{
             {{"--frobnicate"}, "unknown option '--frobnicate'"},
             {{"extra"}, "unknown option 'extra'"},
             {{"--port"}, "needs a value"},
             {{"--port", "65536"}, "--port wants"},
             {{"--port", "-1"}, "--port wants"},
             {{"--port", "12x"}, "--port wants"},
             {{"--port", ""}, "--port wants"},
             {{"--max-clients", "0"}, "--max-clients wants"},
             {{"--max-clients", "99999999999999999999999"}, "--max-clients wants"},
             {{"--login-timeout", "0"}, "--login-timeout wants seconds"},
             {{"--ping-interval", "-5"}, "--ping-interval wants seconds"},
             {{"--ping-timeout", "inf"}, "--ping-timeout wants seconds"},
             {{"--ping-timeout", "1e3"}, "--ping-timeout wants seconds"},
             {{"--login-timeout", "1.2.3"}, "--login-timeout wants seconds"},
             {{"--login-timeout", "100000"}, "--login-timeout wants seconds"},
             {{"--max-output-kib", "8"}, "--max-output-kib wants"},
             {{"--motd", "bad\x1b[2J"}, "--motd:"},
             {{"--bind", ""}, "--bind needs"},
             {{"--help=yes"}, "takes no value"},
         }) {
        Exit e = refused(c.args);
        EXPECT_EQ(e.status, 2) << c.says;
        EXPECT_NE(e.text.find(c.says), std::string::npos) << e.text;
        EXPECT_EQ(e.text.find('\x1b'), std::string::npos) << "arguments are never echoed raw";
        EXPECT_EQ(e.text.back(), '\n');
    }
}

TEST(ServerOptions, DefaultMaxClientsLeavesRoomForTheServersOwnDescriptors) {
    EXPECT_EQ(default_max_clients(1024), 992u);
    EXPECT_EQ(default_max_clients(20000), 19968u);
    EXPECT_EQ(default_max_clients(1u << 20), 100000u);
    EXPECT_EQ(default_max_clients(10), 1u);
}

TEST(ServerLog, LineHasUtcTimestampConnectionAndSanitisedText) {
    // 2023-11-14T22:13:20.123Z
    EXPECT_EQ(format_log_line(1'700'000'000'123, 42, "logged in as alice"),
              "2023-11-14T22:13:20.123Z [c42] logged in as alice");
    EXPECT_EQ(format_log_line(1'700'000'000'000, 0, "listening"), "2023-11-14T22:13:20.000Z listening");
    const std::string hostile = format_log_line(0, 1, "nick \x1b]0;owned\x07 \x9b" "2J\nnext");
    EXPECT_EQ(hostile.find('\x1b'), std::string::npos);
    EXPECT_EQ(hostile.find('\x07'), std::string::npos);
    EXPECT_EQ(hostile.find('\n'), std::string::npos);
    // The lone C1 byte became a replacement character; the result is clean UTF-8 with no C1 CSI.
    EXPECT_TRUE(text::valid_utf8(hostile));
    EXPECT_EQ(hostile.find("\xc2\x9b"), std::string::npos);
}

TEST(ServerOptions, FloodLimitCanBeRaisedOrSwitchedOff) {
    Options d = ok({});
    EXPECT_TRUE(d.flood.enabled);
    EXPECT_DOUBLE_EQ(d.flood.rate, 3);
    EXPECT_DOUBLE_EQ(d.flood.burst, 30);
    Options o = ok({"--flood-rate", "20", "--flood-burst=200.5"});
    EXPECT_TRUE(o.flood.enabled);
    EXPECT_DOUBLE_EQ(o.flood.rate, 20);
    EXPECT_DOUBLE_EQ(o.flood.burst, 200.5);
    EXPECT_DOUBLE_EQ(ok({"--flood-rate", "0.5"}).flood.rate, 0.5);
    EXPECT_FALSE(ok({"--no-flood-limit"}).flood.enabled);
    for (const char* bad : {"0", "-1", "inf", "nan", "1e3", "", " 3", "3/s", "2000000"})
        EXPECT_EQ(refused({"--flood-rate", bad}).status, 2) << bad;
    for (const char* bad : {"0", "0.5", "x", "2000000"})
        EXPECT_EQ(refused({"--flood-burst", bad}).status, 2) << bad;
    EXPECT_EQ(refused({"--no-flood-limit=yes"}).status, 2);
    EXPECT_NE(refused({"--flood-rate", "\x1b[2J"}).text.find("\u241b[2J"), std::string::npos);
}
