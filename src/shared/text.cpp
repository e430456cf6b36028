#include "shared/text.h"

#include <cstdio>

#include "shared/protocol.h"

namespace natter::text {

char32_t decode_one(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len;
    char32_t cp;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        ++i;
        return kInvalid;
    }
    if (i + len > s.size()) {
        ++i;
        return kInvalid;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return kInvalid;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalid;
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Fast path for ASCII runs, which is nearly all chat traffic.
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        if (decode_one(s, i) == kInvalid) return false;
    }
    return true;
}

std::size_t codepoint_count(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        decode_one(s, i);
        ++n;
    }
    return n;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool is_format(char32_t cp) {
    return cp == 0x00AD ||                    // soft hyphen
           cp == 0x034F ||                    // combining grapheme joiner
           cp == 0x061C ||                    // Arabic letter mark
           cp == 0x115F || cp == 0x1160 ||    // Hangul fillers (invisible)
           cp == 0x17B4 || cp == 0x17B5 ||    // Khmer invisible vowels
           cp == 0x180E ||                    // Mongolian vowel separator
           (cp >= 0x200B && cp <= 0x200F) ||  // zero-width space/joiners, LRM, RLM
           (cp >= 0x2028 && cp <= 0x202E) ||  // line/paragraph separators, bidi embed/override
           (cp >= 0x2060 && cp <= 0x206F) ||  // word joiner, invisible operators, isolates
           cp == 0x3164 || cp == 0xFFA0 ||    // Hangul fillers
           cp == 0xFEFF ||                    // BOM / zero-width no-break space
           (cp >= 0xFFF9 && cp <= 0xFFFB) ||  // interlinear annotation
           (cp >= 0xE0000 && cp <= 0xE007F);  // tags
}

std::optional<std::string> text_problem(std::string_view text) {
    if (text.empty()) return "the text is empty";
    if (text.size() > kMaxTextBytes)
        return "the text is longer than " + std::to_string(kMaxTextBytes) + " bytes";
    bool visible = false;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = decode_one(text, i);
        if (cp == kInvalid) return "the text is not valid UTF-8";
        if (cp == '\n' || cp == '\t' || cp == ' ') continue;
        if (is_control(cp)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "control character U+%04X is not allowed in text",
                          static_cast<unsigned>(cp));
            return std::string(buf);
        }
        visible = true;
    }
    if (!visible) return "the text is blank";
    return std::nullopt;
}

namespace {

enum class Script { Common, Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Thai,
                    Hangul, Cjk, Mark, None };

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

// Which script a code point that may appear in a nickname belongs to; None when it may not.
// Marks (Devanagari and Thai vowel signs) belong to their script but cannot start a nickname.
Script script_of(char32_t cp) {
    if (in(cp, '0', '9') || cp == '_' || cp == '-' || cp == '.') return Script::Common;
    if (in(cp, 'A', 'Z') || in(cp, 'a', 'z') || in(cp, 0xC0, 0xD6) || in(cp, 0xD8, 0xF6) ||
        in(cp, 0xF8, 0x24F) || in(cp, 0x1E00, 0x1EFF))
        return Script::Latin;
    if (cp == 0x386 || in(cp, 0x388, 0x38A) || cp == 0x38C || in(cp, 0x38E, 0x3A1) ||
        in(cp, 0x3A3, 0x3FF))
        return Script::Greek;
    if (in(cp, 0x400, 0x481) || in(cp, 0x48A, 0x52F)) return Script::Cyrillic;
    if (in(cp, 0x531, 0x556) || in(cp, 0x561, 0x587)) return Script::Armenian;
    if (in(cp, 0x5D0, 0x5EA)) return Script::Hebrew;
    if (in(cp, 0x620, 0x64A) || in(cp, 0x671, 0x6D3)) return Script::Arabic;
    if (in(cp, 0x904, 0x939) || in(cp, 0x950, 0x950) || in(cp, 0x958, 0x961) ||
        in(cp, 0x972, 0x97F))
        return Script::Devanagari;
    if (in(cp, 0x900, 0x903) || in(cp, 0x93A, 0x94F) || in(cp, 0x951, 0x957) ||
        in(cp, 0x962, 0x963))
        return Script::Mark;  // Devanagari signs; checked against the letters around them
    if (in(cp, 0xE01, 0xE30) || in(cp, 0xE32, 0xE33) || in(cp, 0xE40, 0xE46)) return Script::Thai;
    if (cp == 0xE31 || in(cp, 0xE34, 0xE3A) || in(cp, 0xE47, 0xE4E)) return Script::Mark;
    if (in(cp, 0xAC00, 0xD7A3) || in(cp, 0x1100, 0x115E) || in(cp, 0x1161, 0x11FF) ||
        in(cp, 0x3131, 0x318E))
        return Script::Hangul;
    if (in(cp, 0x4E00, 0x9FFF) || in(cp, 0x3400, 0x4DBF) || in(cp, 0x20000, 0x2A6DF) ||
        in(cp, 0x2A700, 0x2EBEF) || in(cp, 0xF900, 0xFAFF) || in(cp, 0x3041, 0x3096) ||
        in(cp, 0x309D, 0x309F) || in(cp, 0x30A1, 0x30FA) || in(cp, 0x30FC, 0x30FF) ||
        in(cp, 0x31F0, 0x31FF) || cp == 0x3005 || cp == 0x3007)
        return Script::Cjk;
    return Script::None;
}

// The script a mark attaches to, so a Thai vowel sign cannot sit in a Devanagari nickname.
Script mark_script(char32_t cp) { return cp < 0xE00 ? Script::Devanagari : Script::Thai; }

std::string hex(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

char32_t fold_one(char32_t c) {
    if (in(c, 'A', 'Z')) return c + 0x20;
    if (c < 0x80) return c;
    if ((in(c, 0xC0, 0xD6) || in(c, 0xD8, 0xDE))) return c + 0x20;
    if (in(c, 0x100, 0x137) || in(c, 0x14A, 0x177)) return c | 1;
    if (in(c, 0x139, 0x148) || in(c, 0x179, 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    if (in(c, 0x391, 0x3A1) || in(c, 0x3A3, 0x3AB)) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (in(c, 0x388, 0x38A)) return c + 37;
    if (c == 0x38C) return 0x3CC;
    if (in(c, 0x38E, 0x38F)) return c + 63;
    if (c == 0x3C2) return 0x3C3;  // final sigma
    if (in(c, 0x410, 0x42F)) return c + 0x20;
    if (in(c, 0x400, 0x40F)) return c + 0x50;
    if (in(c, 0x460, 0x481) || in(c, 0x48A, 0x4BF) || in(c, 0x4D0, 0x52F)) return c | 1;
    if (in(c, 0x4C1, 0x4CE)) return (c & 1) ? c + 1 : c;
    if (c == 0x4C0) return 0x4CF;
    if (in(c, 0x531, 0x556)) return c + 0x30;
    if (in(c, 0x1E00, 0x1E95) || in(c, 0x1EA0, 0x1EFF)) return c | 1;
    return c;
}

// Letters of other scripts (already case-folded) that pass for a Latin letter or digit.
char32_t latin_lookalike(char32_t c) {
    switch (c) {
        // Cyrillic
        case 0x430: return 'a';  case 0x432: return 'b';  case 0x433: return 'r';
        case 0x435: return 'e';  case 0x451: return 'e';  case 0x43A: return 'k';
        case 0x43C: return 'm';  case 0x43D: return 'h';  case 0x43E: return 'o';
        case 0x43F: return 'n';  case 0x440: return 'p';  case 0x441: return 'c';
        case 0x442: return 't';  case 0x443: return 'y';  case 0x445: return 'x';
        case 0x44C: return 'b';  case 0x455: return 's';  case 0x456: return 'l';
        case 0x457: return 'l';  case 0x458: return 'j';  case 0x4BB: return 'h';
        case 0x4CF: return 'l';  case 0x501: return 'd';  case 0x51B: return 'q';
        case 0x51D: return 'w';  case 0x4AF: return 'y';  case 0x491: return 'r';
        // Greek
        case 0x3B1: return 'a';  case 0x3B2: return 'b';  case 0x3B3: return 'y';
        case 0x3B5: return 'e';  case 0x3B6: return 'z';  case 0x3B7: return 'n';
        case 0x3B9: return 'l';  case 0x3BA: return 'k';  case 0x3BC: return 'u';
        case 0x3BD: return 'v';  case 0x3BF: return 'o';  case 0x3C1: return 'p';
        case 0x3C4: return 't';  case 0x3C5: return 'u';  case 0x3C7: return 'x';
        case 0x3C9: return 'w';  case 0x3AF: return 'l';  case 0x3CC: return 'o';
        // Latin and digits that pass for one another
        case '0': return 'o';    case '1': return 'l';    case 'i': return 'l';
        case 0x131: return 'l';  // dotless i
        default: return c;
    }
}

}  // namespace

namespace {

// The rule nicknames and room names share. `what` names the thing in messages ("nickname");
// `digit_first` lets it start with an ASCII digit (room names such as #2026-plans).
std::optional<std::string> name_problem(std::string_view name, const std::string& what,
                                        std::size_t max_codepoints, std::size_t max_bytes,
                                        bool digit_first) {
    if (name.empty()) return "the " + what + " is empty";
    if (name.size() > max_bytes || !valid_utf8(name) || codepoint_count(name) > max_codepoints) {
        if (!valid_utf8(name)) return "the " + what + " is not valid UTF-8";
        return "the " + what + " is longer than " + std::to_string(max_codepoints) + " characters";
    }
    Script script = Script::Common;
    bool first = true;
    for (std::size_t i = 0; i < name.size();) {
        const char32_t cp = decode_one(name, i);
        Script s = script_of(cp);
        if (s == Script::None) {
            if (cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A))
                return "a " + what + " cannot contain spaces";
            if (is_control(cp)) return "control character " + hex(cp) + " is not allowed in a " + what;
            if (is_format(cp)) return "invisible character " + hex(cp) + " is not allowed in a " + what;
            if (in(cp, 0x300, 0x36F) || in(cp, 0x1AB0, 0x1AFF) || in(cp, 0x20D0, 0x20FF))
                return "combining character " + hex(cp) + " is not allowed in a " + what;
            return "character " + hex(cp) + " is not allowed in a " + what;
        }
        const bool digit = cp >= '0' && cp <= '9';
        if (first && (s == Script::Mark || (s == Script::Common && cp != '_' && !(digit_first && digit))))
            return "a " + what + (digit_first ? " must start with a letter, a digit or _" : " must start with a letter or _");
        first = false;
        if (s == Script::Mark) s = mark_script(cp);
        if (s == Script::Common) continue;
        if (script == Script::Common) {
            script = s;
        } else if (s != script) {
            return "a " + what + " cannot mix letters of different scripts (" + hex(cp) + ")";
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> nick_problem(std::string_view nick) {
    return name_problem(nick, "nickname", kMaxNickCodepoints, kMaxNickBytes, false);
}

std::optional<std::string> room_problem(std::string_view room) {
    if (room.empty()) return "the room name is empty";
    if (room[0] != '#') return "a room name starts with #";
    if (room.size() == 1) return "the room name is empty after #";
    if (valid_utf8(room) && (room.size() > kMaxRoomBytes || codepoint_count(room) > kMaxRoomCodepoints))
        return "the room name is longer than " + std::to_string(kMaxRoomCodepoints) + " characters";
    // The '#' is one code point and one byte of the limits.
    return name_problem(room.substr(1), "room name", kMaxRoomCodepoints - 1, kMaxRoomBytes - 1, true);
}

std::string fold_case(std::string_view nick) {
    std::string out;
    out.reserve(nick.size());
    for (std::size_t i = 0; i < nick.size();) {
        const char32_t cp = decode_one(nick, i);
        if (cp == kInvalid) continue;
        append_utf8(out, fold_one(cp));
    }
    return out;
}

std::string nick_skeleton(std::string_view nick) {
    std::string mapped;
    mapped.reserve(nick.size());
    for (std::size_t i = 0; i < nick.size();) {
        const char32_t cp = decode_one(nick, i);
        if (cp == kInvalid) continue;
        append_utf8(mapped, latin_lookalike(fold_one(cp)));
    }
    std::string out;
    out.reserve(mapped.size());
    for (std::size_t i = 0; i < mapped.size(); ++i) {
        if (mapped[i] == 'r' && i + 1 < mapped.size() && mapped[i + 1] == 'n') {
            out += 'm';
            ++i;
        } else {
            out += mapped[i];
        }
    }
    return out;
}

std::string room_key(std::string_view room) { return nick_skeleton(room); }

std::string sanitize_for_terminal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b < 0x7F) {  // printable ASCII, the common case
            out += static_cast<char>(b);
            ++i;
            continue;
        }
        const char32_t cp = decode_one(s, i);
        if (cp == kInvalid) {
            append_utf8(out, kReplacement);
        } else if (cp == '\t') {
            out += ' ';
        } else if (cp < 0x20) {
            append_utf8(out, 0x2400 + cp);  // Control Pictures: ESC shows as U+241B
        } else if (cp == 0x7F) {
            append_utf8(out, 0x2421);
        } else if (is_control(cp) || is_format(cp)) {
            append_utf8(out, kReplacement);
        } else {
            append_utf8(out, cp);
        }
    }
    return out;
}

}  // namespace natter::text
