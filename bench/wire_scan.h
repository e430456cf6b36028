// Reading and writing natter lines at load-generator speed. natter-bench receives millions of
// lines a second on one thread, so it never runs the full JSON decoder on the hot path: it finds
// the "type" value and the benchmark stamp inside the text with plain byte searches. That is safe
// because every string value on the wire is JSON-escaped: a '"' inside a text is always preceded
// by a backslash, so the searched patterns cannot be forged by message content that natter-bench
// did not write itself. Pure functions only; bench/tests/wire_scan_test.cpp holds them to the
// shared codec's output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natter::bench {

enum class LineType { Message, Joined, Left, Users, Welcome, Error, Ping, Bye, Other };

// The message type of one server line (without its newline), from its "type" field.
LineType line_type(std::string_view line);

// What natter-bench writes at the start of every chat text it sends: "nb|SEND_NS|SENDER|SEQ|",
// SEND_NS the CLOCK_MONOTONIC send time in ns, SENDER the sender's index, SEQ its counter.
struct Stamp {
    std::uint64_t send_ns = 0;
    std::uint32_t sender = 0;
    std::uint64_t seq = 0;
};

// The stamp inside a "message" line, or nothing if the line carries none.
std::optional<Stamp> find_stamp(std::string_view line);

// A complete "say" line (newline included) whose text is the stamp padded with 'x' to
// `text_bytes` bytes (never shorter than the stamp): what natterd decodes as Say{text} in the
// default room (optional fields are left out).
std::string say_line(const Stamp& stamp, std::size_t text_bytes);
// The same, appended to `out` without a temporary (the saturating senders build batches).
void append_say_line(std::string& out, const Stamp& stamp, std::size_t text_bytes);

// The text natter-bench puts in a say, for callers that send through the codec.
std::string stamp_text(const Stamp& stamp, std::size_t text_bytes);

// For a "users" line: whether another chunk follows ("more": true). Absent means false.
bool users_more(std::string_view line);

// The raw JSON value of a string field, quotes and escapes kept (to echo a ping token back
// unchanged), or nothing if the field is absent or not a string.
std::optional<std::string_view> raw_string_field(std::string_view line, std::string_view key);

}  // namespace natter::bench
