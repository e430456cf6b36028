#include "tui/display_width.h"

#include <cwchar>

#include "shared/text.h"

namespace natter::tui {

int codepoint_width(char32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return 1;  // printable ASCII, nearly all chat text
    if (cp == text::kInvalid) return -1;
    return ::wcwidth(static_cast<wchar_t>(cp));
}

int display_width(std::string_view s) {
    int cols = 0;
    for (std::size_t i = 0; i < s.size();) {
        const int w = codepoint_width(text::decode_one(s, i));
        cols += w < 0 ? 1 : w;  // displayable text has none; count them as the U+FFFD they become
    }
    return cols;
}

std::string displayable(std::string_view raw) {
    const std::string safe = text::sanitize_for_terminal(raw);
    std::string out;
    out.reserve(safe.size());
    bool have_base = false;  // a visible character that a following mark can sit on
    for (std::size_t i = 0; i < safe.size();) {
        const auto b = static_cast<unsigned char>(safe[i]);
        if (b < 0x80) {  // sanitize_for_terminal left only printable ASCII below 0x80
            out += static_cast<char>(b);
            ++i;
            have_base = true;
            continue;
        }
        const char32_t cp = text::decode_one(safe, i);
        const int w = codepoint_width(cp);
        if (w < 0) {
            text::append_utf8(out, text::kReplacement);
            have_base = true;
        } else if (w == 0 && !have_base) {
            // A lone mark would merge into whatever the terminal drew before it.
            out += ' ';
            text::append_utf8(out, cp);
            have_base = true;
        } else {
            text::append_utf8(out, cp);
            if (w > 0) have_base = true;
        }
    }
    return out;
}

std::string displayable_lines(std::string_view raw) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = raw.find('\n', start);
        out += displayable(raw.substr(start, nl == std::string_view::npos ? nl : nl - start));
        if (nl == std::string_view::npos) break;
        out += '\n';
        start = nl + 1;
    }
    return out;
}

}  // namespace natter::tui
