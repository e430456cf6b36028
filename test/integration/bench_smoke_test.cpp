// A tiny run of natter-bench (20 clients, 2 senders, 5 says/s, 1 s) against the bare reference
// loop and against natterd: the benchmark keeps working, and natterd delivers every message to
// every client, the sender's echo included. Nothing here judges speed; `make bench` does that.
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "../support/natterd_process.h"

namespace {

// Runs natter-bench against the server at `server` and returns everything it printed.
std::string run_bench(const std::string& server) {
    const std::string dir = natter::testing::build_dir();
    const std::string cmd = "timeout 120 " + dir + "/natter-bench --server " + dir + "/" + server +
                            " fanout 20 2 5 1 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return "popen failed";
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    if (status != 0) out += "\n(natter-bench exit status " + std::to_string(status) + ")";
    return out;
}

// The numbers of "deliveries: D of E expected ...; lost L", or false if the line is missing.
// (A plain scan: std::regex trips a false GCC 12 warning under SANITIZE=1, which -Werror makes fatal.)
bool deliveries(const std::string& out, long& got, long& expected, long& lost) {
    const auto at = out.find("deliveries:");
    if (at == std::string::npos) return false;
    const std::string line = out.substr(at, out.find('\n', at) - at);
    const auto of = line.find(" of ");
    const auto exp = line.find(" expected");
    const auto lo = line.find("lost ");
    if (of == std::string::npos || exp == std::string::npos || lo == std::string::npos || exp < of) return false;
    try {
        got = std::stol(line.substr(11, of - 11));
        expected = std::stol(line.substr(of + 4, exp - of - 4));
        lost = std::stol(line.substr(lo + 5));
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

void expect_complete_fanout(const std::string& server) {
    const std::string out = run_bench(server);
    EXPECT_NE(out.find("clients:            20 (20 ready, 0 failed)"), std::string::npos) << out;
    long got = -1, expected = -1, lost = -1;
    ASSERT_TRUE(deliveries(out, got, expected, lost)) << out;
    EXPECT_GT(expected, 0) << out;
    EXPECT_EQ(expected % 20, 0) << "every say goes to all 20 clients\n" << out;
    EXPECT_EQ(got, expected) << out;
    EXPECT_EQ(lost, 0) << out;
    EXPECT_NE(out.find("clients dropped:    0, errors 0"), std::string::npos) << out;
}

}  // namespace

TEST(BenchSmoke, BareLoopDeliversEverything) { expect_complete_fanout("natter-bare-loop"); }

TEST(BenchSmoke, NatterdDeliversEverythingToEveryone) { expect_complete_fanout("natterd"); }
