#include "server/irc_text.h"

#include "shared/text.h"

namespace natter::server::irc {

namespace {

constexpr char kCtcpDelim = '\x01';

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Skips up to `max` characters accepted by `ok` at s[i].
template <class Pred>
std::size_t skip(std::string_view s, std::size_t i, std::size_t max, Pred ok) {
    for (std::size_t n = 0; n < max && i < s.size() && ok(s[i]); ++n) ++i;
    return i;
}

// After "\x03" or "\x04": the colour numbers (fg[,bg]) that belong to the code.
std::size_t skip_colour(std::string_view s, std::size_t i, bool hex) {
    const std::size_t width = hex ? 6 : 2;
    auto ok = hex ? is_hex : is_digit;
    const std::size_t after_fg = skip(s, i, width, ok);
    if (after_fg == i) return i;  // a bare colour code: resets colours
    if (after_fg + 1 < s.size() && s[after_fg] == ',' && ok(s[after_fg + 1]))
        return skip(s, after_fg + 1, width, ok);
    return after_fg;
}

}  // namespace

std::string text_from_irc(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        const char b = raw[i];
        switch (b) {
        case '\x02': case '\x0f': case '\x11': case '\x16': case '\x1d': case '\x1e': case '\x1f':
        case kCtcpDelim:
            ++i;
            continue;
        case '\x03':
            i = skip_colour(raw, i + 1, false);
            continue;
        case '\x04':
            i = skip_colour(raw, i + 1, true);
            continue;
        default:
            break;
        }
        const std::size_t start = i;
        const char32_t cp = text::decode_one(raw, i);
        if (cp == text::kInvalid) text::append_utf8(out, text::kReplacement);
        else if (cp == '\t' || !text::is_control(cp)) out.append(raw.substr(start, i - start));
    }
    return out;
}

Ctcp parse_ctcp(std::string_view raw) {
    Ctcp c;
    if (raw.empty() || raw[0] != kCtcpDelim) return c;
    c.is_ctcp = true;
    raw.remove_prefix(1);
    const auto end = raw.find(kCtcpDelim);
    if (end != std::string_view::npos) raw = raw.substr(0, end);
    const auto space = raw.find(' ');
    for (char ch : raw.substr(0, space))
        c.command += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    if (space != std::string_view::npos) c.argument = std::string(raw.substr(space + 1));
    return c;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

std::vector<std::string> split_for_irc(std::string_view text, std::size_t max_bytes) {
    // Any code point fits in four bytes: a smaller budget could never make progress.
    if (max_bytes < 4) max_bytes = 4;
    std::vector<std::string> pieces;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t nl = text.find('\n', i);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(i, nl - i);
        i = nl + 1;
        while (!line.empty()) {
            std::string_view piece = utf8_prefix(line, max_bytes);
            std::size_t consumed = piece.size();
            if (piece.size() < line.size()) {
                const auto space = piece.rfind(' ');
                if (space != std::string_view::npos && space >= piece.size() / 2 && space > 0) {
                    piece = piece.substr(0, space);
                    consumed = space + 1;  // the space itself becomes the line break
                }
            }
            if (piece.find_first_not_of(' ') != std::string_view::npos) pieces.emplace_back(piece);
            line.remove_prefix(consumed);
        }
    }
    return pieces;
}

std::string clean_username(std::string_view raw, std::size_t max_bytes) {
    std::string out;
    for (char c : raw) {
        if (out.size() == max_bytes) break;
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
                        c == '_' || c == '.';
        if (ok) out += c;
    }
    return out;
}

std::string clean_realname(std::string_view raw, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < raw.size();) {
        const std::size_t start = i;
        const char32_t cp = text::decode_one(raw, i);
        if (cp == text::kInvalid || text::is_control(cp) || text::is_format(cp)) continue;
        if (out.size() + (i - start) > max_bytes) break;
        out.append(raw.substr(start, i - start));
    }
    return out;
}

namespace {
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out.push_back(text::decode_one(s, i));
    return out;
}
}  // namespace

bool has_wildcards(std::string_view mask) { return mask.find_first_of("*?") != std::string_view::npos; }

bool mask_matches(std::string_view mask_bytes, std::string_view s_bytes) {
    const std::u32string mask = code_points(mask_bytes);
    const std::u32string s = code_points(s_bytes);
    // The classic greedy match with one backtrack point (the last '*'): linear in practice and
    // never worse than |mask| x |s|, so a hostile mask cannot make it explode.
    std::size_t m = 0, i = 0, star = std::u32string::npos, resume = 0;
    while (i < s.size()) {
        if (m < mask.size() && (mask[m] == U'?' || mask[m] == s[i])) {
            ++m;
            ++i;
        } else if (m < mask.size() && mask[m] == U'*') {
            star = m++;
            resume = i;
        } else if (star != std::u32string::npos) {
            m = star + 1;
            i = ++resume;
        } else {
            return false;
        }
    }
    while (m < mask.size() && mask[m] == U'*') ++m;
    return m == mask.size();
}

}  // namespace natter::server::irc
