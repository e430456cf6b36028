#include "server/irc_render.h"

#include <cstdio>
#include <ctime>
#include <type_traits>
#include <utility>
#include <variant>

#include "server/irc_line.h"
#include "server/irc_text.h"
#include "shared/text.h"

namespace natter::server::irc {

namespace {

const Ident& natter_ident() {
    static const Ident ident{"natter", "natter", "natter user"};
    return ident;
}

// Nicknames from the core are valid, so folding them is safe; anything else folds as it is.
std::string fold(std::string_view nick) { return text::fold_case(nick); }

// The core says "quit: lunch"; IRC clients show "Quit: lunch", as every IRC server sends it.
std::string quit_reason(const std::string& reason) {
    if (reason == "quit") return "Quit";
    if (reason.rfind("quit: ", 0) == 0) return "Quit: " + reason.substr(6);
    return reason;
}

}  // namespace

// ---- directory ---------------------------------------------------------------------------------

void Directory::add(std::string_view nick, std::uint64_t id, Ident ident) {
    by_fold_[fold(nick)] = id;
    idents_[id] = std::move(ident);
}

void Directory::rename(std::string_view from, std::string_view to) {
    auto it = by_fold_.find(fold(from));
    if (it == by_fold_.end()) return;
    const std::uint64_t id = it->second;
    by_fold_.erase(it);
    by_fold_[fold(to)] = id;
}

void Directory::remove(std::string_view nick, std::uint64_t id) {
    auto it = by_fold_.find(fold(nick));
    if (it != by_fold_.end() && it->second == id) by_fold_.erase(it);
    if (idents_.count(id) == 0) return;  // never registered
    gone_.push_back(id);
    if (gone_.size() > kMaxGone) {
        idents_.erase(gone_.front());
        gone_.pop_front();
    }
}

bool Directory::is_irc(std::string_view nick) const { return by_fold_.count(fold(nick)) != 0; }

const Ident& Directory::ident(std::string_view nick) const {
    auto it = by_fold_.find(fold(nick));
    return it == by_fold_.end() ? natter_ident() : idents_.at(it->second);
}

const Ident& Directory::ident_of(std::uint64_t id) const {
    auto it = idents_.find(id);
    return it == idents_.end() ? natter_ident() : it->second;
}

std::string Directory::prefix(std::string_view nick) const {
    const Ident& i = ident(nick);
    std::string p(nick);
    p += '!';
    p += i.user;
    p += '@';
    p += i.host;
    return p;
}

// ---- lines -------------------------------------------------------------------------------------

std::string privmsg_lines(std::string_view prefix, std::string_view target, std::string_view text,
                          bool action, std::string_view tags, bool notice, Overflow overflow) {
    // ":prefix PRIVMSG target :" (NOTICE is one shorter) and CRLF, plus "\x01ACTION " and "\x01"
    // for an action.
    const std::size_t overhead = 1 + prefix.size() + 9 + target.size() + 2 + 2 + (action ? 9 : 0);
    const char* command = notice ? "NOTICE" : "PRIVMSG";
    const std::size_t room = kMaxLineBytes > overhead ? kMaxLineBytes - overhead : 0;
    std::vector<std::string> pieces;
    if (overflow == Overflow::Cut && text.find('\n') == std::string_view::npos)
        pieces.emplace_back(utf8_prefix(text, room));
    else
        pieces = split_for_irc(text, room);
    std::string out;
    for (const std::string& piece : pieces) {
        const std::string body = action ? "\x01" "ACTION " + piece + "\x01" : piece;
        out += format_line(prefix, command, {std::string(target), body}, true, tags);
    }
    return out;
}

std::string mode_line(const ModeChange& m, const Directory& dir) { return mode_line(std::vector<ModeChange>{m}, dir); }

std::string mode_line(const std::vector<ModeChange>& changes, const Directory& dir) {
    if (changes.empty()) return {};
    std::string modes;
    std::vector<std::string> args;
    char sign = 0;
    for (const ModeChange& m : changes) {
        if (sign != (m.on ? '+' : '-')) {
            sign = m.on ? '+' : '-';
            modes += sign;
        }
        modes += m.mode;
        if (!m.nick.empty()) args.push_back(m.nick);
    }
    std::vector<std::string> params{changes[0].room, modes};
    params.insert(params.end(), args.begin(), args.end());
    return format_line(dir.prefix(changes[0].by), "MODE", params, false);
}

std::string error_line(std::string_view reason) {
    return format_line({}, "ERROR", {"Closing link: " + std::string(reason)});
}

std::string ping_line(const Config& config) { return format_line({}, "PING", {config.server_name}); }

std::string server_time(std::uint64_t unix_ms) {
    const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
    return buf;
}

std::string human_time(std::uint64_t unix_ms) {
    const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[80];
    std::strftime(buf, sizeof buf, "%a %b %d %Y %H:%M:%S UTC", &tm);
    return buf;
}

std::string with_time_tag(std::string_view lines, std::uint64_t unix_ms) {
    const std::string tag = "@time=" + server_time(unix_ms) + " ";
    std::string out;
    out.reserve(lines.size() + tag.size() * 2);
    std::size_t start = 0;
    while (start < lines.size()) {
        std::size_t end = lines.find('\n', start);
        end = end == std::string_view::npos ? lines.size() : end + 1;
        out += tag;
        out += lines.substr(start, end - start);
        start = end;
    }
    return out;
}

namespace {
template <class T, class = void>
struct HasTime : std::false_type {};
template <class T>
struct HasTime<T, std::void_t<decltype(std::declval<T>().ts)>> : std::true_type {};
}  // namespace

std::uint64_t message_time(const Message& msg) {
    return std::visit(
        [](const auto& m) -> std::uint64_t {
            if constexpr (HasTime<std::decay_t<decltype(m)>>::value) return m.ts;
            else return 0;
        },
        msg);
}

namespace {
// An IRC user's message was one line when sent: it stays one.
Overflow overflow_of(const std::string& from, const Directory& dir) {
    return dir.is_irc(from) ? Overflow::Cut : Overflow::Split;
}
}  // namespace

std::string render_shared(const Message& msg, const Directory& dir, const Config& config) {
    return std::visit(
        [&](const auto& m) -> std::string {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, GroupMessage>) {
                return privmsg_lines(dir.prefix(m.from), m.room, m.text, false, {}, m.notice, overflow_of(m.from, dir));
            } else if constexpr (std::is_same_v<T, Action>) {
                return privmsg_lines(dir.prefix(m.from), m.room, m.text, true, {}, false, overflow_of(m.from, dir));
            } else if constexpr (std::is_same_v<T, PrivateMessage>) {
                return privmsg_lines(dir.prefix(m.from), m.to, m.text, false, {}, m.notice, overflow_of(m.from, dir));
            } else if constexpr (std::is_same_v<T, Joined>) {
                return format_line(dir.prefix(m.nick), "JOIN", {m.room}, false);
            } else if constexpr (std::is_same_v<T, Left>) {
                if (!m.by.empty()) return format_line(dir.prefix(m.by), "KICK", {m.room, m.nick, m.reason});
                if (m.room.empty()) return format_line(dir.prefix(m.nick), "QUIT", {quit_reason(m.reason)});
                if (m.reason.empty()) return format_line(dir.prefix(m.nick), "PART", {m.room}, false);
                return format_line(dir.prefix(m.nick), "PART", {m.room, m.reason});
            } else if constexpr (std::is_same_v<T, Renamed>) {
                return format_line(dir.prefix(m.from), "NICK", {m.to});
            } else if constexpr (std::is_same_v<T, Topic>) {
                const std::string who = m.by.empty() ? config.server_name : dir.prefix(m.by);
                return format_line(who, "TOPIC", {m.room, m.text});
            } else {
                return std::string();
            }
        },
        msg);
}

}  // namespace natter::server::irc
