// Fuzz target: the client's text path, from network bytes to screen cells, without a terminal.
// The input picks a width and a height, then is used twice:
//   - whole, as received text: text_rows(raw, width) (sanitise, make displayable, wrap by
//     display width, cut into styled rows);
//   - line by line, as what a server sent: each line that decodes is applied to a ScreenState;
//     one that does not is applied anyway as a group message carrying its bytes (valid UTF-8
//     only: the decoder refuses the rest), as a lying server could send. Then the log pane, the
//     user pane, the status bar, the room bar and the prompt are laid out, and every entry of
//     every room's log.
// Invariants on every row: valid UTF-8, no control character (C0, DEL, C1), no invisible format
// character, no newline, no wider than its pane, and its width the sum of its spans' widths.
#include <clocale>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "shared/codec.h"
#include "shared/text.h"
#include "tui/apply.h"
#include "tui/display_width.h"
#include "tui/log_view.h"
#include "tui/panes.h"
#include "tui/room_bar.h"
#include "tui/screen_state.h"

using namespace natter;
using namespace natter::tui;

namespace {

[[noreturn]] void fail(const char* why, std::string_view row) {
    std::fprintf(stderr, "invariant broken: %s: %s\n", why, text::sanitize_for_terminal(row).c_str());
    std::abort();
}

void check_cells(std::string_view s) {
    if (!text::valid_utf8(s)) fail("invalid UTF-8 on screen", s);
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = text::decode_one(s, i);
        if (text::is_control(cp)) fail("a control character on screen", s);
        if (text::is_format(cp)) fail("an invisible format character on screen", s);
        if (codepoint_width(cp) < 0) fail("a character the terminal cannot show", s);
    }
}

void check_row(const Row& row, int width) {
    int sum = 0;
    for (const Span& sp : row.spans) {
        check_cells(sp.text);
        sum += display_width(sp.text);
    }
    if (sum != row.width) fail("row width is not the sum of its spans", "");
    if (row.width > std::max(width, 2)) fail("row wider than its pane", "");
}

void check_rows(const std::vector<Row>& rows, int width) {
    for (const Row& r : rows) check_row(r, width);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // Widths come from wcwidth(3), as in natter, which sets a UTF-8 locale at start.
    if (!std::setlocale(LC_ALL, "C.UTF-8")) std::setlocale(LC_ALL, "en_US.UTF-8");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const int width = 1 + data[0] % 120;
    const int height = 1 + data[1] % 40;
    const std::string_view raw(reinterpret_cast<const char*>(data) + 2, size - 2);

    // Received text as such.
    check_rows(text_rows(raw, width), width);
    const std::string shown = displayable(raw);
    if (shown.find('\n') != std::string::npos) fail("displayable() kept a newline", shown);
    check_cells(shown);

    // The same bytes as a server's lines, applied to the screen state and laid out.
    ScreenState st("localhost:6288", "victim");
    st.log_width = width;
    st.log_height = height;
    std::uint64_t now = 1'700'000'000'000;
    apply_connected(st, now);
    std::size_t start = 0;
    for (int lines = 0; start < raw.size() && lines < 64; ++lines) {
        std::size_t end = raw.find('\n', start);
        if (end == std::string_view::npos) end = raw.size();
        const std::string_view line = raw.substr(start, end - start);
        start = end + 1;
        now += 1000;
        Decoded d = decode_line(line, Direction::ServerToClient);
        if (auto* m = std::get_if<Message>(&d)) {
            apply_message(st, *m, now);
        } else if (text::valid_utf8(line)) {
            GroupMessage g;
            g.id = static_cast<std::uint64_t>(lines) + 1;
            g.ts = now;
            const std::size_t cut = std::min<std::size_t>(line.size(), 1 + line.size() % 9);
            g.from = std::string(line.substr(0, cut));
            g.text = std::string(line.substr(cut));
            apply_message(st, g, now);
        }
    }
    check_rows(log_pane_rows(st, width, height), width);
    const int user_width = std::min(std::max(user_pane_width(st), 1), 40);
    check_rows(user_pane_rows(st, user_width, height), user_width);
    check_row(status_row(st, width), width);
    check_cells(prompt(st));
    check_row(room_bar_row(st, width), width);
    // Every room and conversation the lines opened, not only the one shown.
    for (const Tab& t : st.tabs)
        for (std::size_t i = 0; i < t.log.size(); ++i) check_rows(entry_rows(t.log.at(i), width), width);
    return 0;
}
