#include "tui/key_decoder.h"

#include <curses.h>

#include "shared/text.h"

namespace natter::tui {

static_assert(kKeyPasteBegin > KEY_MAX && kKeyPasteEnd > KEY_MAX, "paste codes must be free");

namespace {

constexpr char32_t ctrl(char c) { return static_cast<char32_t>(c & 0x1F); }

}  // namespace

bool KeyDecoder::code_key(std::uint32_t code, std::vector<Key>& out) const {
    const int k = static_cast<int>(code);
    KeyCode kc;
    switch (k) {
        case KEY_LEFT: kc = KeyCode::Left; break;
        case KEY_RIGHT: kc = KeyCode::Right; break;
        case KEY_UP: kc = KeyCode::Up; break;
        case KEY_DOWN: kc = KeyCode::Down; break;
        case KEY_HOME: kc = KeyCode::Home; break;
        case KEY_END: kc = KeyCode::End; break;
        case KEY_BACKSPACE: kc = KeyCode::Backspace; break;
        case KEY_DC: kc = KeyCode::Delete; break;
        case KEY_PPAGE: kc = KeyCode::PageUp; break;
        case KEY_NPAGE: kc = KeyCode::PageDown; break;
        case KEY_ENTER: kc = KeyCode::Enter; break;
        default:
            if (codes_.ctrl_left && k == codes_.ctrl_left) {
                kc = KeyCode::WordLeft;
            } else if (codes_.ctrl_right && k == codes_.ctrl_right) {
                kc = KeyCode::WordRight;
            } else {
                return false;  // function keys and the like: nothing to do
            }
    }
    out.push_back(Key::of(kc));
    return true;
}

void KeyDecoder::char_key(char32_t c, bool more_follows, std::vector<Key>& out) const {
    switch (c) {
        case ctrl('A'): out.push_back(Key::of(KeyCode::Home)); return;
        case ctrl('E'): out.push_back(Key::of(KeyCode::End)); return;
        case ctrl('B'): out.push_back(Key::of(KeyCode::Left)); return;
        case ctrl('F'): out.push_back(Key::of(KeyCode::Right)); return;
        case ctrl('P'): out.push_back(Key::of(KeyCode::PrevTab)); return;
        case ctrl('N'): out.push_back(Key::of(KeyCode::NextTab)); return;
        case ctrl('U'): out.push_back(Key::of(KeyCode::KillToStart)); return;
        case ctrl('K'): out.push_back(Key::of(KeyCode::KillToEnd)); return;
        case ctrl('W'): out.push_back(Key::of(KeyCode::KillWordBack)); return;
        case ctrl('Y'): out.push_back(Key::of(KeyCode::Yank)); return;
        case ctrl('L'): out.push_back(Key::of(KeyCode::Redraw)); return;
        case ctrl('C'): out.push_back(Key::of(KeyCode::Interrupt)); return;
        case ctrl('D'): out.push_back(Key::of(KeyCode::EndOfInput)); return;
        case ctrl('I'): out.push_back(Key::of(KeyCode::Tab)); return;
        case ctrl('H'):
        case 0x7F: out.push_back(Key::of(KeyCode::Backspace)); return;
        case '\r':
        case '\n':
            // Enter with more input right behind it was not typed by a person: a terminal without
            // bracketed paste is pasting lines. Keep them together instead of sending each.
            out.push_back(Key::of(more_follows ? KeyCode::Newline : KeyCode::Enter));
            return;
        default:
            if (text::is_control(c)) return;  // other controls are not text
            out.push_back(Key::typed(c));
    }
}

std::vector<Key> KeyDecoder::decode(const std::vector<RawKey>& batch) {
    std::vector<Key> out;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const RawKey& r = batch[i];
        const bool more = i + 1 < batch.size();
        if (r.is_code && static_cast<int>(r.value) == kKeyPasteBegin) {
            in_paste_ = true;
            paste_.clear();
            continue;
        }
        if (r.is_code && static_cast<int>(r.value) == kKeyPasteEnd) {
            if (in_paste_ && !paste_.empty()) out.push_back(Key::paste(std::move(paste_)));
            paste_.clear();
            in_paste_ = false;
            continue;
        }
        if (in_paste_) {
            // Inside a paste everything is text; function keys mean nothing here.
            if (!r.is_code && paste_.size() < kMaxPasteBytes) {
                const char32_t c = r.value;
                if (c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF)) text::append_utf8(paste_, c);
            }
            continue;
        }
        if (r.is_code) {
            if (static_cast<int>(r.value) == KEY_MOUSE) {
                if (r.wheel_up) out.push_back(Key::of(KeyCode::WheelUp));
                if (r.wheel_down) out.push_back(Key::of(KeyCode::WheelDown));
                continue;
            }
            code_key(r.value, out);
            continue;
        }
        if (r.value == 0x1B) {
            // ESC then a key in the same burst is Alt+key; ESC alone is Escape, at once.
            if (more && !batch[i + 1].is_code) {
                const char32_t n = batch[i + 1].value;
                ++i;
                if (n == 'b' || n == 'B') out.push_back(Key::of(KeyCode::WordLeft));
                else if (n == 'f' || n == 'F') out.push_back(Key::of(KeyCode::WordRight));
                else if (n == 0x7F || n == ctrl('H')) out.push_back(Key::of(KeyCode::KillWordBack));
                else if (n == 0x1B) out.push_back(Key::of(KeyCode::Escape)), --i;
                else if (n >= '1' && n <= '9') out.push_back(Key::tab_number(static_cast<int>(n - '0')));
                // other Alt keys: nothing
                continue;
            }
            out.push_back(Key::of(KeyCode::Escape));
            continue;
        }
        char_key(r.value, more, out);
    }
    return out;
}

}  // namespace natter::tui
