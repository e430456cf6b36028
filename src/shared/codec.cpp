// The codec uses cereal's JSON archives. Three things cereal will not do for us, done here:
// refuse an oversized line before parsing, parse without recursion (a line of nested brackets
// must not overflow the stack), and refuse invalid UTF-8 and NUL (cereal passes the first through
// and silently truncates strings at the second).

// Must come before cereal: RapidJSON's recursive parser is the default. Debian's cereal uses the
// system RapidJSON (RAPIDJSON_*); upstream's bundled copy is renamed (CEREAL_RAPIDJSON_*).
// cereal would also ask for full-precision floats, whose code in RapidJSON 1.1 calls
// __builtin_clzll(0) (undefined) on input such as 0e77; no natter field is a float, so no.
#define RAPIDJSON_PARSE_DEFAULT_FLAGS kParseIterativeFlag
#define CEREAL_RAPIDJSON_PARSE_DEFAULT_FLAGS kParseIterativeFlag

#include "shared/codec.h"

#include <array>
#include <cstring>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>

#include <cereal/archives/json.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "shared/text.h"

namespace natter {

// "op" and "voice" were added after version 1: written only when true, read when present.
void serialize(cereal::JSONOutputArchive& ar, UserInfo& u) {
    ar(cereal::make_nvp("nick", u.nick), cereal::make_nvp("ignoring", u.ignoring));
    if (u.op) ar(cereal::make_nvp("op", u.op));
    if (u.voice) ar(cereal::make_nvp("voice", u.voice));
}
static void read_flag(cereal::JSONInputArchive& ar, const char* name, bool& v) {
    try {
        ar(cereal::make_nvp(name, v));
    } catch (const cereal::Exception& e) {
        if (std::strstr(e.what(), "provided NVP") == nullptr) throw;
        v = false;
    }
}
void serialize(cereal::JSONInputArchive& ar, UserInfo& u) {
    ar(cereal::make_nvp("nick", u.nick), cereal::make_nvp("ignoring", u.ignoring));
    read_flag(ar, "op", u.op);
    read_flag(ar, "voice", u.voice);
}

template <class Archive>
void serialize(Archive& ar, RoomInfo& r) {
    ar(cereal::make_nvp("room", r.room), cereal::make_nvp("members", r.members),
       cereal::make_nvp("topic", r.topic));
}

template <class Archive>
void serialize(Archive& ar, CommandHelp& c) {
    ar(cereal::make_nvp("name", c.name), cereal::make_nvp("usage", c.usage),
       cereal::make_nvp("summary", c.summary));
}

namespace {

// The wire name of each alternative of Message, in variant order.
constexpr const char* kTypeNames[] = {
    "hello", "say", "tell", "me", "nick", "who", "ignore", "help", "quit",          // client
    "join", "part", "rooms", "topic", "history", "search", "invite", "kick", "mode",
    "ping", "pong",                                                                // both
    "welcome", "error", "message", "private", "action", "users", "ignoring", "help",  // server
    "joined", "left", "renamed", "ignore_changed", "bye",
    "rooms", "topic", "history_end", "found", "search_end", "invited", "mode", "modes"};
static_assert(std::size(kTypeNames) == std::variant_size_v<Message>);
constexpr std::size_t kFirstShared = 18;  // ping
constexpr std::size_t kFirstServer = 20;  // welcome
static_assert(std::is_same_v<std::variant_alternative_t<kFirstShared, Message>, Ping>);
static_assert(std::is_same_v<std::variant_alternative_t<kFirstServer, Message>, Welcome>);

struct FieldError {
    const char* code;
    std::string text;
};

// ---- field helpers: one definition of each message's fields serves both directions ----------

template <class T>
void req(cereal::JSONOutputArchive& ar, const char* name, T& v) {
    ar(cereal::make_nvp(name, v));
}
template <class T>
void opt(cereal::JSONOutputArchive& ar, const char* name, T& v) {
    ar(cereal::make_nvp(name, v));
}

void check_utf8(const char* name, const std::string& s) {
    if (!text::valid_utf8(s))
        throw FieldError{err::kBadUtf8, std::string("field \"") + name + "\" is not valid UTF-8"};
}
void check_utf8(const char* name, const std::vector<std::string>& texts) {
    for (const auto& t : texts) check_utf8(name, t);
}
void check_utf8(const char*, const std::vector<UserInfo>& users) {
    for (const auto& u : users) check_utf8("nick", u.nick);
}
void check_utf8(const char*, const std::vector<RoomInfo>& rooms) {
    for (const auto& r : rooms) {
        check_utf8("room", r.room);
        check_utf8("topic", r.topic);
    }
}
void check_utf8(const char*, const std::vector<CommandHelp>& cmds) {
    for (const auto& c : cmds) {
        check_utf8("name", c.name);
        check_utf8("usage", c.usage);
        check_utf8("summary", c.summary);
    }
}
template <class T>
void check_utf8(const char*, const T&) {}

template <class T>
const char* expected_kind() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_integral_v<T>) return "a non-negative integer";
    else return "an array";
}

bool is_missing(const cereal::Exception& e) {
    return std::strstr(e.what(), "provided NVP") != nullptr;
}

template <class T>
void req(cereal::JSONInputArchive& ar, const char* name, T& v) {
    try {
        ar(cereal::make_nvp(name, v));
    } catch (const cereal::Exception& e) {
        if (is_missing(e))
            throw FieldError{err::kBadField, std::string("missing field \"") + name + "\""};
        throw FieldError{err::kBadField,
                         std::string("field \"") + name + "\" must be " + expected_kind<T>()};
    }
    check_utf8(name, v);
}
// The line being decoded, for surely_absent().
thread_local std::string_view t_line;

// True when the line cannot hold the key `name`: without a backslash anywhere, a key is spelled
// out literally between quotes. cereal reports a missing field by throwing, and a throw costs
// microseconds; most messages leave most optional fields out (a "say" without "room" threw once
// per message, 8% of natterd's CPU when saturated).
bool surely_absent(const char* name) {
    if (t_line.find('\\') != std::string_view::npos) return false;
    const std::size_t len = std::strlen(name);
    for (auto at = t_line.find(name); at != std::string_view::npos; at = t_line.find(name, at + 1))
        if (at > 0 && t_line[at - 1] == '"' && at + len < t_line.size() && t_line[at + len] == '"')
            return false;
    return true;
}

template <class T>
void opt(cereal::JSONInputArchive& ar, const char* name, T& v) {
    if (surely_absent(name)) return;
    try {
        ar(cereal::make_nvp(name, v));
    } catch (const cereal::Exception& e) {
        if (is_missing(e)) return;
        throw FieldError{err::kBadField,
                         std::string("field \"") + name + "\" must be " + expected_kind<T>()};
    }
    check_utf8(name, v);
}

// A count that is absent on the wire when zero (optional fields added after version 1).
void opt_count(cereal::JSONOutputArchive& ar, const char* name, std::uint64_t& v) {
    if (v != 0) ar(cereal::make_nvp(name, v));
}
void opt_count(cereal::JSONInputArchive& ar, const char* name, std::uint64_t& v) { opt(ar, name, v); }

// A flag or text absent on the wire when false or empty (optional fields added after version 1).
template <class T>
void opt_set(cereal::JSONOutputArchive& ar, const char* name, T& v) {
    if (!(v == T{})) ar(cereal::make_nvp(name, v));
}
template <class T>
void opt_set(cereal::JSONInputArchive& ar, const char* name, T& v) { opt(ar, name, v); }

// A text whose absence means something else than "" (a topic request without text asks).
void opt_maybe(cereal::JSONOutputArchive& ar, const char* name, std::optional<std::string>& v) {
    if (v) ar(cereal::make_nvp(name, *v));
}
void opt_maybe(cereal::JSONInputArchive& ar, const char* name, std::optional<std::string>& v) {
    std::string got;
    try {
        ar(cereal::make_nvp(name, got));
    } catch (const cereal::Exception& e) {
        if (is_missing(e)) return;
        throw FieldError{err::kBadField, std::string("field \"") + name + "\" must be a string"};
    }
    check_utf8(name, got);
    v = std::move(got);
}

// ---- the fields of every message -------------------------------------------------------------

template <class Ar> void fields(Ar& ar, Hello& m) { req(ar, "nick", m.nick); opt(ar, "version", m.version); }
template <class Ar> void fields(Ar& ar, Say& m) {
    opt(ar, "room", m.room); req(ar, "text", m.text); opt_set(ar, "notice", m.notice);
}
template <class Ar> void fields(Ar& ar, Tell& m) {
    req(ar, "to", m.to); req(ar, "text", m.text); opt_set(ar, "notice", m.notice);
}
template <class Ar> void fields(Ar& ar, Me& m) { opt(ar, "room", m.room); req(ar, "text", m.text); }
template <class Ar> void fields(Ar& ar, ChangeNick& m) { req(ar, "nick", m.nick); }
template <class Ar> void fields(Ar& ar, Who& m) { opt_set(ar, "room", m.room); }
template <class Ar> void fields(Ar& ar, SetIgnore& m) { req(ar, "on", m.on); }
template <class Ar> void fields(Ar&, HelpRequest&) {}
template <class Ar> void fields(Ar& ar, Quit& m) { opt(ar, "reason", m.reason); }
template <class Ar> void fields(Ar& ar, Join& m) { req(ar, "room", m.room); opt_set(ar, "key", m.key); }
template <class Ar> void fields(Ar& ar, Part& m) { req(ar, "room", m.room); opt_set(ar, "reason", m.reason); }
template <class Ar> void fields(Ar&, ListRooms&) {}
template <class Ar> void fields(Ar& ar, TopicRequest& m) { req(ar, "room", m.room); opt_maybe(ar, "text", m.text); }
template <class Ar> void fields(Ar& ar, HistoryRequest& m) {
    req(ar, "room", m.room); opt_set(ar, "before", m.before); opt_set(ar, "limit", m.limit);
}
template <class Ar> void fields(Ar& ar, Search& m) {
    req(ar, "room", m.room); req(ar, "words", m.words); opt_set(ar, "before", m.before);
}
template <class Ar> void fields(Ar& ar, Invite& m) { req(ar, "room", m.room); req(ar, "nick", m.nick); }
template <class Ar> void fields(Ar& ar, Kick& m) {
    req(ar, "room", m.room); req(ar, "nick", m.nick); opt_set(ar, "reason", m.reason);
}
template <class Ar> void fields(Ar& ar, ModeRequest& m) {
    req(ar, "room", m.room); opt_set(ar, "change", m.change); opt_set(ar, "arg", m.arg);
}
template <class Ar> void fields(Ar& ar, Ping& m) { opt(ar, "token", m.token); }
template <class Ar> void fields(Ar& ar, Pong& m) { opt(ar, "token", m.token); }
template <class Ar> void fields(Ar& ar, Welcome& m) {
    req(ar, "nick", m.nick); req(ar, "server", m.server); req(ar, "motd", m.motd);
    req(ar, "version", m.version);
}
template <class Ar> void fields(Ar& ar, Error& m) { req(ar, "code", m.code); req(ar, "text", m.text); }
template <class Ar> void fields(Ar& ar, GroupMessage& m) {
    req(ar, "id", m.id); req(ar, "ts", m.ts); opt(ar, "room", m.room); req(ar, "from", m.from);
    req(ar, "text", m.text); opt_set(ar, "history", m.history); opt_set(ar, "notice", m.notice);
}
template <class Ar> void fields(Ar& ar, PrivateMessage& m) {
    req(ar, "id", m.id); req(ar, "ts", m.ts); req(ar, "from", m.from); req(ar, "to", m.to);
    req(ar, "text", m.text); opt_set(ar, "notice", m.notice);
}
template <class Ar> void fields(Ar& ar, Action& m) {
    req(ar, "id", m.id); req(ar, "ts", m.ts); opt(ar, "room", m.room); req(ar, "from", m.from);
    req(ar, "text", m.text); opt_set(ar, "history", m.history);
}
template <class Ar> void fields(Ar& ar, UserList& m) { 
    opt_set(ar, "room", m.room); req(ar, "users", m.users); opt(ar, "more", m.more);
    opt_count(ar, "total", m.total);
}
template <class Ar> void fields(Ar& ar, IgnoreState& m) { req(ar, "on", m.on); }
template <class Ar> void fields(Ar& ar, HelpAnswer& m) { req(ar, "commands", m.commands); }
template <class Ar> void fields(Ar& ar, Joined& m) {
    req(ar, "ts", m.ts); opt(ar, "room", m.room); req(ar, "nick", m.nick);
}
template <class Ar> void fields(Ar& ar, Left& m) {
    req(ar, "ts", m.ts); opt_set(ar, "room", m.room); req(ar, "nick", m.nick); opt(ar, "reason", m.reason);
    opt_set(ar, "by", m.by);
}
template <class Ar> void fields(Ar& ar, Renamed& m) { req(ar, "ts", m.ts); req(ar, "from", m.from); req(ar, "to", m.to); }
template <class Ar> void fields(Ar& ar, IgnoreChanged& m) {
    req(ar, "ts", m.ts); req(ar, "nick", m.nick); req(ar, "on", m.on);
}
template <class Ar> void fields(Ar& ar, Bye& m) { opt(ar, "reason", m.reason); }
template <class Ar> void fields(Ar& ar, RoomList& m) { req(ar, "rooms", m.rooms); opt(ar, "more", m.more); }
template <class Ar> void fields(Ar& ar, Topic& m) {
    req(ar, "ts", m.ts); req(ar, "room", m.room); req(ar, "by", m.by); req(ar, "text", m.text);
}
template <class Ar> void fields(Ar& ar, HistoryEnd& m) {
    req(ar, "room", m.room); req(ar, "count", m.count); req(ar, "more", m.more);
}
template <class Ar> void fields(Ar& ar, Found& m) {
    req(ar, "id", m.id); req(ar, "ts", m.ts); req(ar, "room", m.room); req(ar, "from", m.from);
    req(ar, "text", m.text); opt_set(ar, "action", m.action); opt_set(ar, "notice", m.notice);
}
template <class Ar> void fields(Ar& ar, SearchEnd& m) {
    req(ar, "room", m.room); req(ar, "count", m.count); req(ar, "more", m.more);
}
template <class Ar> void fields(Ar& ar, Invited& m) {
    req(ar, "ts", m.ts); req(ar, "room", m.room); req(ar, "by", m.by); req(ar, "nick", m.nick);
}

template <class Ar> void fields(Ar& ar, ModeChanged& m) {
    req(ar, "ts", m.ts); req(ar, "room", m.room); req(ar, "by", m.by); req(ar, "change", m.change);
    opt_set(ar, "arg", m.arg);
}
template <class Ar> void fields(Ar& ar, RoomModesInfo& m) {
    req(ar, "room", m.room); req(ar, "modes", m.modes); opt_set(ar, "key", m.key);
    opt_set(ar, "limit", m.limit); opt_set(ar, "bans", m.bans);
}

// ---- decoding --------------------------------------------------------------------------------

using Loader = Message (*)(cereal::JSONInputArchive&);

template <std::size_t I>
Message load_alternative(cereal::JSONInputArchive& ar) {
    std::variant_alternative_t<I, Message> m;
    fields(ar, m);
    return m;
}

template <std::size_t... I>
constexpr std::array<Loader, sizeof...(I)> make_loaders(std::index_sequence<I...>) {
    return {&load_alternative<I>...};
}
constexpr auto kLoaders = make_loaders(std::make_index_sequence<std::variant_size_v<Message>>{});

// cereal truncates a string at an escaped NUL ("\u0000") without telling; find one first.
// Walks the line as JSON text: a backslash always starts a two-byte or six-byte escape.
bool has_escaped_nul(std::string_view line) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        if (line[i] != '\\') continue;
        if (line[i + 1] == 'u' && i + 5 < line.size() && line.compare(i + 2, 4, "0000") == 0)
            return true;
        ++i;  // skip the escaped character, so "\\u0000" (an escaped backslash) is not a NUL
    }
    return false;
}

bool type_allowed(std::size_t index, Direction from) {
    if (index >= kFirstShared && index < kFirstServer) return true;
    return from == Direction::ClientToServer ? index < kFirstShared : index >= kFirstServer;
}

}  // namespace

const char* type_name(const Message& m) { return kTypeNames[m.index()]; }

std::string encode(const Message& m) {
    std::ostringstream os;
    {
        cereal::JSONOutputArchive ar(os, cereal::JSONOutputArchive::Options::NoIndent());
        std::string type = kTypeNames[m.index()];
        ar(cereal::make_nvp("type", type));
        // The output archive only reads the fields; one fields() per message serves both ways.
        std::visit([&](const auto& msg) { fields(ar, const_cast<std::decay_t<decltype(msg)>&>(msg)); }, m);
    }
    // cereal puts a newline between members even without indentation. Inside strings a newline
    // is always escaped, so every raw newline is whitespace and can go.
    std::string out = os.str();
    std::string line;
    line.reserve(out.size() + 1);
    for (char c : out)
        if (c != '\n') line += c;
    line += '\n';
    return line;
}

Decoded decode_line(std::string_view line, Direction from) {
    if (line.size() > kMaxFrameBytes)
        return DecodeError{err::kFrameTooLong,
                           "line longer than " + std::to_string(kMaxFrameBytes) + " bytes"};
    if (!text::valid_utf8(line)) return DecodeError{err::kBadUtf8, "line is not valid UTF-8"};
    if (line.find('\0') != std::string_view::npos || has_escaped_nul(line))
        return DecodeError{err::kBadUtf8, "NUL characters are not allowed"};

    // cereal reads a top-level array as a list of values; only an object is a message.
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] != '{')
        return DecodeError{err::kBadJson, "not a JSON object"};

    t_line = line;
    std::istringstream is{std::string(line)};
    std::unique_ptr<cereal::JSONInputArchive> ar;
    try {
        ar = std::make_unique<cereal::JSONInputArchive>(is);
    } catch (const std::exception&) {
        return DecodeError{err::kBadJson, "not a JSON object"};
    }
    std::string type;
    try {
        (*ar)(cereal::make_nvp("type", type));
    } catch (const std::exception&) {
        return DecodeError{err::kBadField, "missing string field \"type\""};
    }
    for (std::size_t i = 0; i < std::size(kTypeNames); ++i) {
        if (type != kTypeNames[i] || !type_allowed(i, from)) continue;
        try {
            return kLoaders[i](*ar);
        } catch (const FieldError& e) {
            return DecodeError{e.code, type + ": " + e.text};
        } catch (const std::exception& e) {
            return DecodeError{err::kBadField, type + ": malformed fields"};
        }
    }
    return DecodeError{err::kUnknownType,
                       "unknown message type \"" + text::sanitize_for_terminal(type.substr(0, 32)) + "\""};
}

// ---- framing ---------------------------------------------------------------------------------

void LineFramer::feed(std::string_view bytes) {
    if (skipping_) {
        const auto nl = bytes.find('\n');
        if (nl == std::string_view::npos) return;
        bytes.remove_prefix(nl + 1);
        skipping_ = false;
    }
    if (bytes.empty()) return;
    if (start_ > 0 && start_ == buf_.size()) {
        buf_.clear();
        start_ = scan_ = 0;
    } else if (start_ > 0 && start_ >= buf_.size() / 2) {
        buf_.erase(0, start_);
        scan_ -= start_;
        start_ = 0;
    }
    buf_.append(bytes.data(), bytes.size());
}

LineFramer::Status LineFramer::next(std::string_view& line) {
    const auto nl = buf_.find('\n', scan_);
    if (nl == std::string::npos) {
        scan_ = buf_.size();
        if (buf_.size() - start_ > max_line_) {
            buf_.clear();
            start_ = scan_ = 0;
            skipping_ = true;
            return Status::TooLong;
        }
        return Status::NeedMore;
    }
    std::size_t begin = start_;
    start_ = scan_ = nl + 1;
    if (nl + 1 - begin > max_line_) return Status::TooLong;
    std::size_t end = nl;
    if (end > begin && buf_[end - 1] == '\r') --end;
    line = std::string_view(buf_).substr(begin, end - begin);
    return Status::Line;
}

void LineFramer::release_if_empty() {
    if (start_ == buf_.size()) {
        std::string().swap(buf_);
        start_ = scan_ = 0;
    }
}

}  // namespace natter
