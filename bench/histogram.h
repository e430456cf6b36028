// A latency histogram with bounded memory and bounded relative error, so a receiver can record
// every one of millions of deliveries without keeping samples: values below 256 are exact, larger
// ones fall into 256 buckets per power of two (error under 0.4%).
#pragma once

#include <cstdint>
#include <vector>

namespace natter::bench {

class Histogram {
public:
    Histogram();

    void add(std::uint64_t value);
    void merge(const Histogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t max() const { return max_; }
    std::uint64_t min() const { return count_ ? min_ : 0; }
    // The smallest recorded value v with at least p (0..1] of all values <= v, reported as the
    // upper edge of its bucket (never under the true value). 0 when empty.
    std::uint64_t percentile(double p) const;

private:
    static std::size_t bucket_of(std::uint64_t v);
    static std::uint64_t bucket_top(std::size_t b);

    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
    std::uint64_t min_ = UINT64_MAX;
};

}  // namespace natter::bench
