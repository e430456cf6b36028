// natterd's log: one line per event on stderr, "2025-01-31T12:00:00.123Z [c42] text".
// Everything from the network (nicknames, texts, reasons) is passed through
// text::sanitize_for_terminal here, so an operator's terminal never runs a peer's escape codes.
//
// The loop never writes to stderr itself: a terminal paused with Ctrl-S or a pipe into a pager
// nobody scrolls would stop the whole server. Lines go to a bounded queue that a writer thread
// empties; past the bound they are counted and dropped, and the count is logged once stderr
// takes lines again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace natter::server {

// An event about one connection (id > 0) or about the server (id 0).
void log_event(std::uint64_t conn_id, std::string_view text);

// Waits until every queued line is written, at most `timeout` (stderr may be stalled for good);
// true if all were. It runs by itself at exit, for at most two seconds.
bool flush_log(std::chrono::milliseconds timeout);

// The line log_event writes, without the trailing newline; `unix_ms` is the time stamp.
std::string format_log_line(std::uint64_t unix_ms, std::uint64_t conn_id, std::string_view text);

// The queue between log_event and the writer, pure: what is kept, what is dropped.
class LogQueue {
public:
    explicit LogQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    // Queues a line (with its newline); false, and counted, if the queue is full.
    bool push(std::string_view line);
    // Everything queued, oldest first, after a line about the lines dropped since the last take
    // (stamped `unix_ms`) if any were; the queue is empty afterwards.
    std::string take(std::uint64_t unix_ms);
    bool empty() const { return bytes_.empty() && dropped_ == 0; }

private:
    std::size_t max_bytes_;
    std::string bytes_;
    std::size_t dropped_ = 0;
};

}  // namespace natter::server
