// A server under test (natterd or the bare loop) started by natter-bench: stdout and stderr go to
// files in a temporary directory; the port comes from the one line the server prints on stdout,
// "... listening on 127.0.0.1:PORT". The destructor stops it (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace natter::bench {

class ServerProcess {
public:
    // Runs argv (argv[0] a path). natterd without --data or --no-history gets a fresh --data
    // directory inside the temporary one: every run starts with no history and leaves none behind.
    // `cpu` >= 0 pins the process to that CPU. Throws
    // std::runtime_error (with the server's stderr) if no listening line shows within 10 s.
    explicit ServerProcess(std::vector<std::string> argv, int cpu = -1);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    bool alive();
    // SIGTERM, up to `grace_ms` for the exit, then SIGKILL. Returns the exit status (128 + signal
    // when killed). Idempotent.
    int stop(int grace_ms = 5000);
    // The last `max_bytes` of the server's stderr.
    std::string log_tail(std::size_t max_bytes = 2000) const;

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::string dir_;
    int status_ = -1;
};

}  // namespace natter::bench
