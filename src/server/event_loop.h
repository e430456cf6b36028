// The only code in natterd that calls poll(). Register a descriptor with the events it waits for
// and a callback; change the events; remove it. The pollfd array is kept incrementally (removal
// swaps the last entry into the hole), never rebuilt per turn. One deadline timer is enough for
// the server (its sweep), and a before-sleep hook runs before every poll() (where the server
// writes what handlers queued). A turn never blocks longer than the deadline allows.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace natter::server {

class EventLoop {
public:
    using Clock = std::chrono::steady_clock;
    using IoCallback = std::function<void(short revents)>;
    using Callback = std::function<void()>;

    EventLoop() = default;
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Watches fd for `events` (POLLIN, POLLOUT or both; POLLERR/POLLHUP are always reported).
    // The descriptor must not be registered already. The callback may add, change or remove any
    // descriptor, itself included.
    void add(int fd, short events, IoCallback callback);
    void set_events(int fd, short events);
    short events(int fd) const;  // 0 when not registered
    void remove(int fd);
    bool has(int fd) const;
    std::size_t size() const { return fds_.size(); }

    // The one timer: `callback` runs once the first turn after `when`. Replaces any earlier one.
    void set_timer(Clock::time_point when, Callback callback);
    // Moves the timer earlier if `when` is before it (keeps its callback); sets nothing if none.
    void pull_timer_in(Clock::time_point when);
    void cancel_timer();
    std::optional<Clock::time_point> timer() const { return timer_; }

    void set_before_sleep(Callback hook) { before_sleep_ = std::move(hook); }

    // One turn: before-sleep hook, poll() until an event or the timer (at most max_wait if given),
    // the timer callback if due, then the callbacks of ready descriptors. Returns the number of
    // descriptors that were ready (0 on timeout or EINTR).
    int run_once(std::optional<Clock::duration> max_wait = std::nullopt);

    // Turns until stop() is called.
    void run();
    void stop() { stopped_ = true; }
    bool stopped() const { return stopped_; }

private:
    struct Slot {
        int index = -1;          // position in fds_, -1 when unregistered
        std::uint32_t gen = 0;   // bumped on every add, so a stale ready entry is never delivered
    };
    struct Ready {
        int fd;
        short revents;
        std::uint32_t gen;
    };

    std::vector<pollfd> fds_;
    // Parallel to fds_. Behind a pointer so a running callback never moves when the vectors are
    // reshuffled or grow under it.
    std::vector<std::unique_ptr<IoCallback>> callbacks_;
    std::vector<Slot> slots_;            // indexed by fd
    std::vector<Ready> ready_;           // scratch, reused every turn
    std::vector<std::unique_ptr<IoCallback>> graveyard_;  // removed callbacks, destroyed after the turn's dispatch
    std::optional<Clock::time_point> timer_;
    Callback timer_callback_;
    Callback before_sleep_;
    bool stopped_ = false;
    bool dispatching_ = false;
};

}  // namespace natter::server
