#include "server/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace natter::server {

namespace {

volatile sig_atomic_t g_write_fd = -1;

extern "C" void on_signal(int sig) {
    const int saved = errno;
    const unsigned char b = static_cast<unsigned char>(sig);
    // Non-blocking: if the pipe is somehow full, the loop already has a signal to read.
    if (g_write_fd >= 0) (void)!::write(g_write_fd, &b, 1);
    errno = saved;
}

}  // namespace

SignalPipe::SignalPipe() {
    if (::pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe2");
    g_write_fd = fds_[1];
    struct sigaction sa{};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    struct sigaction ign{};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(SIGPIPE, &ign, nullptr);
}

SignalPipe::~SignalPipe() {
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGINT, &dfl, nullptr);
    ::sigaction(SIGTERM, &dfl, nullptr);
    g_write_fd = -1;
    ::close(fds_[0]);
    ::close(fds_[1]);
}

std::vector<int> SignalPipe::take() {
    std::vector<int> sigs;
    unsigned char buf[64];
    for (;;) {
        const ssize_t n = ::read(fds_[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n; ++i) sigs.push_back(buf[i]);
    }
    return sigs;
}

}  // namespace natter::server
