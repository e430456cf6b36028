#include "bench/server_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace natter::bench {

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> argv, int cpu) {
    char tmpl[] = "/tmp/natter-bench-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    // natterd keeps room history in a data directory, by default in the user's home: a benchmark
    // must never write there. Unless the caller chose one (or none), it goes in this temporary
    // directory, removed with it.
    const std::string prog = argv.empty() ? std::string() : argv[0];
    if (prog.size() >= 7 && prog.compare(prog.size() - 7, 7, "natterd") == 0) {
        bool has_data = false;
        for (const auto& a : argv) has_data |= a == "--data" || a.rfind("--data=", 0) == 0 || a == "--no-history";
        if (!has_data) argv.insert(argv.end(), {"--data", dir_ + "/data"});
    }
    const std::string out = dir_ + "/stdout", err = dir_ + "/stderr";
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0) _exit(126);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        if (cpu >= 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(cpu, &set);
            sched_setaffinity(0, sizeof set, &set);
        }
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    const std::string marker = "listening on ";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && alive()) {
        const std::string s = slurp(out);
        const auto at = s.find(marker);
        const auto eol = at == std::string::npos ? at : s.find('\n', at);
        if (eol != std::string::npos) {
            const std::string addr = s.substr(at + marker.size(), eol - at - marker.size());
            port_ = static_cast<std::uint16_t>(std::atoi(addr.c_str() + addr.rfind(':') + 1));
            if (port_ != 0) return;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const std::string why = argv[0] + " did not start: " + log_tail();
    stop(0);
    std::system(("rm -rf '" + dir_ + "'").c_str());
    throw std::runtime_error(why);
}

ServerProcess::~ServerProcess() {
    stop();
    std::system(("rm -rf '" + dir_ + "'").c_str());
}

bool ServerProcess::alive() {
    if (status_ >= 0 || pid_ <= 0) return false;
    int st = 0;
    const pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == 0) return true;
    status_ = r == pid_ && WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (r == pid_ ? WTERMSIG(st) : 0);
    return false;
}

int ServerProcess::stop(int grace_ms) {
    if (!alive()) return status_;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (alive()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(pid_, SIGKILL);
            int st = 0;
            waitpid(pid_, &st, 0);
            status_ = 128 + SIGKILL;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return status_;
}

std::string ServerProcess::log_tail(std::size_t max_bytes) const {
    const std::string s = slurp(dir_ + "/stderr");
    return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

}  // namespace natter::bench
