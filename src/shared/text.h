// Text rules shared by natterd and natter: UTF-8 decoding and validation, what may appear in a
// chat text, the nickname rule (one script, no invisible characters, spoof-proof uniqueness), and
// the neutralising of anything that could control a terminal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace natter::text {

constexpr char32_t kInvalid = 0xFFFFFFFF;       // decode_one's answer for a bad sequence
constexpr char32_t kReplacement = 0xFFFD;       // U+FFFD, shown for what cannot be shown

// Decodes the code point starting at s[i] and advances i past it. A malformed, overlong,
// surrogate or out-of-range sequence yields kInvalid and advances by one byte.
char32_t decode_one(std::string_view s, std::size_t& i);

// Appends the UTF-8 encoding of a valid code point.
void append_utf8(std::string& out, char32_t cp);

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). NUL is valid UTF-8; callers
// that must refuse it say so.
bool valid_utf8(std::string_view s);

// Number of code points in valid UTF-8.
std::size_t codepoint_count(std::string_view s);

// Control characters: C0 (U+0000-001F), DEL, C1 (U+0080-009F).
bool is_control(char32_t cp);

// Invisible characters that change how text around them is shown: bidi embeddings, overrides,
// isolates and marks, zero-width spaces and joiners, the BOM, soft hyphen, line/paragraph separators.
bool is_format(char32_t cp);

// Why a chat text cannot be sent (empty, over kMaxTextBytes, invalid UTF-8, a control character
// other than tab and newline), or nothing when it is fine. Format characters are allowed in text
// (right-to-left writers need them); the client neutralises them on display.
std::optional<std::string> text_problem(std::string_view text);

// Why a nickname breaks the rule, or nothing when it is fine. The rule: 1 to kMaxNickCodepoints
// code points; letters of one script (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
// Devanagari, Thai, Hangul, or CJK: Han with kana), ASCII digits and `_-.`; starts with a letter
// or `_`; nothing invisible, no controls, no combining-only characters, no spaces.
std::optional<std::string> nick_problem(std::string_view nick);

// Case-folded form of a valid nickname: "Bob" and "BOB" fold alike.
std::string fold_case(std::string_view nick);

// The spoof-proof identity of a valid nickname: case-folded, then every letter that looks like a
// Latin letter mapped to it (Cyrillic "а" to "a", Greek "ο" to "o", "0" to "o", "1" and "i" to
// "l", "rn" to "m"). Two nicknames with the same skeleton cannot be online at once.
std::string nick_skeleton(std::string_view nick);

// Why a room name breaks the rule, or nothing when it is fine. The rule: '#' and then 1 to
// kMaxRoomCodepoints - 1 characters under the nickname rule, except that the first may also be
// an ASCII digit ("#2026-plans").
std::optional<std::string> room_problem(std::string_view room);

// The identity of a valid room name, by the nickname skeleton rule: "#Rust" and "#rust" are one
// room, and so are "#home" and "#hоme" with a Cyrillic "о".
std::string room_key(std::string_view room);

// Makes text safe to hand to a terminal: invalid bytes become U+FFFD, control characters become
// their visible Control Pictures (ESC shows as U+241B), format characters become U+FFFD, tab a
// space. The result contains no byte that a terminal interprets. Newlines are controls here too:
// callers split multi-line text first.
std::string sanitize_for_terminal(std::string_view s);

}  // namespace natter::text
