#include "tui/input_line.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/display_width.h"

namespace natter::tui {

namespace {

constexpr char32_t kNewlineGlyph = 0x21B5;  // ↵

bool typable(char32_t cp) {
    return cp != text::kInvalid && !text::is_control(cp) && !text::is_format(cp) &&
           !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
}

bool is_mark(char32_t cp) { return cp != '\n' && codepoint_width(cp) == 0; }

}  // namespace

std::string InputLine::utf8() const {
    std::string out;
    out.reserve(buf_.size());
    for (char32_t cp : buf_) text::append_utf8(out, cp);
    return out;
}

std::size_t InputLine::line_count() const {
    return 1 + static_cast<std::size_t>(std::count(buf_.begin(), buf_.end(), U'\n'));
}

void InputLine::set(std::u32string t) {
    if (t.size() > kMaxCodepoints) t.resize(kMaxCodepoints);
    buf_ = std::move(t);
    cur_ = buf_.size();
}

void InputLine::move_to(std::size_t pos) {
    cur_ = std::min(pos, buf_.size());
    while (cur_ > 0 && cur_ < buf_.size() && is_mark(buf_[cur_])) --cur_;
}

void InputLine::insert(char32_t cp) {
    if (!typable(cp) || buf_.size() >= kMaxCodepoints) return;
    buf_.insert(buf_.begin() + static_cast<std::ptrdiff_t>(cur_), cp);
    ++cur_;
}

void InputLine::insert_text(std::string_view s) {
    std::u32string add;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = text::decode_one(s, i);
        if (cp == '\r') {
            add += U'\n';
            if (i < s.size() && s[i] == '\n') ++i;
        } else if (cp == '\n') {
            add += U'\n';
        } else if (cp == '\t') {
            add += U"    ";
        } else if (typable(cp)) {
            add += cp;
        }
    }
    const std::size_t room = kMaxCodepoints - std::min(kMaxCodepoints, buf_.size());
    if (add.size() > room) add.resize(room);
    buf_.insert(cur_, add);
    cur_ += add.size();
}

std::size_t InputLine::cluster_start(std::size_t i) const {
    if (i == 0) return 0;
    --i;
    while (i > 0 && is_mark(buf_[i])) --i;
    return i;
}

std::size_t InputLine::cluster_end(std::size_t i) const {
    if (i >= buf_.size()) return buf_.size();
    ++i;
    while (i < buf_.size() && is_mark(buf_[i])) ++i;
    return i;
}

void InputLine::left() { cur_ = cluster_start(cur_); }
void InputLine::right() { cur_ = cluster_end(cur_); }

void InputLine::word_left() {
    while (cur_ > 0 && (buf_[cur_ - 1] == ' ' || buf_[cur_ - 1] == '\n')) --cur_;
    while (cur_ > 0 && buf_[cur_ - 1] != ' ' && buf_[cur_ - 1] != '\n') --cur_;
}

void InputLine::word_right() {
    while (cur_ < buf_.size() && (buf_[cur_] == ' ' || buf_[cur_] == '\n')) ++cur_;
    while (cur_ < buf_.size() && buf_[cur_] != ' ' && buf_[cur_] != '\n') ++cur_;
}

void InputLine::erase(std::size_t from, std::size_t to, bool kill) {
    if (from >= to) return;
    if (kill) killed_ = buf_.substr(from, to - from);
    buf_.erase(from, to - from);
    cur_ = from;
}

void InputLine::backspace() { erase(cluster_start(cur_), cur_, false); }

void InputLine::del() {
    const std::size_t at = cur_;
    erase(at, cluster_end(at), false);
}

void InputLine::kill_to_start() { erase(0, cur_, true); }

void InputLine::kill_to_end() {
    const std::size_t at = cur_;
    erase(at, buf_.size(), true);
    cur_ = at;
}

void InputLine::kill_word_back() {
    const std::size_t to = cur_;
    word_left();
    erase(cur_, to, true);
}

void InputLine::yank() {
    const std::size_t room = kMaxCodepoints - std::min(kMaxCodepoints, buf_.size());
    const std::u32string add = killed_.substr(0, room);
    buf_.insert(cur_, add);
    cur_ += add.size();
}

void InputLine::history_up() {
    if (hist_pos_ == 0) return;
    if (hist_pos_ == history_.size()) draft_ = buf_;
    --hist_pos_;
    set(history_[hist_pos_]);
}

void InputLine::history_down() {
    if (hist_pos_ >= history_.size()) return;
    ++hist_pos_;
    set(hist_pos_ == history_.size() ? draft_ : history_[hist_pos_]);
}

std::string InputLine::submit() {
    std::string out = utf8();
    if (!buf_.empty() && (history_.empty() || history_.back() != buf_)) {
        history_.push_back(buf_);
        if (history_.size() > kMaxHistory) history_.erase(history_.begin());
    }
    hist_pos_ = history_.size();
    draft_.clear();
    clear();
    return out;
}

InputView InputLine::view(int width) const {
    InputView v;
    if (width < 1) return v;
    // The column each cluster starts at, and the cursor's.
    int cursor_col = 0;
    int col = 0;
    for (std::size_t i = 0; i < buf_.size() && i < cur_; i = cluster_end(i)) {
        const char32_t cp = buf_[i];
        const int w = cp == '\n' ? 1 : codepoint_width(cp);
        col += w <= 0 ? 1 : w;  // a lone mark is drawn on a space; unprintable as U+FFFD
    }
    cursor_col = col;
    int offset = 0;
    if (cursor_col >= width) {
        const int page = std::max(1, width / 2);
        offset = ((cursor_col - width) / page + 1) * page;
    }
    col = 0;
    int first_col = -1;
    for (std::size_t i = 0; i < buf_.size();) {
        const std::size_t e = cluster_end(i);
        const char32_t cp = buf_[i];
        int w = cp == '\n' ? 1 : codepoint_width(cp);
        std::string glyph;
        if (cp == '\n') {
            text::append_utf8(glyph, kNewlineGlyph);
        } else if (w < 0) {
            text::append_utf8(glyph, text::kReplacement);
            w = 1;
        } else {
            if (w == 0) {
                glyph += ' ';
                w = 1;
            }
            for (std::size_t k = i; k < e; ++k) text::append_utf8(glyph, buf_[k]);
        }
        if (col >= offset) {
            if (first_col < 0) first_col = col;
            if (col - first_col + w > width) break;
            v.text += glyph;
        }
        col += w;
        i = e;
    }
    if (first_col < 0) first_col = offset;  // the cursor is past the last character
    v.cursor_col = std::clamp(cursor_col - first_col, 0, width - 1);
    return v;
}

}  // namespace natter::tui
