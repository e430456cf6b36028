// The socket chores of natterd's start-up: bind and listen, name the bound address, raise the
// descriptor limit. Plain functions that report failures as text for the operator.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace natter::server {

// A non-blocking listening TCP socket on addr:port (IPv4 or IPv6 literal), or why not.
std::variant<int, std::string> listen_on(const std::string& addr, std::uint16_t port);

// "127.0.0.1:6288" or "[::1]:6288": the address a socket is bound to, as bound.
std::string local_address(int fd);

// The address of a connected socket's peer, in the same form.
std::string peer_address(int fd);

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit in force.
std::uint64_t raise_fd_limit();

}  // namespace natter::server
