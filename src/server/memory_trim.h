// When natterd gives memory back to the system. glibc's malloc keeps what a burst freed (a login
// flood, a fan-out to thousands, a client dropped with a megabyte queued) for reuse, so an idle
// server would go on holding its peak. Trimming costs a walk of the heap, so it is done once a
// burst is over, not during one: after enough bytes went through the output queues, on the first
// turn that queues little, at most once a second. It never wakes the loop up by itself: while
// idle natterd uses no CPU. The decision is pure; the trim is injected.
#pragma once

#include <cstddef>
#include <functional>

#include "server/timeouts.h"

namespace natter::server {

class MemoryTrimmer {
public:
    // Output bytes queued since the last trim that make a burst worth trimming after.
    static constexpr std::size_t kBurstBytes = 16u << 20;
    // A turn queuing less than this is a quiet one: the burst is over.
    static constexpr std::size_t kQuietTurnBytes = 256u << 10;
    static constexpr Duration kMinGap = std::chrono::seconds(1);

    explicit MemoryTrimmer(std::function<void()> trim);

    // Bytes queued for clients (each recipient counts).
    void queued(std::size_t bytes) {
        since_trim_ += bytes;
        this_turn_ += bytes;
    }
    // Something freed a lot at once (a dropped client's queue): worth a trim even without output.
    void freed(std::size_t bytes) { since_trim_ += bytes; }

    // Called once per loop turn, before sleeping. Returns true when it trimmed.
    bool end_of_turn(TimePoint now);
    // A trim is due at the next quiet turn.
    bool pending() const { return since_trim_ >= kBurstBytes; }

private:
    std::function<void()> trim_;
    std::size_t since_trim_ = 0;
    std::size_t this_turn_ = 0;
    TimePoint last_trim_{};
};

}  // namespace natter::server
