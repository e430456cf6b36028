// IRC lines, pure: parsing what an IRC client sends (RFC 1459 / RFC 2812 with IRCv3 message
// tags), formatting what natterd sends back, and framing a byte stream into lines. No sockets and
// no chat logic: the translation to and from the chat core lives in irc_session.h.
//
// A line is `[@tags ][:prefix ]COMMAND [params...] [:trailing]` ending in CRLF (a bare LF is
// accepted too). Without its tags a line is at most 512 bytes, CRLF included; the tags of a
// client line may take up to 4096 more bytes (IRCv3 message-tags).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "shared/codec.h"

namespace natter::server::irc {

constexpr std::size_t kMaxLineBytes = 512;        // CRLF included, tags excluded
constexpr std::size_t kMaxClientTagBytes = 4096;  // "@" and the space after the tags included
constexpr std::size_t kMaxParams = 15;            // RFC 2812: at most 14 middles and a trailing

struct Line {
    std::vector<std::pair<std::string, std::string>> tags;  // unescaped values
    std::string prefix;                // without ':' (clients normally send none)
    std::string command;               // upper-cased ("PRIVMSG", "001")
    std::vector<std::string> params;   // the trailing one included, without its ':'
};

// Why a line could not be parsed.
enum class ParseError {
    Empty,       // nothing but spaces (clients send these; they are ignored)
    NoCommand,   // tags or a prefix and then nothing
    BadCommand,  // not letters, nor three digits
};
using Parsed = std::variant<Line, ParseError>;

// Parses one line without its CRLF. Never throws; any bytes are accepted (UTF-8 is the
// translation layer's business). Runs of spaces between parameters count as one, as RFC 1459
// servers have always done; past kMaxParams the rest of the line is the last parameter.
Parsed parse_line(std::string_view line);

// The line as it goes on the wire: tags (if any), prefix (if any), command, parameters, CRLF. The
// last parameter is sent as a trailing one when it must be (empty, has a space or starts with
// ':') or when `force_trailing` asks. CR, LF and NUL inside parameters become spaces, a middle
// parameter's spaces become '_', and a line over kMaxLineBytes (tags apart) is cut at a UTF-8
// boundary in its last parameter: nothing a peer chose can split or overflow a line.
std::string format_line(std::string_view prefix, std::string_view command,
                        const std::vector<std::string>& params, bool force_trailing = true,
                        std::string_view tags = {});

// The value of a message tag, escaped as IRCv3 says (';' as "\:", space as "\s", ...).
std::string escape_tag_value(std::string_view value);

// Upper-cases ASCII letters (IRC command names are case-insensitive).
std::string ascii_upper(std::string_view s);
std::string ascii_lower(std::string_view s);

// Splits a comma-separated parameter ("#a,#b"), dropping empty items.
std::vector<std::string> split_list(std::string_view s);

// Splits a byte stream into IRC lines: LF or CRLF ends a line, and so does a lone CR (old
// clients). Holds at most one partial line; a line over the limit (512 bytes, or 512 plus the
// tag allowance when it starts with '@') is reported once as TooLong and dropped up to the end.
class Framer {
public:
    Framer() : lines_(kMaxLineBytes + kMaxClientTagBytes) {}

    void feed(std::string_view bytes) { lines_.feed(bytes); }

    enum class Status { NeedMore, Line, TooLong };
    // The next complete, non-empty line without its line end; `line` stays valid until the next
    // feed() or next().
    Status next(std::string_view& line);

    std::size_t buffered() const { return lines_.buffered() + pending_.size(); }
    void release_if_empty();

private:
    LineFramer lines_;
    std::string pending_;     // the rest of a line that held a lone CR, still to be split
    std::size_t pending_at_ = 0;
};

}  // namespace natter::server::irc
