// Chat text between IRC and natter, pure. IRC text arrives as bytes that may hold mIRC
// formatting codes, CTCP requests and invalid UTF-8; natter text is valid UTF-8 without control
// characters, up to 4096 bytes, and may span lines. Both directions keep every word a person
// wrote and never let a byte through that the other side would misread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace natter::server::irc {

// IRC text made fit for the chat core: invalid UTF-8 becomes U+FFFD, mIRC formatting (bold,
// colours, italics, reset...) is removed, and any other control character but tab is dropped.
std::string text_from_irc(std::string_view raw);

// A CTCP request inside a PRIVMSG or NOTICE ("\x01ACTION waves\x01"): its upper-cased command
// and its argument. `is_ctcp` is false for plain text.
struct Ctcp {
    bool is_ctcp = false;
    std::string command;
    std::string argument;
};
Ctcp parse_ctcp(std::string_view raw);

// Cuts a natter text into pieces of at most `max_bytes` each, for IRC lines: one piece per line
// of the text (blank lines dropped), and a line too long for one piece is cut at a space when
// there is one in its second half, else at a code point boundary. Nothing is lost.
std::vector<std::string> split_for_irc(std::string_view text, std::size_t max_bytes);

// The longest prefix of `s` within `max_bytes` that ends on a code point boundary.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// Makes a name from the network (USER's username, a realname) safe to show: valid UTF-8 without
// control characters or spaces (for a username), cut to `max_bytes`.
std::string clean_username(std::string_view raw, std::size_t max_bytes);
std::string clean_realname(std::string_view raw, std::size_t max_bytes);

// Whether `s` matches an IRC mask, where '*' stands for any run of characters and '?' for one
// (a code point). The caller folds case first if it wants it ignored.
bool mask_matches(std::string_view mask, std::string_view s);
bool has_wildcards(std::string_view mask);

}  // namespace natter::server::irc
