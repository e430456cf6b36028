// Turns what ncurses' wget_wch returns into keys: control characters to editing keys, ESC + a
// letter or digit to Alt keys, bracketed paste (ESC[200~ ... ESC[201~, which ncurses does not know, so
// the terminal layer defines those two sequences as the key codes below) into one Paste key, and
// Enter inside a burst of input into a line break. Pure: tests feed it what wget_wch would return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tui/keys.h"

namespace natter::tui {

// Key codes of our own for the start and end of a bracketed paste (above ncurses' KEY_MAX).
constexpr int kKeyPasteBegin = 01000;  // 512; ncurses' KEY_MAX is 0777
constexpr int kKeyPasteEnd = 01001;

// What one wget_wch call returned.
struct RawKey {
    bool is_code = false;  // a KEY_* code (KEY_CODE_YES) rather than a character
    std::uint32_t value = 0;
    bool wheel_up = false;    // for KEY_MOUSE: the wheel turned
    bool wheel_down = false;
    static RawKey ch(char32_t c) { return RawKey{false, static_cast<std::uint32_t>(c), false, false}; }
    static RawKey code(int k) { return RawKey{true, static_cast<std::uint32_t>(k), false, false}; }
};

// Key codes the terminal knows only at run time (from its terminfo entry); 0 when unknown.
struct RuntimeKeyCodes {
    int ctrl_left = 0;
    int ctrl_right = 0;
};

class KeyDecoder {
public:
    static constexpr std::size_t kMaxPasteBytes = 1u << 20;  // more is dropped

    explicit KeyDecoder(RuntimeKeyCodes codes = {}) : codes_(codes) {}

    // Decodes one batch: everything that was ready at once. A paste may span batches.
    std::vector<Key> decode(const std::vector<RawKey>& batch);

    bool in_paste() const { return in_paste_; }

private:
    bool code_key(std::uint32_t code, std::vector<Key>& out) const;
    void char_key(char32_t c, bool more_follows, std::vector<Key>& out) const;

    RuntimeKeyCodes codes_;
    bool in_paste_ = false;
    std::string paste_;
};

}  // namespace natter::tui
