#include "server/memory_trim.h"

#include <utility>

namespace natter::server {

MemoryTrimmer::MemoryTrimmer(std::function<void()> trim) : trim_(std::move(trim)) {}

bool MemoryTrimmer::end_of_turn(TimePoint now) {
    const bool quiet = this_turn_ < kQuietTurnBytes;
    this_turn_ = 0;
    if (!quiet || since_trim_ < kBurstBytes) return false;
    if (last_trim_ != TimePoint{} && now - last_trim_ < kMinGap) return false;
    last_trim_ = now;
    since_trim_ = 0;
    trim_();
    return true;
}

}  // namespace natter::server
