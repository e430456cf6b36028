#include "bench/wire_scan.h"

#include <charconv>

namespace natter::bench {

namespace {

constexpr std::string_view kStampTag = "nb|";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Position of the value of "key" (after the colon and any spaces), or npos. A quoted key followed
// by a colon can only be a real key: inside a JSON string every quote is escaped.
std::size_t value_of(std::string_view line, std::string_view key) {
    std::size_t from = 0;
    while (true) {
        const std::size_t at = line.find(key, from);
        if (at == std::string_view::npos) return at;
        from = at + 1;
        if (at == 0 || line[at - 1] != '"' || at + key.size() >= line.size() ||
            line[at + key.size()] != '"')
            continue;
        std::size_t i = at + key.size() + 1;
        while (i < line.size() && is_space(line[i])) ++i;
        if (i >= line.size() || line[i] != ':') continue;
        ++i;
        while (i < line.size() && is_space(line[i])) ++i;
        return i;
    }
}

template <class T>
bool parse_until_bar(std::string_view s, std::size_t& i, T& out) {
    const char* begin = s.data() + i;
    const char* end = s.data() + s.size();
    const auto r = std::from_chars(begin, end, out);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != '|') return false;
    i = static_cast<std::size_t>(r.ptr - s.data()) + 1;
    return true;
}

}  // namespace

LineType line_type(std::string_view line) {
    const std::size_t v = value_of(line, "type");
    if (v == std::string_view::npos || v >= line.size() || line[v] != '"') return LineType::Other;
    const std::size_t end = line.find('"', v + 1);
    if (end == std::string_view::npos) return LineType::Other;
    const std::string_view type = line.substr(v + 1, end - v - 1);
    if (type == "message") return LineType::Message;
    if (type == "joined") return LineType::Joined;
    if (type == "left") return LineType::Left;
    if (type == "users") return LineType::Users;
    if (type == "welcome") return LineType::Welcome;
    if (type == "error") return LineType::Error;
    if (type == "ping") return LineType::Ping;
    if (type == "bye") return LineType::Bye;
    return LineType::Other;
}

std::optional<Stamp> find_stamp(std::string_view line) {
    // The stamp opens the text, so it follows a quote: `"nb|`. Nicknames cannot hold '|'.
    std::size_t at = 0;
    while (true) {
        at = line.find(kStampTag, at);
        if (at == std::string_view::npos) return std::nullopt;
        if (at > 0 && line[at - 1] == '"') break;
        ++at;
    }
    std::size_t i = at + kStampTag.size();
    Stamp s;
    if (!parse_until_bar(line, i, s.send_ns) || !parse_until_bar(line, i, s.sender) ||
        !parse_until_bar(line, i, s.seq))
        return std::nullopt;
    return s;
}

namespace {

template <class T>
void append_number(std::string& out, T v) {
    char buf[24];  // 20 digits for 2^64
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Appends the stamp and its padding. Digits, '|' and 'x' only: nothing to escape in JSON.
void append_text(std::string& out, const Stamp& stamp, std::size_t text_bytes) {
    const std::size_t start = out.size();
    out.append(kStampTag);
    append_number(out, stamp.send_ns);
    out += '|';
    append_number(out, stamp.sender);
    out += '|';
    append_number(out, stamp.seq);
    out += '|';
    const std::size_t n = out.size() - start;
    if (text_bytes > n) out.append(text_bytes - n, 'x');
}

}  // namespace

std::string stamp_text(const Stamp& stamp, std::size_t text_bytes) {
    std::string out;
    append_text(out, stamp, text_bytes);
    return out;
}

void append_say_line(std::string& out, const Stamp& stamp, std::size_t text_bytes) {
    out += "{\"type\": \"say\",\"text\": \"";
    append_text(out, stamp, text_bytes);
    out += "\"}\n";
}

std::string say_line(const Stamp& stamp, std::size_t text_bytes) {
    std::string out;
    append_say_line(out, stamp, text_bytes);
    return out;
}

bool users_more(std::string_view line) {
    const std::size_t v = value_of(line, "more");
    return v != std::string_view::npos && line.compare(v, 4, "true") == 0;
}

std::optional<std::string_view> raw_string_field(std::string_view line, std::string_view key) {
    const std::size_t v = value_of(line, key);
    if (v == std::string_view::npos || v >= line.size() || line[v] != '"') return std::nullopt;
    std::size_t j = v + 1;
    while (j < line.size() && line[j] != '"') j += line[j] == '\\' ? 2 : 1;
    if (j >= line.size()) return std::nullopt;
    return line.substr(v, j + 1 - v);
}

}  // namespace natter::bench
