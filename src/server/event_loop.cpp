#include "server/event_loop.h"

#include <cerrno>
#include <climits>
#include <stdexcept>
#include <string>
#include <system_error>

namespace natter::server {

void EventLoop::add(int fd, short events, IoCallback callback) {
    if (fd < 0) throw std::invalid_argument("EventLoop::add: negative descriptor");
    if (static_cast<std::size_t>(fd) >= slots_.size()) slots_.resize(static_cast<std::size_t>(fd) + 1);
    Slot& s = slots_[static_cast<std::size_t>(fd)];
    if (s.index >= 0) throw std::logic_error("EventLoop::add: descriptor " + std::to_string(fd) + " already registered");
    s.index = static_cast<int>(fds_.size());
    ++s.gen;
    fds_.push_back(pollfd{fd, events, 0});
    callbacks_.push_back(std::make_unique<IoCallback>(std::move(callback)));
}

void EventLoop::set_events(int fd, short events) {
    if (!has(fd)) return;
    fds_[static_cast<std::size_t>(slots_[static_cast<std::size_t>(fd)].index)].events = events;
}

short EventLoop::events(int fd) const {
    if (!has(fd)) return 0;
    return fds_[static_cast<std::size_t>(slots_[static_cast<std::size_t>(fd)].index)].events;
}

bool EventLoop::has(int fd) const {
    return fd >= 0 && static_cast<std::size_t>(fd) < slots_.size() &&
           slots_[static_cast<std::size_t>(fd)].index >= 0;
}

void EventLoop::remove(int fd) {
    if (!has(fd)) return;
    Slot& s = slots_[static_cast<std::size_t>(fd)];
    const std::size_t i = static_cast<std::size_t>(s.index);
    const std::size_t last = fds_.size() - 1;
    // The callback may be the one running right now: keep it alive until the dispatch is over.
    if (dispatching_) graveyard_.push_back(std::move(callbacks_[i]));
    if (i != last) {
        fds_[i] = fds_[last];
        callbacks_[i] = std::move(callbacks_[last]);
        slots_[static_cast<std::size_t>(fds_[i].fd)].index = static_cast<int>(i);
    }
    fds_.pop_back();
    callbacks_.pop_back();
    s.index = -1;
}

void EventLoop::set_timer(Clock::time_point when, Callback callback) {
    timer_ = when;
    timer_callback_ = std::move(callback);
}

void EventLoop::pull_timer_in(Clock::time_point when) {
    if (timer_ && when < *timer_) timer_ = when;
}

void EventLoop::cancel_timer() {
    timer_.reset();
    timer_callback_ = nullptr;
}

int EventLoop::run_once(std::optional<Clock::duration> max_wait) {
    if (before_sleep_) before_sleep_();
    if (stopped_) return 0;

    int timeout_ms = -1;
    const auto now = Clock::now();
    std::optional<Clock::duration> wait = max_wait;
    if (timer_) {
        const auto until = *timer_ > now ? *timer_ - now : Clock::duration::zero();
        if (!wait || until < *wait) wait = until;
    }
    if (wait) {
        // Round up, so a wake-up never comes before the deadline and spins once more.
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wait).count();
        timeout_ms = ms > INT_MAX ? INT_MAX : static_cast<int>(ms < 0 ? 0 : ms);
    }

    const int n = ::poll(fds_.data(), static_cast<nfds_t>(fds_.size()), timeout_ms);
    if (n < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");

    if (timer_ && Clock::now() >= *timer_) {
        Callback cb = std::move(timer_callback_);
        timer_.reset();
        timer_callback_ = nullptr;
        if (cb) cb();
    }
    if (n <= 0) return 0;

    // Collect first, then dispatch: callbacks reshuffle fds_ when they add or remove.
    ready_.clear();
    for (const pollfd& p : fds_) {
        if (p.revents != 0)
            ready_.push_back({p.fd, p.revents, slots_[static_cast<std::size_t>(p.fd)].gen});
    }
    dispatching_ = true;
    for (const Ready& r : ready_) {
        if (!has(r.fd)) continue;
        const Slot& s = slots_[static_cast<std::size_t>(r.fd)];
        if (s.gen != r.gen) continue;  // removed and re-added this turn: the event was for the old one
        (*callbacks_[static_cast<std::size_t>(s.index)])(r.revents);
    }
    dispatching_ = false;
    graveyard_.clear();
    return n;
}

void EventLoop::run() {
    while (!stopped_) run_once();
}

}  // namespace natter::server
