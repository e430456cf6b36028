#include "bench/proc_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace natter::bench {

namespace {

std::optional<std::uint64_t> schedstat_ns(pid_t pid) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/task";
    DIR* d = opendir(dir.c_str());
    if (!d) return std::nullopt;
    std::uint64_t total = 0;
    bool any = false;
    while (dirent* e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        std::ifstream in(dir + "/" + e->d_name + "/schedstat");
        std::uint64_t ns = 0;
        if (in >> ns) {
            total += ns;
            any = true;
        }
    }
    closedir(d);
    if (!any) return std::nullopt;
    return total;
}

std::optional<std::uint64_t> stat_ns(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all;
    if (!std::getline(in, all)) return std::nullopt;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    std::istringstream rest(all.substr(all.rfind(')') + 2));
    std::string field;
    std::uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return (utime + stime) * (1000000000ull / static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK)));
}

std::string first_match(const std::string& path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) {
            const auto colon = line.find(':');
            std::string v = colon == std::string::npos ? line : line.substr(colon + 1);
            v.erase(0, v.find_first_not_of(" \t"));
            return v;
        }
    return "unknown";
}

}  // namespace

std::optional<std::uint64_t> process_cpu_ns(pid_t pid) {
    if (auto ns = schedstat_ns(pid)) return ns;
    return stat_ns(pid);
}

std::optional<long> process_rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return std::nullopt;
}

std::uint64_t machine_busy_ns() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    std::uint64_t v[8] = {0};  // user nice system idle iowait irq softirq steal
    if (!(in >> cpu) || cpu != "cpu") return 0;
    for (auto& x : v) in >> x;
    const std::uint64_t busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return busy * (1000000000ull / static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK)));
}

double load_average() {
    std::ifstream in("/proc/loadavg");
    double l = -1;
    in >> l;
    return l;
}

std::uint64_t self_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

long raise_fd_limit() {
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    return static_cast<long>(rl.rlim_cur);
}

std::string machine_description() {
    utsname u{};
    uname(&u);
    const long mem_kib = std::atol(first_match("/proc/meminfo", "MemTotal").c_str());
    std::ostringstream os;
    os << "CPU: " << first_match("/proc/cpuinfo", "model name") << ", "
       << std::thread::hardware_concurrency() << " cores; RAM: " << (mem_kib + 512 * 1024) / (1024 * 1024)
       << " GiB; kernel: " << u.sysname << " " << u.release << " (" << u.machine
       << "); compiler: "
#if defined(__clang__)
       << "clang " << __clang_version__;
#elif defined(__GNUC__)
       << "g++ " << __VERSION__;
#else
       << "unknown";
#endif
    return os.str();
}

}  // namespace natter::bench
