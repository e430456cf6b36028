// Connection storms: thousands of connects and disconnects in bursts (closed politely, reset,
// some logging in first), past --max-clients and past natterd's descriptor limit. natterd refuses
// what it cannot take with a server_full line, never stalls the clients it has, and gives every
// descriptor back afterwards. (server_abuse_test.cpp covers single refusals in detail.)
#include <sys/resource.h>

#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

namespace {

struct StormCount {
    std::atomic<int> connected{0};
    std::atomic<int> connect_failed{0};
    std::atomic<int> welcomed{0};
    std::atomic<int> refused{0};
    std::atomic<int> refused_descriptors{0};
};

// One storm thread: `batches` times, open `batch` connections at once, let a third of them log
// in, read what natterd said to each, then close them all, a third with a reset.
void storm(std::uint16_t port, int thread, int batches, int batch, StormCount& count) {
    for (int b = 0; b < batches; ++b) {
        std::vector<int> fds;
        for (int i = 0; i < batch; ++i) {
            const int fd = connect_raw(port);
            if (fd < 0) {
                ++count.connect_failed;
                continue;
            }
            ++count.connected;
            if (i % 3 == 2) {
                const std::string hello =
                    encode(Hello{"s" + std::to_string(thread) + "_" + std::to_string(b) + "_" + std::to_string(i), kProtocolVersion});
                send_some(fd, hello.data(), hello.size());
            }
            fds.push_back(fd);
        }
        // natterd answers each (a welcome, an error, or for those that only connected, nothing):
        // give it up to 200 ms to answer them all.
        std::vector<std::string> got(fds.size());
        const auto deadline = std::chrono::steady_clock::now() + 200ms;
        for (;;) {
            std::size_t answered = 0;
            for (std::size_t i = 0; i < fds.size(); ++i) {
                read_some(fds[i], got[i]);
                answered += !got[i].empty() || i % 3 != 2;
            }
            if (answered == fds.size() || std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(2ms);
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            const std::string& got_i = got[i];
            if (got_i.find("\"welcome\"") != std::string::npos) ++count.welcomed;
            if (got_i.find("\"server_full\"") != std::string::npos) {
                ++count.refused;
                if (got_i.find("descriptors") != std::string::npos) ++count.refused_descriptors;
            }
            if (i % 3 == 1) close_with_reset(fds[i]);
            else ::close(fds[i]);
        }
    }
}

// Runs storms from two threads, again and again for a second at least; the seconds it took.
double run_storm(std::uint16_t port, int batches, int batch, StormCount& count) {
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round == 0 || std::chrono::steady_clock::now() - start < 1s; ++round) {
        std::thread a([&] { storm(port, 2 * round, batches, batch, count); });
        std::thread b([&] { storm(port, 2 * round + 1, batches, batch, count); });
        a.join();
        b.join();
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Waits until natterd holds exactly `want` descriptors; the last count seen.
long settle_fds(pid_t pid, long want) {
    long n = -1;
    for (int i = 0; i < 250 && n != want; ++i) {
        std::this_thread::sleep_for(20ms);
        n = open_fds(pid);
    }
    return n;
}

std::string storm_figures(const StormCount& c, double seconds) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%d connections in %.2f s (%.0f/s): %d refused with server_full, %d welcomed",
                  c.connected.load(), seconds, c.connected.load() / seconds, c.refused.load(), c.welcomed.load());
    return buf;
}

}  // namespace

TEST(HostileStorm, ThousandsOfConnectsPastMaxClientsAreRefusedCleanly) {
    NatterdProcess natterd({"--max-clients", "60"});
    const long fds_before = open_fds(natterd.pid());
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();
    // Forty logged-in clients stay through the storm: 42 of 60 places taken.
    std::vector<int> holders;
    for (int i = 0; i < 40; ++i) {
        const int fd = connect_raw(natterd.port());
        ASSERT_GE(fd, 0);
        const std::string hello = encode(Hello{"holder" + std::to_string(i), kProtocolVersion});
        ASSERT_EQ(send_some(fd, hello.data(), hello.size()), static_cast<long>(hello.size()));
        holders.push_back(fd);
    }
    ASSERT_EQ(settle_fds(natterd.pid(), fds_before + 42), fds_before + 42);

    StormCount count;
    const double seconds = run_storm(natterd.port(), 30, 50, count);  // 3000 connections a round
    EXPECT_EQ(count.connect_failed, 0);
    EXPECT_GE(count.connected, 3000);
    EXPECT_GT(count.refused, 0) << "max-clients was never reached";
    EXPECT_GT(count.welcomed, 0) << "nobody got in";

    // Every storm descriptor is given back; the holders are all still there.
    EXPECT_EQ(settle_fds(natterd.pid(), fds_before + 42), fds_before + 42);
    for (int fd : holders) {
        std::string got;
        EXPECT_TRUE(read_some(fd, got)) << "a holder was disconnected";
        EXPECT_EQ(got.find("\"bye\""), std::string::npos);
        ::close(fd);
    }
    // And there is room again.
    auto late = join(natterd.port(), "latecomer");
    const RoundTrips trips = bystanders.stop();
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 8 * 1024, "storm (max clients 60)",
                    storm_figures(count, seconds) + "; descriptors back to the baseline");
    expect_clean_exit(natterd);
}

TEST(HostileStorm, AStormPastTheDescriptorLimitIsRefusedAndRecovers) {
    NatterdProcess natterd;
    const long fds_before = open_fds(natterd.pid());
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();
    // A tight descriptor limit under natterd's feet: about 30 more clients fit.
    rlimit tight{static_cast<rlim_t>(fds_before + 32), static_cast<rlim_t>(fds_before + 32)};
    ASSERT_EQ(::prlimit(natterd.pid(), RLIMIT_NOFILE, &tight, nullptr), 0);

    StormCount count;
    const double seconds = run_storm(natterd.port(), 20, 50, count);  // 2000 connections a round
    EXPECT_EQ(count.connect_failed, 0);
    EXPECT_GT(count.refused_descriptors, 0) << "the descriptor limit was never reached";
    EXPECT_GT(count.welcomed, 0);

    EXPECT_EQ(settle_fds(natterd.pid(), fds_before + 2), fds_before + 2);
    // New clients are served again, up to the limit.
    std::vector<std::unique_ptr<WireClient>> after;
    for (int i = 0; i < 20; ++i) after.push_back(join(natterd.port(), "after" + std::to_string(i)));
    const RoundTrips trips = bystanders.stop();
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 8 * 1024,
                    "storm (descriptor limit)",
                    storm_figures(count, seconds) + ", " + std::to_string(count.refused_descriptors.load()) +
                        " of them for want of descriptors; descriptors back to the baseline");
    expect_clean_exit(natterd);
}
