#include "bench/histogram.h"

#include <algorithm>
#include <cmath>

namespace natter::bench {

namespace {
constexpr int kSubBits = 8;  // 256 buckets per power of two
constexpr std::uint64_t kSub = 1u << kSubBits;
constexpr std::size_t kBuckets = kSub + (64 - kSubBits) * kSub;
}  // namespace

Histogram::Histogram() : buckets_(kBuckets, 0) {}

std::size_t Histogram::bucket_of(std::uint64_t v) {
    if (v < kSub) return static_cast<std::size_t>(v);
    const int top = 63 - __builtin_clzll(v);  // >= kSubBits
    const int shift = top - kSubBits;
    const std::uint64_t mantissa = (v >> shift) - kSub;  // 0..255
    return static_cast<std::size_t>(kSub + static_cast<std::uint64_t>(shift) * kSub + mantissa);
}

std::uint64_t Histogram::bucket_top(std::size_t b) {
    if (b < kSub) return b;
    const std::uint64_t shift = (b - kSub) / kSub;
    if (shift + kSubBits + 1 >= 64) return UINT64_MAX;  // the top octave: its edge would overflow
    const std::uint64_t mantissa = (b - kSub) % kSub + kSub;
    return ((mantissa + 1) << shift) - 1;
}

void Histogram::add(std::uint64_t value) {
    ++buckets_[bucket_of(value)];
    ++count_;
    max_ = std::max(max_, value);
    min_ = std::min(min_, value);
}

void Histogram::merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
}

std::uint64_t Histogram::percentile(double p) const {
    if (count_ == 0) return 0;
    const auto want = static_cast<std::uint64_t>(std::ceil(std::clamp(p, 0.0, 1.0) * count_));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
        seen += buckets_[b];
        if (seen >= std::max<std::uint64_t>(want, 1)) return std::min(bucket_top(b), max_);
    }
    return max_;
}

}  // namespace natter::bench
