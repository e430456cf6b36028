// The input line being edited: code points with a cursor, the readline-style keys, a kill
// buffer, the history of what was sent, and how the line looks in a window of a given width.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace natter::tui {

// What the input window shows: the visible part of the line and where the cursor is in it.
struct InputView {
    std::string text;    // displayable UTF-8; a newline shows as U+21B5
    int cursor_col = 0;  // 0 <= cursor_col < width
};

class InputLine {
public:
    // Room for text a little over what can be sent, so a too-long paste can be seen and cut.
    static constexpr std::size_t kMaxCodepoints = 16384;
    static constexpr std::size_t kMaxHistory = 500;

    const std::u32string& text() const { return buf_; }
    std::string utf8() const;
    std::size_t cursor() const { return cur_; }
    bool empty() const { return buf_.empty(); }
    std::size_t line_count() const;  // 1 + the newlines (a paste of several lines)

    // Replaces the whole line; the cursor goes to the end.
    void set(std::u32string text);
    void clear() { set({}); }
    // Puts the cursor at code point `pos` (clamped, and moved back to the start of a character).
    void move_to(std::size_t pos);

    // Inserts a typed character at the cursor. Controls and invisible format characters are not
    // typed text and are ignored, as is anything past kMaxCodepoints.
    void insert(char32_t cp);
    // Inserts a string at the cursor and leaves the cursor after it. Pasted text: "\r\n" and "\r"
    // become newlines, a tab becomes four spaces, invalid UTF-8, other controls and format
    // characters are dropped.
    void insert_text(std::string_view utf8);

    // Cursor movement. A character and the combining marks after it move as one.
    void left();
    void right();
    void home() { cur_ = 0; }
    void end() { cur_ = buf_.size(); }
    void word_left();
    void word_right();

    // Deletion. The kill commands (Ctrl-U, Ctrl-K, Ctrl-W) keep what they cut for yank (Ctrl-Y).
    void backspace();
    void del();
    void kill_to_start();
    void kill_to_end();
    void kill_word_back();
    void yank();

    // History of submitted lines. Up from a fresh line keeps it as a draft that Down brings back.
    void history_up();
    void history_down();
    // Takes the line for sending: returns it, records it in the history, empties the line.
    std::string submit();

    // The part of the line that fits in `width` columns, scrolled so the cursor is visible. The
    // scroll depends only on the cursor's column, in half-width steps, so it never jitters.
    InputView view(int width) const;

private:
    std::size_t cluster_start(std::size_t i) const;  // the start of the cluster before i
    std::size_t cluster_end(std::size_t i) const;    // the end of the cluster at i
    void erase(std::size_t from, std::size_t to, bool kill);

    std::u32string buf_;
    std::size_t cur_ = 0;
    std::u32string killed_;
    std::vector<std::u32string> history_;
    std::size_t hist_pos_ = 0;  // == history_.size() when editing a fresh line
    std::u32string draft_;
};

}  // namespace natter::tui
