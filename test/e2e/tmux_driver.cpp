#include "tmux_driver.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <thread>

namespace natter::testing {

int run_program(const std::vector<std::string>& argv, std::string* out) {
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) return -1;
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        const int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        unsetenv("TMUX");  // never talk to a tmux the tests happen to run in
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(pipefd[1]);
    std::string buf;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool timed_out = false;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{pipefd[0], POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        const ssize_t n = read(pipefd[0], chunk, sizeof chunk);
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    close(pipefd[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out) *out = buf;
    if (timed_out) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {
std::atomic<int> g_counter{0};
}

TmuxDriver::TmuxDriver()
    : socket_("/tmp/natter-e2e-" + std::to_string(getpid()) + "-" +
              std::to_string(g_counter++) + ".sock") {}

TmuxDriver::~TmuxDriver() {
    run_program(base({"kill-server"}));
    unlink(socket_.c_str());
}

std::vector<std::string> TmuxDriver::base(std::vector<std::string> args) const {
    std::vector<std::string> v = {"tmux", "-S", socket_, "-f", "/dev/null"};
    v.insert(v.end(), args.begin(), args.end());
    return v;
}

bool TmuxDriver::start(const std::string& session, const std::string& command, int cols, int rows) {
    return run_program(base({"new-session", "-d", "-s", session, "-x", std::to_string(cols), "-y",
                             std::to_string(rows), command})) == 0;
}

void TmuxDriver::type(const std::string& session, const std::string& text) {
    run_program(base({"send-keys", "-t", target(session), "-l", text}));
}

void TmuxDriver::press(const std::string& session, const std::string& key) {
    run_program(base({"send-keys", "-t", target(session), key}));
}

void TmuxDriver::paste(const std::string& session, const std::string& text) {
    run_program(base({"set-buffer", "-b", "e2e", text}));
    run_program(base({"paste-buffer", "-p", "-b", "e2e", "-t", target(session)}));
}

void TmuxDriver::resize(const std::string& session, int cols, int rows) {
    run_program(base({"resize-window", "-t", target(session), "-x", std::to_string(cols), "-y",
                      std::to_string(rows)}));
}

std::string TmuxDriver::screen(const std::string& session) {
    std::string out;
    run_program(base({"capture-pane", "-p", "-t", target(session)}), &out);
    return out;
}

std::string TmuxDriver::screen_with_attributes(const std::string& session) {
    std::string out;
    run_program(base({"capture-pane", "-p", "-e", "-t", target(session)}), &out);
    return out;
}

std::string TmuxDriver::pane_format(const std::string& session, const std::string& format) {
    std::string out;
    run_program(base({"display-message", "-p", "-t", target(session), format}), &out);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

bool TmuxDriver::wait_until(const std::string& session,
                            const std::function<bool(const std::string&)>& pred,
                            std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (pred(screen(session))) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

bool TmuxDriver::wait_for_text(const std::string& session, const std::string& text,
                               std::chrono::milliseconds timeout) {
    return wait_until(
        session, [&](const std::string& s) { return s.find(text) != std::string::npos; }, timeout);
}

std::string user_pane_of(const std::string& screen) {
    static const std::string bar = "\u2502";  // │, how ncurses draws the border in UTF-8
    std::istringstream in(screen);
    std::string line, out;
    while (std::getline(in, line)) {
        const auto at = line.rfind(bar);
        if (at == std::string::npos) continue;
        out += line.substr(at + bar.size());
        out += '\n';
    }
    return out;
}

std::vector<std::string> last_rows(const std::string& screen, std::size_t n) {
    std::vector<std::string> rows;
    std::istringstream in(screen);
    std::string line;
    while (std::getline(in, line)) rows.push_back(line);
    if (rows.size() > n) rows.erase(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(n));
    return rows;
}

}  // namespace natter::testing
