// Slowloris: hundreds of connections that send a byte now and then and never log in. Bytes are
// not a login: each is closed by the login timeout counted from its connect, however busy it
// looks, while two ordinary clients keep chatting.
#include <unistd.h>

#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

TEST(HostileSlowloris, DribblingConnectionsAreClosedByTheLoginTimeout) {
    NatterdProcess natterd({"--login-timeout", "1"});
    const long fds_before = open_fds(natterd.pid());
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();

    constexpr int kConnections = 400;
    struct Loris {
        int fd;
        std::string got;
        bool open = true;
    };
    std::vector<Loris> lorises;
    for (int i = 0; i < kConnections; ++i) {
        const int fd = connect_raw(natterd.port());
        ASSERT_GE(fd, 0) << "connection " << i;
        lorises.push_back({fd, {}, true});
    }
    const auto start = std::chrono::steady_clock::now();
    // Each sends the start of a hello, then one more byte every 100 ms: never a whole line.
    const std::string hello = "{\"type\":\"hello\",\"nick\":\"";
    for (auto& l : lorises) send_some(l.fd, hello.data(), hello.size());
    int open = kConnections;
    auto last_close = start;
    const auto give_up = start + 8s;
    while (open > 0 && std::chrono::steady_clock::now() < give_up) {
        for (auto& l : lorises) {
            if (!l.open) continue;
            if (send_some(l.fd, "a", 1) < 0 || !read_some(l.fd, l.got)) {
                l.open = false;
                --open;
                last_close = std::chrono::steady_clock::now();
            }
        }
        std::this_thread::sleep_for(100ms);
    }
    const double seconds = std::chrono::duration<double>(last_close - start).count();
    const RoundTrips trips = bystanders.stop();

    EXPECT_EQ(open, 0) << open << " dribbling connections still open after 8 s";
    // Every one was told why, in a bye, before the close.
    int told = 0;
    for (auto& l : lorises) {
        told += l.got.find("\"login timeout\"") != std::string::npos;
        ::close(l.fd);
    }
    EXPECT_EQ(told, kConnections);
    EXPECT_LT(seconds, 5.0) << "closed " << seconds << " s after connecting, with a 1 s login timeout";
    // All their descriptors are given back.
    long fds_after = -1;
    for (int i = 0; i < 100 && fds_after != fds_before + 2; ++i) {
        std::this_thread::sleep_for(20ms);
        fds_after = open_fds(natterd.pid());
    }
    EXPECT_EQ(fds_after, fds_before + 2) << "the bystanders' two, nothing else";
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 8 * 1024, "slowloris",
                    std::to_string(kConnections) + " connections held, all closed " +
                        std::to_string(seconds).substr(0, 4) + " s after connecting");
    expect_clean_exit(natterd);
}
