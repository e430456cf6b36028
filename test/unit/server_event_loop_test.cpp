// The event loop with real descriptors (pipes): callbacks, interest changes, removal during
// dispatch, the timer and the before-sleep hook.
#include "server/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fcntl.h>

#include <vector>

using namespace natter::server;
using namespace std::chrono_literals;

namespace {

struct Pipe {
    int r = -1, w = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
        r = fds[0];
        w = fds[1];
    }
    ~Pipe() {
        if (r >= 0) ::close(r);
        if (w >= 0) ::close(w);
    }
    void poke() const { ASSERT_EQ(::write(w, "x", 1), 1); }
    void drain() const {
        char buf[64];
        while (::read(r, buf, sizeof buf) > 0) {
        }
    }
};

}  // namespace

TEST(ServerEventLoop, CallsBackReadyDescriptorsOnly) {
    EventLoop loop;
    Pipe a, b;
    int a_calls = 0, b_calls = 0;
    loop.add(a.r, POLLIN, [&](short ev) {
        EXPECT_TRUE(ev & POLLIN);
        ++a_calls;
        a.drain();
    });
    loop.add(b.r, POLLIN, [&](short) { ++b_calls; });
    EXPECT_EQ(loop.size(), 2u);
    a.poke();
    EXPECT_EQ(loop.run_once(5s), 1);
    EXPECT_EQ(a_calls, 1);
    EXPECT_EQ(b_calls, 0);
}

TEST(ServerEventLoop, InterestCanBeChangedAndWriteReadinessIsReported) {
    EventLoop loop;
    Pipe p;
    int writable = 0;
    loop.add(p.w, 0, [&](short ev) {
        if (ev & POLLOUT) ++writable;
    });
    EXPECT_EQ(loop.run_once(10ms), 0) << "no interest: nothing to report";
    loop.set_events(p.w, POLLOUT);
    EXPECT_EQ(loop.events(p.w), POLLOUT);
    EXPECT_EQ(loop.run_once(5s), 1);
    EXPECT_EQ(writable, 1);
}

TEST(ServerEventLoop, RemovalDuringDispatchIsSafeAndSkipsTheRemoved) {
    EventLoop loop;
    std::vector<Pipe> pipes(6);
    std::vector<int> calls(pipes.size(), 0);
    for (std::size_t i = 0; i < pipes.size(); ++i) {
        loop.add(pipes[i].r, POLLIN, [&, i](short) {
            ++calls[i];
            // The first to run removes every descriptor, itself included; the others that were
            // ready in the same turn must not be called.
            for (auto& p : pipes) loop.remove(p.r);
        });
        pipes[i].poke();
    }
    EXPECT_EQ(loop.run_once(5s), 6);
    int total = 0;
    for (int c : calls) total += c;
    EXPECT_EQ(total, 1);
    EXPECT_EQ(loop.size(), 0u);
    EXPECT_FALSE(loop.has(pipes[0].r));
}

TEST(ServerEventLoop, SwapRemoveKeepsTheOthersReachable) {
    EventLoop loop;
    std::vector<Pipe> pipes(5);
    std::vector<int> calls(pipes.size(), 0);
    for (std::size_t i = 0; i < pipes.size(); ++i)
        loop.add(pipes[i].r, POLLIN, [&, i](short) {
            ++calls[i];
            pipes[i].drain();
        });
    loop.remove(pipes[1].r);  // the last one moves into its place
    loop.remove(pipes[0].r);
    for (auto& p : pipes) p.poke();
    EXPECT_EQ(loop.run_once(5s), 3);
    EXPECT_EQ(calls, (std::vector<int>{0, 0, 1, 1, 1}));
    loop.set_events(pipes[4].r, 0);
    for (auto& p : pipes) p.poke();
    EXPECT_EQ(loop.run_once(5s), 2);
    EXPECT_EQ(calls, (std::vector<int>{0, 0, 2, 2, 1}));
}

TEST(ServerEventLoop, ReAddedDescriptorDoesNotGetTheOldRegistrationsEvent) {
    EventLoop loop;
    Pipe a, b;
    int old_calls = 0, new_calls = 0;
    a.poke();
    b.poke();
    // b's callback (run first or second) replaces a's registration; a's stale ready entry from
    // this turn must not reach the new callback.
    loop.add(b.r, POLLIN, [&](short) {
        b.drain();
        if (loop.has(a.r)) {
            loop.remove(a.r);
            loop.add(a.r, POLLIN, [&](short) { ++new_calls; });
        }
    });
    loop.add(a.r, POLLIN, [&](short) { ++old_calls; });
    loop.run_once(5s);
    EXPECT_EQ(new_calls, 0);
    EXPECT_LE(old_calls, 1);
    // On the next turn the new registration sees a's data.
    loop.run_once(5s);
    EXPECT_EQ(new_calls, 1);
}

TEST(ServerEventLoop, TimerFiresOnceAndBoundsTheWait) {
    EventLoop loop;
    int fired = 0;
    const auto start = EventLoop::Clock::now();
    loop.set_timer(start + 20ms, [&] { ++fired; });
    // Nothing registered and no max_wait: only the timer can end the wait.
    loop.run_once();
    EXPECT_EQ(fired, 1);
    EXPECT_GE(EventLoop::Clock::now(), start + 20ms) << "never fires early";
    EXPECT_FALSE(loop.timer().has_value());
    loop.run_once(10ms);
    EXPECT_EQ(fired, 1);
}

TEST(ServerEventLoop, PullTimerInOnlyMovesItEarlier) {
    EventLoop loop;
    const auto now = EventLoop::Clock::now();
    loop.pull_timer_in(now);
    EXPECT_FALSE(loop.timer().has_value()) << "no timer, nothing to pull";
    loop.set_timer(now + 10s, [] {});
    loop.pull_timer_in(now + 20s);
    EXPECT_EQ(*loop.timer(), now + 10s);
    loop.pull_timer_in(now + 1s);
    EXPECT_EQ(*loop.timer(), now + 1s);
    loop.cancel_timer();
    EXPECT_FALSE(loop.timer().has_value());
}

TEST(ServerEventLoop, BeforeSleepRunsEveryTurnAndCanStop) {
    EventLoop loop;
    int turns = 0;
    loop.set_before_sleep([&] {
        if (++turns == 3) loop.stop();
    });
    loop.set_timer(EventLoop::Clock::now(), [] {});
    // run() must return once stopped, without another (here: endless) poll.
    loop.run_once(1ms);
    loop.run_once(1ms);
    loop.run();
    EXPECT_EQ(turns, 3);
    EXPECT_TRUE(loop.stopped());
}

TEST(ServerEventLoop, DoubleAddIsAnError) {
    EventLoop loop;
    Pipe p;
    loop.add(p.r, POLLIN, [](short) {});
    EXPECT_THROW(loop.add(p.r, POLLIN, [](short) {}), std::logic_error);
}
