#include "shared/text.h"

#include <cstdint>
#include <cstdio>
#include <iterator>

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

// Case folding for the letters a nickname may hold: each code point's lowercase of its uppercase
// (so "ς" and "σ", "ϐ" and "β", "ſ" and "s", "İ", "ı" and "i" fold alike), as the Unicode simple
// case mappings give it. A table here rather than towlower(): natterd must fold the same whatever
// the locale and C library it runs with. Generated from glibc's C.UTF-8 tables; text_test.cpp
// checks it against them for every code point a nickname may hold.
struct FoldRun {
    char32_t first, last;
    std::int32_t delta;
    std::uint8_t step;  // 1: every code point in [first, last]; 2: every other one, from first
};
constexpr FoldRun kFoldRuns[] = {
    {0x0041, 0x005A, 32, 1},
    {0x00C0, 0x00D6, 32, 1},
    {0x00D8, 0x00DE, 32, 1},
    {0x0100, 0x012E, 1, 2},
    {0x0130, 0x0130, -199, 1},
    {0x0131, 0x0131, -200, 1},
    {0x0132, 0x0136, 1, 2},
    {0x0139, 0x0147, 1, 2},
    {0x014A, 0x0176, 1, 2},
    {0x0178, 0x0178, -121, 1},
    {0x0179, 0x017D, 1, 2},
    {0x017F, 0x017F, -268, 1},
    {0x0181, 0x0181, 210, 1},
    {0x0182, 0x0184, 1, 2},
    {0x0186, 0x0186, 206, 1},
    {0x0187, 0x0187, 1, 1},
    {0x0189, 0x018A, 205, 1},
    {0x018B, 0x018B, 1, 1},
    {0x018E, 0x018E, 79, 1},
    {0x018F, 0x018F, 202, 1},
    {0x0190, 0x0190, 203, 1},
    {0x0191, 0x0191, 1, 1},
    {0x0193, 0x0193, 205, 1},
    {0x0194, 0x0194, 207, 1},
    {0x0196, 0x0196, 211, 1},
    {0x0197, 0x0197, 209, 1},
    {0x0198, 0x0198, 1, 1},
    {0x019C, 0x019C, 211, 1},
    {0x019D, 0x019D, 213, 1},
    {0x019F, 0x019F, 214, 1},
    {0x01A0, 0x01A4, 1, 2},
    {0x01A6, 0x01A6, 218, 1},
    {0x01A7, 0x01A7, 1, 1},
    {0x01A9, 0x01A9, 218, 1},
    {0x01AC, 0x01AC, 1, 1},
    {0x01AE, 0x01AE, 218, 1},
    {0x01AF, 0x01AF, 1, 1},
    {0x01B1, 0x01B2, 217, 1},
    {0x01B3, 0x01B5, 1, 2},
    {0x01B7, 0x01B7, 219, 1},
    {0x01B8, 0x01B8, 1, 1},
    {0x01BC, 0x01BC, 1, 1},
    {0x01C4, 0x01C4, 2, 1},
    {0x01C5, 0x01C5, 1, 1},
    {0x01C7, 0x01C7, 2, 1},
    {0x01C8, 0x01C8, 1, 1},
    {0x01CA, 0x01CA, 2, 1},
    {0x01CB, 0x01DB, 1, 2},
    {0x01DE, 0x01EE, 1, 2},
    {0x01F1, 0x01F1, 2, 1},
    {0x01F2, 0x01F4, 1, 2},
    {0x01F6, 0x01F6, -97, 1},
    {0x01F7, 0x01F7, -56, 1},
    {0x01F8, 0x021E, 1, 2},
    {0x0220, 0x0220, -130, 1},
    {0x0222, 0x0232, 1, 2},
    {0x023A, 0x023A, 10795, 1},
    {0x023B, 0x023B, 1, 1},
    {0x023D, 0x023D, -163, 1},
    {0x023E, 0x023E, 10792, 1},
    {0x0241, 0x0241, 1, 1},
    {0x0243, 0x0243, -195, 1},
    {0x0244, 0x0244, 69, 1},
    {0x0245, 0x0245, 71, 1},
    {0x0246, 0x024E, 1, 2},
    {0x0386, 0x0386, 38, 1},
    {0x0388, 0x038A, 37, 1},
    {0x038C, 0x038C, 64, 1},
    {0x038E, 0x038F, 63, 1},
    {0x0391, 0x03A1, 32, 1},
    {0x03A3, 0x03AB, 32, 1},
    {0x03C2, 0x03C2, 1, 1},
    {0x03CF, 0x03CF, 8, 1},
    {0x03D0, 0x03D0, -30, 1},
    {0x03D1, 0x03D1, -25, 1},
    {0x03D5, 0x03D5, -15, 1},
    {0x03D6, 0x03D6, -22, 1},
    {0x03D8, 0x03EE, 1, 2},
    {0x03F0, 0x03F0, -54, 1},
    {0x03F1, 0x03F1, -48, 1},
    {0x03F4, 0x03F4, -60, 1},
    {0x03F5, 0x03F5, -64, 1},
    {0x03F7, 0x03F7, 1, 1},
    {0x03F9, 0x03F9, -7, 1},
    {0x03FA, 0x03FA, 1, 1},
    {0x03FD, 0x03FF, -130, 1},
    {0x0400, 0x040F, 80, 1},
    {0x0410, 0x042F, 32, 1},
    {0x0460, 0x0480, 1, 2},
    {0x048A, 0x04BE, 1, 2},
    {0x04C0, 0x04C0, 15, 1},
    {0x04C1, 0x04CD, 1, 2},
    {0x04D0, 0x052E, 1, 2},
    {0x0531, 0x0556, 48, 1},
    {0x1E00, 0x1E94, 1, 2},
    {0x1E9B, 0x1E9B, -58, 1},
    {0x1E9E, 0x1E9E, -7615, 1},
    {0x1EA0, 0x1EFE, 1, 2}
};

char32_t fold_one(char32_t c) {
    if (c < 0x80) return in(c, 'A', 'Z') ? c + 0x20 : c;
    // The runs are sorted: find the last one starting at or before c.
    const FoldRun* lo = std::begin(kFoldRuns);
    const FoldRun* hi = std::end(kFoldRuns);
    while (hi - lo > 1) {
        const FoldRun* mid = lo + (hi - lo) / 2;
        if (mid->first <= c) lo = mid;
        else hi = mid;
    }
    if (c < lo->first || c > lo->last || (c - lo->first) % lo->step != 0) return c;
    return static_cast<char32_t>(static_cast<std::int32_t>(c) + lo->delta);
}

// Letters (already case-folded) that pass for another: those of other scripts for a Latin letter
// or digit, katakana for the kanji or hiragana drawn the same. Where a letter's capital and small
// forms pass for different Latin letters, the capital wins: Greek "Η", "Μ", "Ν", "Υ" are drawn
// exactly as Latin "H", "M", "N", "Y", while small "η", "μ", "ν", "υ" only resemble "n", "u", "v",
// "u" (both forms fold to the small one, and a nickname must have one identity whatever its case).
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
        case 0x3B5: return 'e';  case 0x3B6: return 'z';  case 0x3B7: return 'h';
        case 0x3B9: return 'l';  case 0x3BA: return 'k';  case 0x3BC: return 'm';
        case 0x3BD: return 'n';  case 0x3BF: return 'o';  case 0x3C1: return 'p';
        case 0x3C4: return 't';  case 0x3C5: return 'y';  case 0x3C7: return 'x';
        case 0x3C9: return 'w';  case 0x3AF: return 'l';  case 0x3CC: return 'o';
        case 0x3F3: return 'j';  case 0x3F2: return 'c';  // yot, lunate sigma
        // Armenian
        case 0x585: return 'o';  case 0x57D: return 'u';  case 0x570: return 'h';
        case 0x578: return 'n';  case 0x581: return 'g';  case 0x566: return 'q';
        // Latin letters and digits that pass for others
        case '0': return 'o';    case '1': return 'l';    case 'i': return 'l';
        case 0x131: return 'l';  // dotless i (folds to i anyway)
        case 0x1C0: return 'l';  // dental click, a bar
        case 0x269: return 'l';  // iota, the fold of capital "Ɩ"
        case 0x237: return 'j';  // dotless j
        case 0x1BF: return 'p';  // wynn
        // Katakana drawn as kanji or hiragana
        case 0x30ED: return 0x53E3;  case 0x30FC: return 0x4E00;  case 0x30A8: return 0x5DE5;
        case 0x30AB: return 0x529B;  case 0x30BF: return 0x5915;  case 0x30CB: return 0x4E8C;
        case 0x30CF: return 0x516B;  case 0x30C8: return 0x535C;  case 0x30D8: return 0x3078;
        case 0x30D9: return 0x3079;  case 0x30DA: return 0x307A;  case 0x3007: return 'o';
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
