// The suite's number helpers.
#include "bench/report.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace natter::bench;

TEST(Report, Median) {
    EXPECT_TRUE(std::isnan(median({})));
    EXPECT_EQ(median({3}), 3);
    EXPECT_EQ(median({5, 1, 3}), 3);
    EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
}

TEST(Report, Format) {
    EXPECT_EQ(fmt(0), "0");
    EXPECT_EQ(fmt(999), "999");
    EXPECT_EQ(fmt(1234567), "1,234,567");
    EXPECT_EQ(fmt(1234.567, 2), "1,234.57");
    EXPECT_EQ(fmt(-1234.5, 1), "-1,234.5");
    EXPECT_EQ(fmt(-0.01, 1), "0.0");
    EXPECT_EQ(fmt(std::nan(""), 1), "n/a");
}
