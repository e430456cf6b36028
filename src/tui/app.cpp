#include "tui/app.h"

#include <curses.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <memory>
#include <random>

#include "tui/apply.h"
#include "tui/connection.h"
#include "tui/renderer.h"
#include "tui/screen_state.h"
#include "tui/signal_pipe.h"
#include "tui/terminal_input.h"
#include "tui/terminal_session.h"

namespace natter::tui {

namespace {

// Keepalive: ping after this long without a byte from the server; give up on it if nothing
// comes back within the grace period. Connect attempts that hang are abandoned too.
constexpr std::uint64_t kIdleBeforePingMs = 30000;
constexpr std::uint64_t kPingGraceMs = 15000;
constexpr std::uint64_t kConnectTimeoutMs = 10000;
// After /quit: how long to wait for the goodbye to reach the server.
constexpr std::uint64_t kQuitFlushMs = 1000;

std::uint64_t mono_ms() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(
        duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

std::uint64_t wall_ms() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

class App {
public:
    explicit App(const Options& o)
        : state_(o.host + ":" + std::to_string(o.port), o.nick), conn_(o.host, o.port) {}

    int run();

private:
    void connect();
    void lost(const std::string& why);
    void carry_out(Effects fx);
    void on_signals();
    void on_keys();
    void on_socket(short revents);
    void on_timers();
    int poll_timeout() const;
    void resize();

    ScreenState state_;
    Connection conn_;
    TerminalSession term_;
    SignalPipe signals_;
    std::unique_ptr<Renderer> renderer_;
    std::unique_ptr<TerminalInput> input_;

    bool done_ = false;
    bool full_redraw_ = false;
    int attempt_ = 0;                 // reconnect attempts since the last login
    std::uint64_t reconnect_at_ = 0;  // 0: none scheduled
    std::uint64_t connect_deadline_ = 0;
    std::uint64_t last_rx_ = 0;
    std::uint64_t ping_sent_ = 0;     // 0: no ping outstanding
    std::uint64_t ping_counter_ = 0;
    std::uint64_t quit_deadline_ = 0; // 0: not leaving
    std::size_t bad_lines_shown_ = 0;
    std::mt19937 rng_{static_cast<unsigned>(getpid()) ^ static_cast<unsigned>(mono_ms())};
};

void App::connect() {
    reconnect_at_ = 0;
    std::string why;
    apply_connecting(state_);
    if (!conn_.start(why)) {
        lost(why);
        return;
    }
    connect_deadline_ = mono_ms() + kConnectTimeoutMs;
}

void App::lost(const std::string& why) {
    conn_.close();
    connect_deadline_ = ping_sent_ = 0;
    if (quit_deadline_) {
        done_ = true;  // we were leaving anyway
        return;
    }
    apply_disconnected(state_, why, wall_ms());
    const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    reconnect_at_ = mono_ms() + reconnect_delay_ms(attempt_++, jitter);
}

// Sends what the pacer lets go now (the rest waits in the outbox: on_timers sends it when due),
// and does the rest of what `fx` asks.
void App::carry_out(Effects fx) {
    pace(state_, fx, mono_ms(), wall_ms());
    for (const auto& m : fx.send) conn_.send(m);
    if (fx.bell && renderer_) renderer_->bell();
    if (fx.redraw_all) full_redraw_ = true;
    if (fx.quit && !quit_deadline_) {
        if (conn_.state() == Connection::State::Open && !conn_.flushed()) {
            conn_.flush_now();
            quit_deadline_ = mono_ms() + kQuitFlushMs;  // the loop waits for the rest, briefly
            if (conn_.flushed()) done_ = true;
        } else {
            done_ = true;
        }
    }
}

void App::resize() {
    struct winsize ws {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    renderer_->relayout(state_);
}

void App::on_signals() {
    for (int sig : signals_.drain()) {
        switch (sig) {
            case SIGWINCH: resize(); break;
            case SIGCONT:  // stopped from outside and continued: the shell may have reset the modes
                reset_prog_mode();
                full_redraw_ = true;
                break;
            default: {  // SIGINT, SIGTERM, SIGHUP: leave cleanly
                Effects fx;
                if (state_.link == Link::Online) fx.send.push_back(Quit{});
                fx.quit = true;
                carry_out(fx);
            }
        }
    }
}

void App::on_keys() {
    bool resized = false;
    const std::vector<Key> keys = input_->read(resized);
    // ncurses has resized already when it reports KEY_RESIZE (resizeterm() queues that key
    // itself, so calling it again would loop forever): only the windows are laid out again.
    if (resized) renderer_->relayout(state_);
    for (const Key& k : keys) {
        carry_out(apply_key(state_, k, wall_ms()));
        if (done_) return;
    }
}

void App::on_socket(short revents) {
    std::vector<Message> in;
    const Connection::Result r = conn_.handle(revents, in);
    const std::uint64_t now = mono_ms();
    if (r.connected) {
        connect_deadline_ = 0;
        last_rx_ = now;
        carry_out(apply_connected(state_, wall_ms()));
    }
    if (r.bytes_in) last_rx_ = now, ping_sent_ = 0;
    const std::uint64_t wall = wall_ms();
    for (const Message& m : in) {
        if (std::holds_alternative<Welcome>(m)) attempt_ = 0;
        carry_out(apply_message(state_, m, wall));
    }
    if (conn_.bad_lines() > bad_lines_shown_) {
        if (bad_lines_shown_ == 0)
            note(state_, EntryKind::Error, "the server sent a line natter does not understand; ignored", wall);
        bad_lines_shown_ = conn_.bad_lines();
    }
    if (r.closed) lost(r.why);
}

void App::on_timers() {
    const std::uint64_t now = mono_ms();
    if (quit_deadline_ && (now >= quit_deadline_ || conn_.flushed())) done_ = true;
    if (reconnect_at_ && now >= reconnect_at_) connect();
    if (conn_.state() == Connection::State::Connecting && connect_deadline_ && now >= connect_deadline_)
        lost("connecting timed out");
    if (conn_.state() == Connection::State::Open) {
        if (ping_sent_ && now >= ping_sent_ + kPingGraceMs) {
            lost("the server stopped answering");
        } else if (!ping_sent_ && now >= last_rx_ + kIdleBeforePingMs) {
            Effects fx;  // paced too: a ping counts against the flood limit like any message
            fx.send.push_back(Ping{"k" + std::to_string(++ping_counter_)});
            ping_sent_ = now;
            carry_out(std::move(fx));
        }
        if (!state_.outbox.empty() && release_wait_ms(state_.outbox, now) == 0) carry_out(Effects{});
    }
}

int App::poll_timeout() const {
    const std::uint64_t now = mono_ms();
    std::uint64_t next = UINT64_MAX;
    auto consider = [&](std::uint64_t t) {
        if (t) next = std::min(next, t);
    };
    consider(reconnect_at_);
    consider(quit_deadline_);
    if (conn_.state() == Connection::State::Connecting) consider(connect_deadline_);
    if (conn_.state() == Connection::State::Open) {
        consider(ping_sent_ ? ping_sent_ + kPingGraceMs : last_rx_ + kIdleBeforePingMs);
        // The next paced message; nothing queued adds no wake-up.
        const std::uint64_t wait = release_wait_ms(state_.outbox, now);
        if (wait != UINT64_MAX) consider(now + wait);
    }
    if (next == UINT64_MAX) return -1;
    return next <= now ? 0 : static_cast<int>(std::min<std::uint64_t>(next - now, 24u * 3600 * 1000));
}

int App::run() {
    if (!signals_.ok()) {
        std::fprintf(stderr, "natter: cannot create the signal pipe\n");
        return 1;
    }
    std::string error;
    if (!term_.open(error)) {
        std::fprintf(stderr, "natter: %s\n", error.c_str());
        return 1;
    }
    renderer_ = std::make_unique<Renderer>(term_.colour());
    input_ = std::make_unique<TerminalInput>(term_.key_codes());
    renderer_->relayout(state_);
    note(state_, EntryKind::Info, "natter: connecting to " + state_.address + " as " + state_.nick +
                                      " (/help for commands)", wall_ms());
    connect();

    while (!done_) {
        renderer_->draw(state_, full_redraw_);
        full_redraw_ = false;
        pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {signals_.fd(), POLLIN, 0}, {-1, 0, 0}};
        nfds_t n = 2;
        if (conn_.fd() >= 0 && conn_.events()) {
            fds[2] = {conn_.fd(), conn_.events(), 0};
            n = 3;
        }
        const int rc = ::poll(fds, n, poll_timeout());
        if (rc < 0 && errno != EINTR) break;
        if (rc > 0) {
            if (fds[1].revents) on_signals();
            if (!done_ && fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) break;  // terminal gone
            if (!done_ && fds[0].revents & POLLIN) on_keys();
            if (!done_ && n == 3 && fds[2].revents) on_socket(fds[2].revents);
        }
        if (!done_) on_timers();
    }
    renderer_.reset();
    term_.close();
    return 0;
}

}  // namespace

int run_app(const Options& options) {
    App app(options);
    return app.run();
}

}  // namespace natter::tui
