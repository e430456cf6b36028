// Lines of many megabytes with no newline, from many connections at once, logged in or not:
// each is cut off at the frame limit with frame_too_long and closed, and natterd's memory does
// not grow with what they send. (server_abuse_test.cpp covers a single such line in detail.)
#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

namespace {

struct Attacker {
    int fd = -1;
    std::size_t sent = 0;
    std::string got;
    bool open = true;
};

constexpr int kPerWave = 16;
constexpr std::size_t kBytesEach = 64u * 1024 * 1024;  // more than any socket buffers hold

// One wave: kPerWave connections, half of them logged in as big<wave>_<i>, each sending an
// endless say until natterd hangs up. Returns the bytes they got into natterd's socket buffers.
std::size_t wave(std::uint16_t port, int number, std::vector<Attacker>& done) {
    std::vector<Attacker> attackers(kPerWave);
    const std::string start = "{\"type\":\"say\",\"text\":\"";
    for (int i = 0; i < kPerWave; ++i) {
        Attacker& a = attackers[static_cast<std::size_t>(i)];
        a.fd = connect_raw(port);
        EXPECT_GE(a.fd, 0);
        if (a.fd < 0) return 0;
        // Half of them log in first: the limit holds before and after the login alike.
        std::string first = start;
        if (i % 2 == 0) first = encode(Hello{"big" + std::to_string(number) + "_" + std::to_string(i), kProtocolVersion}) + start;
        send_some(a.fd, first.data(), first.size());
    }
    const std::string filler(64 * 1024, 'A');
    std::size_t total = 0;
    int open = kPerWave;
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (open > 0 && std::chrono::steady_clock::now() < give_up) {
        bool progress = false;
        for (auto& a : attackers) {
            if (!a.open) continue;
            if (!read_some(a.fd, a.got)) {
                a.open = false;
                --open;
                continue;
            }
            if (a.sent >= kBytesEach) continue;
            const long n = send_some(a.fd, filler.data(), std::min(filler.size(), kBytesEach - a.sent));
            if (n < 0) {
                a.open = false;
                --open;
                continue;
            }
            a.sent += static_cast<std::size_t>(n);
            total += static_cast<std::size_t>(n);
            progress = progress || n > 0;
        }
        if (!progress) std::this_thread::sleep_for(1ms);
    }
    EXPECT_EQ(open, 0) << "natterd should have hung up on every one of them";
    for (auto& a : attackers) {
        ::close(a.fd);
        done.push_back(std::move(a));
    }
    return total;
}

}  // namespace

TEST(HostileBigLines, ManyMegabyteLinesAtOnceAreCutOffAndMemoryStaysFlat) {
    NatterdProcess natterd;
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();

    // A wave of attackers every 100 ms for a second and a half, so the bystanders chat through it.
    std::vector<Attacker> done;
    std::size_t total = 0;
    int waves = 0;
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < 1500ms && !::testing::Test::HasFailure()) {
        total += wave(natterd.port(), waves, done);
        ++waves;
        std::this_thread::sleep_until(start + waves * 100ms);
    }
    // Those that logged in left with the reason, as both bystanders hear.
    const int expected_left = 2 * waves * kPerWave / 2;
    int left = 0;
    for (int i = 0; i < 250 && left < expected_left; ++i) {
        std::this_thread::sleep_for(20ms);
        left = 0;
        for (const Message& m : bystanders.received())
            if (auto* l = std::get_if<Left>(&m); l && l->nick.rfind("big", 0) == 0)
                left += l->reason.find("line over") != std::string::npos;
    }
    EXPECT_EQ(left, expected_left);
    const RoundTrips trips = bystanders.stop();
    // Cut off early: natterd hung up long before the 64 MiB were through. The error line comes
    // first, but it is best effort here: natterd reads away at most 256 KiB of what the attacker
    // still has in flight before it closes, and past that the close is a reset, which may destroy
    // the line in transit.
    int told = 0;
    for (auto& a : done) {
        EXPECT_LT(a.sent, kBytesEach) << "natterd took all " << a.sent << " bytes instead of hanging up";
        told += a.got.find("\"frame_too_long\"") != std::string::npos;
    }
    EXPECT_GT(told, 0);
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "big lines",
                    std::to_string(waves * kPerWave) + " connections in waves of " + std::to_string(kPerWave) +
                        " sent " + std::to_string(total / (1024 * 1024)) +
                        " MiB without a newline, each cut off at 16 KiB (" + std::to_string(told) +
                        " read the frame_too_long error before the reset)");
    expect_clean_exit(natterd);
}
