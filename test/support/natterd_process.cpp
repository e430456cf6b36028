#include "natterd_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace natter::testing {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::string build_dir() {
    const char* dir = std::getenv("NATTER_BUILD");
    return dir && *dir ? dir : "build";
}

NatterdProcess::NatterdProcess(std::vector<std::string> args, Stderr stderr_to) {
    char tmpl[] = "/tmp/natterd-test-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    bool has_port = false;
    for (const auto& a : args) has_port |= (a == "--port" || a.rfind("--port=", 0) == 0);
    // natterd keeps room history in a data directory, by default in the user's home: never in
    // a test. Unless the caller chose one (or none), it goes in this natterd's temporary directory.
    bool has_data = false;
    for (const auto& a : args) has_data |= (a == "--data" || a.rfind("--data=", 0) == 0 || a == "--no-history");
    std::vector<std::string> argv_s{build_dir() + "/natterd"};
    if (!has_port) argv_s.insert(argv_s.end(), {"--port", "0"});
    if (!has_data) argv_s.insert(argv_s.end(), {"--data", dir_ + "/data"});
    argv_s.insert(argv_s.end(), args.begin(), args.end());

    const std::string out = dir_ + "/stdout", err = dir_ + "/stderr";
    int pipe_fds[2] = {-1, -1};
    if (stderr_to == Stderr::StalledPipe && pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = stderr_to == Stderr::StalledPipe ? pipe_fds[1] : open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0) _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        std::vector<char*> argv;
        for (auto& s : argv_s) argv.push_back(s.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (stderr_to == Stderr::StalledPipe) {
        close(pipe_fds[1]);
        stalled_pipe_ = pipe_fds[0];
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const std::string marker = "natterd listening on ";
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string s = read_file(out);
        const auto at = s.find(marker);
        const auto eol = at == std::string::npos ? std::string::npos : s.find('\n', at);
        if (eol != std::string::npos) {
            const std::string addr = s.substr(at + marker.size(), eol - at - marker.size());
            port_ = static_cast<std::uint16_t>(std::stoi(addr.substr(addr.rfind(':') + 1)));
            return;
        }
        if (!alive()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const std::string why = "natterd did not start (" + argv_s[0] + "): " + read_file(err);
    stop(SIGKILL);
    throw std::runtime_error(why);
}

NatterdProcess::~NatterdProcess() {
    stop(SIGTERM);
    if (stalled_pipe_ >= 0) close(stalled_pipe_);
    std::system(("rm -rf '" + dir_ + "'").c_str());
}

bool NatterdProcess::alive() {
    if (exit_status_ >= 0 || pid_ <= 0) return false;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    if (r == pid_)
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
}

int NatterdProcess::stop(int sig) {
    if (!alive()) return exit_status_;
    kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (alive()) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            int status = 0;
            waitpid(pid_, &status, 0);
            exit_status_ = 128 + SIGKILL;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return exit_status_;
}

long NatterdProcess::rss_kib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

std::string NatterdProcess::log() const { return read_file(dir_ + "/stderr"); }

std::string NatterdProcess::wait_for_log(const std::string& needle, int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        std::string text = log();
        if (text.find(needle) != std::string::npos || std::chrono::steady_clock::now() >= deadline) return text;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace natter::testing
