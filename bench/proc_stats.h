// What natter-bench reads about processes and the machine: another process's CPU time and
// resident memory from /proc, its own CPU time, and the machine description for the report.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace natter::bench {

// CPU time (user + system) of every thread of `pid` in ns; nothing if the process is gone.
// Uses /proc/PID/task/*/schedstat (ns precision), else /proc/PID/stat (clock-tick precision).
std::optional<std::uint64_t> process_cpu_ns(pid_t pid);

// Resident set size in KiB (VmRSS), or nothing if the process is gone.
std::optional<long> process_rss_kib(pid_t pid);

// CPU time the whole machine has spent busy (every CPU, everything but idle and iowait) in ns,
// from /proc/stat. Minus the server's and natter-bench's own, it shows what else was running.
std::uint64_t machine_busy_ns();

// The 1-minute load average.
double load_average();

// natter-bench's own CPU time (user + system) in ns.
std::uint64_t self_cpu_ns();

// CLOCK_MONOTONIC in ns: the clock of every time stamp natter-bench writes and reads.
std::uint64_t now_ns();

// Raises RLIMIT_NOFILE to its hard limit; returns the soft limit now in force.
long raise_fd_limit();

// One paragraph: CPU model, cores, RAM, kernel, compiler (the one natter-bench was built with).
std::string machine_description();

}  // namespace natter::bench
