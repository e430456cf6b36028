#include "tui/signal_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "tui/terminal_session.h"

namespace natter::tui {

namespace {

int g_write_fd = -1;

constexpr int kCaught[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT};
#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer reports SIGSEGV, SIGBUS and SIGFPE itself; do not take them away from it.
constexpr int kFatal[] = {SIGILL, SIGABRT};
#else
constexpr int kFatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#endif

extern "C" void natter_tui_on_signal(int sig) {
    const int saved = errno;
    const unsigned char b = static_cast<unsigned char>(sig);
    if (g_write_fd >= 0) {
        [[maybe_unused]] const ssize_t n = ::write(g_write_fd, &b, 1);  // full pipe: already woken
    }
    errno = saved;
}

extern "C" void natter_tui_on_fatal(int sig) {
    emergency_terminal_restore();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace

SignalPipe::SignalPipe() {
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) return;
    read_fd_ = p[0];
    g_write_fd = p[1];
    struct sigaction sa {};
    sa.sa_handler = natter_tui_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: poll() must wake up
    for (int s : kCaught) sigaction(s, &sa, nullptr);
    struct sigaction fatal {};
    fatal.sa_handler = natter_tui_on_fatal;
    sigemptyset(&fatal.sa_mask);
    fatal.sa_flags = SA_RESETHAND;
    for (int s : kFatal) sigaction(s, &fatal, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

SignalPipe::~SignalPipe() {
    for (int s : kCaught) std::signal(s, SIG_DFL);
    if (g_write_fd >= 0) ::close(g_write_fd);
    if (read_fd_ >= 0) ::close(read_fd_);
    g_write_fd = read_fd_ = -1;
}

std::vector<int> SignalPipe::drain() {
    std::vector<int> out;
    unsigned char buf[64];
    while (true) {
        const ssize_t n = ::read(read_fd_, buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) out.push_back(buf[i]);
    }
    return out;
}

}  // namespace natter::tui
