// The latency histogram: exact for small values, within 0.4% above, never under the truth.
#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using natter::bench::Histogram;

TEST(Histogram, EmptyIsZero) {
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.percentile(0.99), 0u);
    EXPECT_EQ(h.max(), 0u);
    EXPECT_EQ(h.min(), 0u);
}

TEST(Histogram, SmallValuesAreExact) {
    Histogram h;
    for (std::uint64_t v = 1; v <= 100; ++v) h.add(v);
    EXPECT_EQ(h.percentile(0.5), 50u);
    EXPECT_EQ(h.percentile(0.99), 99u);
    EXPECT_EQ(h.percentile(1.0), 100u);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_EQ(h.max(), 100u);
}

TEST(Histogram, LargeValuesWithinHalfAPercentAndNeverUnder) {
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> values;
    Histogram h;
    for (int i = 0; i < 100000; ++i) {
        const std::uint64_t v = 1000 + rng() % 100000000;  // 1 us .. 100 ms in ns
        values.push_back(v);
        h.add(v);
    }
    std::sort(values.begin(), values.end());
    for (double p : {0.5, 0.9, 0.99, 0.999}) {
        const std::uint64_t truth = values[static_cast<std::size_t>(p * values.size()) - 1];
        const std::uint64_t got = h.percentile(p);
        EXPECT_GE(got, truth) << p;
        EXPECT_LE(static_cast<double>(got), static_cast<double>(truth) * 1.005) << p;
    }
    EXPECT_EQ(h.max(), values.back());
    EXPECT_EQ(h.percentile(1.0), values.back());
}

TEST(Histogram, MergeAddsUp) {
    Histogram a, b;
    a.add(10);
    a.add(1000000);
    b.add(5);
    b.add(20);
    a.merge(b);
    EXPECT_EQ(a.count(), 4u);
    EXPECT_EQ(a.min(), 5u);
    EXPECT_EQ(a.max(), 1000000u);
    EXPECT_EQ(a.percentile(0.5), 10u);
    EXPECT_EQ(a.percentile(0.75), 20u);
}

TEST(Histogram, HugeValuesDoNotOverflow) {
    Histogram h;
    h.add(UINT64_MAX);
    h.add(1ull << 62);
    EXPECT_EQ(h.max(), UINT64_MAX);
    EXPECT_GE(h.percentile(0.5), 1ull << 62);
}
