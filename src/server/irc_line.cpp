#include "server/irc_line.h"

#include <algorithm>

namespace natter::server::irc {

namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A command is letters only, or exactly three digits (a numeric).
bool valid_command(std::string_view c) {
    if (c.empty()) return false;
    if (c.size() == 3 && is_digit(c[0]) && is_digit(c[1]) && is_digit(c[2])) return true;
    for (char ch : c)
        if (!is_letter(ch)) return false;
    return true;
}

std::string unescape_tag_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '\\') {
            out += v[i];
            continue;
        }
        if (++i == v.size()) break;  // a lone trailing backslash is dropped
        switch (v[i]) {
        case ':': out += ';'; break;
        case 's': out += ' '; break;
        case '\\': out += '\\'; break;
        case 'r': out += '\r'; break;
        case 'n': out += '\n'; break;
        default: out += v[i]; break;  // unknown escapes stand for the character itself
        }
    }
    return out;
}

void parse_tags(std::string_view raw, Line& line) {
    std::size_t i = 0;
    while (i <= raw.size()) {
        std::size_t end = raw.find(';', i);
        if (end == std::string_view::npos) end = raw.size();
        const std::string_view tag = raw.substr(i, end - i);
        if (!tag.empty()) {
            const auto eq = tag.find('=');
            if (eq == std::string_view::npos) line.tags.emplace_back(std::string(tag), std::string());
            else line.tags.emplace_back(std::string(tag.substr(0, eq)), unescape_tag_value(tag.substr(eq + 1)));
        }
        i = end + 1;
    }
}

// Takes the next space-delimited word from `rest`, skipping spaces before it.
std::string_view next_word(std::string_view& rest) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    const auto end = rest.find(' ');
    const std::string_view word = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return word;
}

// Replaces what may never appear inside a line.
void append_clean(std::string& out, std::string_view s, bool middle) {
    for (char c : s) {
        // In a middle parameter (or the prefix, or the command) a space would end it early.
        if (c == '\r' || c == '\n' || c == '\0' || (middle && c == ' ')) out += middle ? '_' : ' ';
        else out += c;
    }
}

// The longest prefix of s[0, limit) that ends on a UTF-8 code point boundary.
std::size_t utf8_cut(std::string_view s, std::size_t limit) {
    if (limit >= s.size()) return s.size();
    std::size_t cut = limit;
    // Back up over continuation bytes (10xxxxxx) to the start of the cut code point.
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return cut;
}

}  // namespace

Parsed parse_line(std::string_view rest) {
    Line line;
    if (rest.find_first_not_of(' ') == std::string_view::npos) return ParseError::Empty;
    if (!rest.empty() && rest[0] == '@') {
        rest.remove_prefix(1);
        parse_tags(next_word(rest), line);
    }
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    if (!rest.empty() && rest[0] == ':') {
        rest.remove_prefix(1);
        line.prefix = std::string(next_word(rest));
    }
    const std::string_view command = next_word(rest);
    if (command.empty()) return ParseError::NoCommand;
    if (!valid_command(command)) return ParseError::BadCommand;
    line.command = ascii_upper(command);
    for (;;) {
        const auto start = rest.find_first_not_of(' ');
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        if (rest[0] == ':' || line.params.size() + 1 == kMaxParams) {
            if (rest[0] == ':') rest.remove_prefix(1);
            line.params.emplace_back(rest);
            break;
        }
        line.params.emplace_back(next_word(rest));
    }
    return line;
}

std::string format_line(std::string_view prefix, std::string_view command,
                        const std::vector<std::string>& params, bool force_trailing,
                        std::string_view tags) {
    std::string out;
    if (!tags.empty()) {
        out += '@';
        append_clean(out, tags, true);
        out += ' ';
    }
    const std::size_t body_start = out.size();
    if (!prefix.empty()) {
        out += ':';
        append_clean(out, prefix, true);
        out += ' ';
    }
    append_clean(out, command, true);
    for (std::size_t i = 0; i < params.size(); ++i) {
        out += ' ';
        const std::string& p = params[i];
        const bool last = i + 1 == params.size();
        const bool trailing = last && (force_trailing || p.empty() || p[0] == ':' ||
                                       p.find(' ') != std::string::npos);
        if (trailing) {
            out += ':';
            // Cut the trailing parameter so that the whole line, CRLF included, fits.
            const std::size_t room = kMaxLineBytes - 2 > out.size() - body_start
                                         ? kMaxLineBytes - 2 - (out.size() - body_start)
                                         : 0;
            std::string clean;
            append_clean(clean, p, false);
            out.append(clean, 0, utf8_cut(clean, room));
        } else {
            // A middle parameter may not be empty or start with ':'.
            if (p.empty() || p[0] == ':') out += '*';
            append_clean(out, p, true);
        }
    }
    if (out.size() - body_start > kMaxLineBytes - 2) out.resize(body_start + utf8_cut(std::string_view(out).substr(body_start), kMaxLineBytes - 2));
    out += "\r\n";
    return out;
}

std::string escape_tag_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case ';': out += "\\:"; break;
        case ' ': out += "\\s"; break;
        case '\\': out += "\\\\"; break;
        case '\r': out += "\\r"; break;
        case '\n': out += "\\n"; break;
        case '\0': break;
        default: out += c; break;
        }
    }
    return out;
}

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t end = s.find(',', i);
        if (end == std::string_view::npos) end = s.size();
        if (end > i) out.emplace_back(s.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

// ---- framing -----------------------------------------------------------------------------------

namespace {

// A line (without its line end) within the limits: 510 bytes after the tags, and the tags (with
// their '@' and the space after them) within their allowance.
bool within_limits(std::string_view line) {
    std::size_t tags = 0;
    if (!line.empty() && line[0] == '@') {
        const auto space = line.find(' ');
        tags = space == std::string_view::npos ? line.size() : space + 1;
        if (tags > kMaxClientTagBytes) return false;
    }
    return line.size() - tags <= kMaxLineBytes - 2;
}

}  // namespace

Framer::Status Framer::next(std::string_view& line) {
    for (;;) {
        if (pending_at_ < pending_.size()) {
            // The rest of a line split at lone CRs.
            std::size_t end = pending_.find('\r', pending_at_);
            if (end == std::string::npos) end = pending_.size();
            line = std::string_view(pending_).substr(pending_at_, end - pending_at_);
            pending_at_ = end + 1;
            if (line.empty()) continue;
            return within_limits(line) ? Status::Line : Status::TooLong;
        }
        pending_.clear();
        pending_at_ = 0;
        std::string_view got;
        switch (lines_.next(got)) {
        case LineFramer::Status::NeedMore:
            return Status::NeedMore;
        case LineFramer::Status::TooLong:
            return Status::TooLong;
        case LineFramer::Status::Line:
            break;
        }
        if (got.find('\r') != std::string_view::npos) {
            pending_.assign(got);
            continue;
        }
        if (got.empty()) continue;  // blank lines are allowed and mean nothing
        line = got;
        return within_limits(line) ? Status::Line : Status::TooLong;
    }
}

void Framer::release_if_empty() {
    lines_.release_if_empty();
    if (pending_at_ >= pending_.size()) {
        std::string().swap(pending_);
        pending_at_ = 0;
    }
}

}  // namespace natter::server::irc
