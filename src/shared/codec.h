// The natter codec: messages to bytes and bytes to messages, with no socket in sight.
// A frame is one JSON object on one line ending in '\n' (a '\r' before it is tolerated).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "shared/protocol.h"

namespace natter {

// One line of JSON, newline included.
std::string encode(const Message& m);

// A line that could not be turned into a message: code is one of err::, text says why.
struct DecodeError {
    std::string code;
    std::string text;
};
using Decoded = std::variant<Message, DecodeError>;

// Decodes one line (without its newline) sent in direction `from`. Never throws: every bad
// input (oversized, invalid UTF-8 or NUL, invalid JSON, not an object, unknown type, missing or
// mistyped field, invalid UTF-8 hidden in an escape) becomes a DecodeError.
Decoded decode_line(std::string_view line, Direction from);

// Splits a byte stream into lines. Holds at most one partial line; a line longer than the limit
// is reported once as TooLong and its bytes are dropped up to the next newline, so memory never
// grows past the limit plus one read.
class LineFramer {
public:
    explicit LineFramer(std::size_t max_line = kMaxFrameBytes) : max_line_(max_line) {}

    void feed(std::string_view bytes);

    enum class Status { NeedMore, Line, TooLong };
    // The next complete line (without "\n" or "\r\n"). `line` points into the framer and stays
    // valid until the next call to feed() or next().
    Status next(std::string_view& line);

    std::size_t buffered() const { return buf_.size() - start_; }
    // Gives back memory held for a partial line once it is no longer needed (idle clients).
    void release_if_empty();

private:
    std::size_t max_line_;
    std::string buf_;
    std::size_t start_ = 0;  // first byte not yet returned
    std::size_t scan_ = 0;   // bytes before this are known not to be '\n'
    bool skipping_ = false;  // dropping the rest of an oversized line
};

}  // namespace natter
