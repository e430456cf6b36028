// natterd's log: one line per event on stderr, "2025-01-31T12:00:00.123Z [c42] text".
// Everything from the network (nicknames, texts, reasons) is passed through
// text::sanitize_for_terminal here, so an operator's terminal never runs a peer's escape codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace natter::server {

// An event about one connection (id > 0) or about the server (id 0).
void log_event(std::uint64_t conn_id, std::string_view text);

// The line log_event writes, without the trailing newline; `unix_ms` is the time stamp.
std::string format_log_line(std::uint64_t unix_ms, std::uint64_t conn_id, std::string_view text);

}  // namespace natter::server
