// natterd's life: the command line, the listening line, timeouts, keepalive and shutdown on
// SIGTERM/SIGINT.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

struct RunResult {
    int status = -1;
    std::string out, err;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs natterd with `args` to completion (it must exit by itself within 10 s: these are the
// runs that print something and stop).
RunResult run_natterd(const std::vector<std::string>& args) {
    char tmpl[] = "/tmp/natterd-cli-XXXXXX";
    if (!::mkdtemp(tmpl)) return {};
    const std::string dir = tmpl, out = dir + "/out", err = dir + "/err";
    // Never the user's own data directory (natterd's default): a temporary one, unless chosen.
    bool has_data = false;
    for (const auto& a : args) has_data |= a == "--data" || a.rfind("--data=", 0) == 0 || a == "--no-history";
    std::vector<std::string> argv_s{natter::testing::build_dir() + "/natterd"};
    if (!has_data) argv_s.insert(argv_s.end(), {"--data", dir + "/data"});
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(o, 1);
        ::dup2(e, 2);
        std::vector<char*> argv;
        for (auto& s : argv_s) argv.push_back(s.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    RunResult r;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            ADD_FAILURE() << "natterd did not exit by itself";
            break;
        }
        std::this_thread::sleep_for(5ms);
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    std::system(("rm -rf '" + dir + "'").c_str());
    return r;
}

}  // namespace

// ---- command line ------------------------------------------------------------------------------

TEST(ServerLifecycle, HelpAndVersionGoToStdoutAndExitZero) {
    RunResult help = run_natterd({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("Usage: natterd"), std::string::npos);
    EXPECT_NE(help.out.find("--max-clients"), std::string::npos);
    EXPECT_TRUE(help.err.empty());
    RunResult version = run_natterd({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_EQ(version.out.rfind("natterd ", 0), 0u);
}

TEST(ServerLifecycle, InvalidOptionsExitTwoWithAClearMessage) {
    RunResult r = run_natterd({"--bogus"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown option '--bogus'"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << "nothing on stdout, where the listening line would be";
    r = run_natterd({"--port", "70000"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--port"), std::string::npos) << r.err;
}

TEST(ServerLifecycle, BindFailuresExitOneWithAClearMessage) {
    NatterdProcess first;
    RunResult r = run_natterd({"--port", std::to_string(first.port())});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("cannot listen on 127.0.0.1 port " + std::to_string(first.port())), std::string::npos)
        << r.err;
    EXPECT_TRUE(r.out.empty());
    r = run_natterd({"--bind", "not-an-address", "--port", "0"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("not-an-address"), std::string::npos) << r.err;
}

TEST(ServerLifecycle, PrintsExactlyTheListeningLineOnStdout) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");  // it is serving, and has logged something
    const std::string out = slurp(natterd.dir() + "/stdout");
    EXPECT_EQ(out, "natterd listening on 127.0.0.1:" + std::to_string(natterd.port()) + "\n");
    // The log has time-stamped lines with connection ids on stderr.
    const std::string log = natterd.wait_for_log("[c1] logged in as alice");
    EXPECT_NE(log.find("[c1] logged in as alice"), std::string::npos) << log;
    EXPECT_NE(log.find("Z [c1]"), std::string::npos) << "ISO-8601 UTC time stamps";
    expect_clean_exit(natterd);
}

TEST(ServerLifecycle, ListensOnIpv6) {
    const int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    const bool have_v6 = probe >= 0 && ::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (probe >= 0) ::close(probe);
    if (!have_v6) GTEST_SKIP() << "no IPv6 loopback here";

    NatterdProcess natterd({"--bind", "::1"});
    EXPECT_EQ(slurp(natterd.dir() + "/stdout"), "natterd listening on [::1]:" + std::to_string(natterd.port()) + "\n");
    const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    a.sin6_port = htons(natterd.port());
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const std::string hello = encode(Hello{"six", kProtocolVersion});
    ASSERT_EQ(::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL), static_cast<ssize_t>(hello.size()));
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1);
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    EXPECT_NE(std::string(buf, static_cast<std::size_t>(n)).find("\"welcome\""), std::string::npos);
    ::close(fd);
    expect_clean_exit(natterd);
}

// ---- timeouts ----------------------------------------------------------------------------------

TEST(ServerLifecycle, ConnectionsThatNeverLogInAreClosed) {
    NatterdProcess natterd({"--login-timeout", "0.5"});
    WireClient lurker(natterd.port());
    WireClient dribbler(natterd.port());
    auto alice = join(natterd.port(), "alice");
    // The dribbler sends a byte now and then but never a line: activity is not a login.
    bool closed = false;
    for (int i = 0; i < 50 && !closed; ++i) {
        dribbler.send_raw("x");
        closed = !dribbler.receive(100ms) && dribbler.closed();
    }
    EXPECT_TRUE(closed || dribbler.wait_closed());
    auto bye = lurker.wait_for<Bye>();
    ASSERT_TRUE(bye);
    EXPECT_EQ(bye->reason, "login timeout");
    EXPECT_TRUE(lurker.wait_closed());
    // Logging in is what counts: alice, connected as long, is still served.
    alice->send(Ping{"still"});
    EXPECT_EQ(expect<Pong>(*alice).token, "still");
    EXPECT_NE(natterd.wait_for_log("login timeout").find("login timeout"), std::string::npos);
    expect_clean_exit(natterd);
}

TEST(ServerLifecycle, SilentClientsArePingedAndClosedIfTheyNeverAnswer) {
    NatterdProcess natterd({"--ping-interval", "0.4", "--ping-timeout", "1"});
    auto lively = join(natterd.port(), "lively");
    auto mute = join(natterd.port(), "mute");
    // Both are served in turns: lively answers every ping, mute reads but never answers.
    int lively_pings = 0, mute_pings = 0;
    std::optional<Bye> mute_bye;
    std::string left_reason;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline && (left_reason.empty() || !mute->closed())) {
        if (auto m = lively->receive(20ms)) {
            if (auto* p = std::get_if<Ping>(&*m)) {
                ++lively_pings;
                lively->send(Pong{p->token});
            }
            if (auto* l = std::get_if<Left>(&*m); l && l->nick == "mute") left_reason = l->reason;
        }
        ASSERT_FALSE(lively->closed()) << "closed although it answered every ping";
        if (!mute->closed()) {
            if (auto m = mute->receive(20ms)) {
                if (auto* p = std::get_if<Ping>(&*m)) {
                    ++mute_pings;
                    EXPECT_FALSE(p->token.empty());
                }
                if (auto* b = std::get_if<Bye>(&*m)) mute_bye = *b;
            }
        }
    }
    EXPECT_GE(mute_pings, 1);
    ASSERT_TRUE(mute_bye);
    EXPECT_EQ(mute_bye->reason, "ping timeout");
    EXPECT_TRUE(mute->closed());
    EXPECT_EQ(left_reason, "ping timeout");

    // Answering keeps lively alive through several more ping intervals.
    const auto until = std::chrono::steady_clock::now() + 1500ms;
    while (std::chrono::steady_clock::now() < until) {
        auto m = lively->receive(50ms);
        if (m && std::holds_alternative<Ping>(*m)) {
            ++lively_pings;
            lively->send(Pong{std::get<Ping>(*m).token});
        }
        ASSERT_FALSE(lively->closed()) << "closed although it answered every ping";
    }
    EXPECT_GE(lively_pings, 2);
    lively->send(Who{});
    EXPECT_EQ(expect<UserList>(*lively).users, (std::vector<UserInfo>{{"lively", false}}));
    expect_clean_exit(natterd);
}

// ---- shutdown ----------------------------------------------------------------------------------

TEST(ServerLifecycle, SigtermSaysByeToEveryoneAndExitsZero) {
    NatterdProcess natterd;
    std::vector<std::unique_ptr<WireClient>> clients;
    for (int i = 0; i < 5; ++i) clients.push_back(join(natterd.port(), "user" + std::to_string(i)));
    auto lurker = std::make_unique<WireClient>(natterd.port());  // connected, not logged in
    lurker->send(Ping{"here"});
    ASSERT_TRUE(lurker->wait_for<Pong>());
    clients.push_back(std::move(lurker));
    EXPECT_EQ(natterd.stop(SIGTERM), 0);
    for (auto& c : clients) {
        auto bye = c->wait_for<Bye>();
        ASSERT_TRUE(bye);
        EXPECT_EQ(bye->reason, "server shutting down");
        EXPECT_TRUE(c->wait_closed());
    }
    EXPECT_NE(natterd.log().find("SIGTERM: shutting down"), std::string::npos);
    expect_clean_exit(natterd);
}

TEST(ServerLifecycle, SigintShutsDownToo) {
    NatterdProcess natterd;
    auto alice = join(natterd.port(), "alice");
    EXPECT_EQ(natterd.stop(SIGINT), 0);
    EXPECT_EQ(expect<Bye>(*alice).reason, "server shutting down");
    expect_clean_exit(natterd);
}

TEST(ServerLifecycle, ShutdownIsBoundedEvenWhenAClientNeverReads) {
    // A large cap, so that the client that never reads is not dropped but still has output
    // queued when the shutdown comes.
    // Alice sends flat out, so no flood limit.
    NatterdProcess natterd({"--max-output-kib", "65536", "--no-flood-limit"});
    auto alice = join(natterd.port(), "alice");
    auto stuck = join(natterd.port(), "stuck", 4096);  // never reads again
    const std::string big(4000, 'z');
    // 12 MB: more than the kernel buffers between natterd and stuck can hold.
    for (int i = 0; i < 3000; ++i) {
        alice->send(Say{big});
        ASSERT_TRUE(alice->wait_for<GroupMessage>());
    }
    const auto start = std::chrono::steady_clock::now();
    // stop() would SIGKILL after 10 s (status 137); natterd gives up flushing after ~2 s.
    EXPECT_EQ(natterd.stop(SIGTERM), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_EQ(expect<Bye>(*alice).reason, "server shutting down");
    EXPECT_NE(natterd.log().find("gave up flushing"), std::string::npos) << natterd.log();
    expect_clean_exit(natterd);
}
