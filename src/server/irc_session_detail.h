// What the irc_session*.cpp files share: the limits the IRC listener advertises in ISUPPORT and
// enforces, and the small checks and spellings every command needs. Internal to the session.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/chat_core.h"
#include "server/irc_text.h"
#include "shared/text.h"

namespace natter::server::irc::detail {

// What the listener tells clients in ISUPPORT, and enforces.
inline constexpr std::size_t kMaxTargets = 4;       // PRIVMSG/NOTICE targets per line
inline constexpr std::size_t kMaxJoinsPerLine = 10;  // channels in one JOIN or PART
inline constexpr std::size_t kTopicLen = 390;       // what fits in a TOPIC line with a long prefix
inline constexpr std::size_t kMaxUserBytes = 10;    // USER's username, as most servers
inline constexpr std::size_t kMaxRealnameBytes = 100;
inline constexpr std::size_t kMaxReasonBytes = 256;
inline constexpr std::size_t kMaxModes = 4;        // mode changes per MODE line
inline constexpr std::size_t kMaxWhoMatches = 200;  // users in the answer to a WHO mask
inline constexpr std::size_t kMaxWhowasEntries = 20;  // entries in the answer to a WHOWAS
inline constexpr const char* kCapabilities = "batch echo-message multi-prefix server-time userhost-in-names";

// A name from the client that the core may look at: valid UTF-8, no NUL or control character.
inline bool sane(std::string_view s) {
    if (!text::valid_utf8(s)) return false;
    for (std::size_t i = 0; i < s.size();) {
        if (text::is_control(text::decode_one(s, i))) return false;
    }
    return true;
}

inline bool is_channel(std::string_view target) { return !target.empty() && target[0] == '#'; }

// WHO's flags: H(ere) or G(one, away), '*' for a server operator, then the member's prefix in
// the room ('@', '+').
inline std::string who_flags(const ChatCore& core, ClientId id, const std::string& room_prefix) {
    std::string f = core.away(id).empty() ? "H" : "G";
    if (core.is_server_operator(id)) f += '*';
    return f + room_prefix;
}

// The key of a room or a nickname for comparisons; "" for a name that breaks the rule.
inline std::string room_key_of(std::string_view room) {
    return sane(room) && !text::room_problem(room) ? text::room_key(room) : std::string();
}
inline std::string fold_nick(std::string_view nick) {
    return sane(nick) && !text::nick_problem(nick) ? text::fold_case(nick) : std::string();
}

// The logged-in client holding `nick` (compared case-insensitively), or 0.
inline ClientId find_online(const ChatCore& core, std::string_view nick) {
    return sane(nick) ? core.find_nick(nick) : 0;
}

// "+klnst": a room's modes as RPL_CHANNELMODEIS shows them ("+" for none); their parameters go
// in `params`, the key only to members.
inline std::string mode_string(const RoomModes& m, bool member, std::vector<std::string>& params) {
    if (!m.key.empty() && member) params.push_back(m.key);
    if (m.limit != 0) params.push_back(std::to_string(m.limit));
    return mode_letters(m);
}

// A member's prefix in NAMES, WHO and WHOIS: the highest ("@" over "+"), or with multi-prefix
// all of them, highest first.
inline std::string member_prefix(bool op, bool voice, bool multi_prefix) {
    std::string p;
    if (op) p += '@';
    if (voice && (multi_prefix || !op)) p += '+';
    return p;
}

inline std::string clean_reason(std::string_view raw) {
    return std::string(utf8_prefix(text_from_irc(raw), kMaxReasonBytes));
}

}  // namespace natter::server::irc::detail
