// What the test clients (wire_client.h, irc_client.h) share: a connection to natterd over
// loopback, sending all of a buffer, and waiting against a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace natter::testing {

// A non-blocking TCP connection to 127.0.0.1:port, without Nagle; throws (naming `what`) if
// natterd does not accept it. A positive receive_buffer sets SO_RCVBUF first (a slow reader).
int connect_loopback(std::uint16_t port, const char* what, int receive_buffer = 0);

// Sends every byte, waiting for room up to `timeout`; false if the peer is gone or stays full.
bool send_all(int fd, std::string_view bytes, std::chrono::milliseconds timeout);

// Milliseconds from now to `deadline`, for poll(): 0 once it has passed.
int ms_until(std::chrono::steady_clock::time_point deadline);

}  // namespace natter::testing
