// No byte from the network reaches the terminal raw, checked on a real terminal (natter in tmux):
// a lying server sends every C0 and C1 control, DEL, and escape sequences of every kind (cursor
// movement, erase, colours, title, clipboard, hyperlinks, alternate screen, mode switches, device
// queries that would make the terminal type into natter, resets), in texts and in every field that
// carries a nickname or a reason. Afterwards tmux must report the terminal exactly as before:
// same title, modes, scroll region, tab stops, no bell, no foreign colour, the cursor on the input
// line, every other line intact, and the input still working. A second test goes through the real
// natterd with the invisible characters it lets through in texts (bidi overrides, zero-width).
// (client_e2e_test.cpp has a first, smaller hostile-server check.)
#include <unistd.h>

#include <cctype>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "../support/natterd_process.h"
#include "../support/wire_client.h"
#include "scripted_server.h"
#include "shared/text.h"
#include "tmux_driver.h"

using namespace natter;
using namespace natter::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kCols = 100, kRows = 30;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// Everything tmux knows about the pane's modes: a hostile sequence that took effect changes one.
const char* const kModes =
    "title=#{pane_title} cursor=#{cursor_flag} alt=#{alternate_on} insert=#{insert_flag} "
    "keypad=#{keypad_cursor_flag},#{keypad_flag} wrap=#{wrap_flag} origin=#{origin_flag} "
    "mouse=#{mouse_any_flag},#{mouse_sgr_flag},#{mouse_standard_flag},#{mouse_button_flag},"
    "#{mouse_all_flag},#{mouse_utf8_flag} mode=#{pane_in_mode} region=#{scroll_region_upper},"
    "#{scroll_region_lower} tabs=#{pane_tabs}";

// SGR parameters natter itself uses without colour (NO_COLOR): bold, dim, underline, reverse and
// their resets. Anything else on screen (a colour, blink, hidden, italics) came from the network.
bool foreign_sgr(const std::string& attrs, std::string& which) {
    static const std::set<int> natters = {0, 1, 2, 4, 7, 21, 22, 24, 27, 39, 49};
    for (std::size_t at = attrs.find("\x1b["); at != std::string::npos; at = attrs.find("\x1b[", at + 2)) {
        const std::size_t end = attrs.find_first_not_of("0123456789;:", at + 2);
        if (end == std::string::npos || attrs[end] != 'm') continue;
        std::stringstream params(attrs.substr(at + 2, end - at - 2));
        std::string p;
        while (std::getline(params, p, ';')) {
            if (p.empty()) continue;
            if (natters.count(std::stoi(p.substr(0, p.find(':')))) == 0) {
                which = attrs.substr(at + 1, end - at);
                return true;
            }
        }
    }
    return false;
}

struct Piece {
    std::string bytes;
    std::string name;
};

std::vector<Piece> hostile_pieces() {
    std::vector<Piece> p;
    // NUL is not here: natter's decoder refuses a line carrying one (codec tests); a newline
    // makes a multi-line message.
    for (unsigned c = 1; c < 0x20; ++c)
        if (c != '\n') p.push_back({std::string(1, static_cast<char>(c)), "C0 " + std::to_string(c)});
    p.push_back({"\x7f", "DEL"});
    for (char32_t c = 0x80; c < 0xA0; ++c) {
        std::string s;
        text::append_utf8(s, c);
        p.push_back({s, "C1 " + std::to_string(c)});
    }
    const std::vector<std::pair<const char*, const char*>> sequences = {
        {"\x1b[2J\x1b[H", "erase screen, cursor home"},
        {"\x1b[10;10HX", "cursor position"},
        {"\x1b[5A\x1b[3D", "cursor up and left"},
        {"\x1b" "7\x1b[1;1HOVER\x1b" "8", "save cursor, overwrite line 1, restore"},
        {"\rOVERWRITE", "carriage return over the prefix"},
        {"\b\b\b\bBACK", "backspaces over the prefix"},
        {"\x1b[K\x1b[1K\x1b[2K", "erase in line"},
        {"\x1b[31m\x1b[41mRED", "colours"},
        {"\x1b[38;5;196m\x1b[48;2;255;0;0mRGB", "256 and true colour"},
        {"\x1b[5m\x1b[8m\x1b[3m\x1b[9mSTYLE", "blink, hidden, italics, strike"},
        {"\x1b]0;PWNED0\x07", "OSC 0 title (BEL)"},
        {"\x1b]2;PWNED2\x1b\\", "OSC 2 title (ST)"},
        {"\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", "OSC 8 hyperlink"},
        {"\x1b]52;c;cHduZWQ=\x07", "OSC 52 clipboard"},
        {"\x1b]11;?\x07\x1b]10;?\x07", "OSC 10/11 colour queries"},
        {"\x1b[6n\x1b[c\x1b[>c", "cursor and device queries"},
        {"\x1bPtmux;\x1b\x1b]2;PASS\x07\x1b\\", "DCS tmux passthrough"},
        {"\x1b[?1049l\x1b[?47l", "leave the alternate screen"},
        {"\x1b[?25l", "hide the cursor"},
        {"\x1b[?1000h\x1b[?1006h\x1b[?1003h", "mouse reporting"},
        {"\x1b[4h", "insert mode"},
        {"\x1b[?7l\x1b[?6h", "no wrap, origin mode"},
        {"\x1b[5;10r", "scroll region"},
        {"\x1bH\x1b[3g", "tab stops"},
        {"\x1b=\x1b[?1h", "keypad modes"},
        {"\x1b" "c", "full reset"},
        {"\x1b#8", "screen alignment test (fills with E)"},
        {"\x1b(0lqqk\x1b(B", "line drawing charset"},
        {"\x0e\x0f", "shift out and in"},
        {"\xc2\x9b" "2J\xc2\x9d" "2;C1TITLE\xc2\x9c", "8-bit CSI and OSC"},
        {"\x1b[2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2;2m", "long SGR"},
    };
    for (const auto& [seq, name] : sequences) p.push_back({seq, name});
    return p;
}

class TerminalSafety : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(access((build_dir() + "/natter").c_str(), X_OK), 0)
            << "no natter in " << build_dir() << " (set NATTER_BUILD)";
    }

    void start_natter(std::uint16_t port, const std::string& nick) {
        ASSERT_TRUE(tmux_.start("v", "NO_COLOR=1 TERM=tmux-256color " + build_dir() + "/natter --port " +
                                         std::to_string(port) + " --nick " + nick + "; sleep 600",
                                kCols, kRows));
    }

    std::string modes() { return tmux_.pane_format("v", kModes); }
    std::string screen() { return tmux_.screen("v"); }

    // Rows of the screen.
    std::vector<std::string> rows() { return last_rows(screen(), kRows); }

    // Waits until a row shows `text`; fails with the screen otherwise.
    void expect_shown(const std::string& text) {
        EXPECT_TRUE(tmux_.wait_for_text("v", text, 5s)) << "not on screen: " << text << "\n" << screen();
    }

    // The terminal as natter left it: cursor at the start of an empty input line, the status bar
    // above it, modes as before, no bell, no foreign colour.
    void expect_terminal_intact(const std::string& modes_before, bool bell_allowed) {
        const auto r = rows();
        ASSERT_EQ(r.size(), static_cast<std::size_t>(kRows));
        EXPECT_EQ(r.back().find_last_not_of(' '), 0u) << "the input line is not empty: [" << r.back() << "]";
        EXPECT_TRUE(contains(r[kRows - 2], "victim @")) << "status bar: " << r[kRows - 2];
        EXPECT_EQ(tmux_.pane_format("v", "#{cursor_x},#{cursor_y}"), "2," + std::to_string(kRows - 1))
            << "the cursor left the input line";
        EXPECT_EQ(modes(), modes_before);
        // Nothing was written over the log: every row is an entry (starting with its time) or the
        // continuation of one (indented), or empty.
        for (int i = 0; i < kRows - 2; ++i) {
            const std::string& row = r[static_cast<std::size_t>(i)];
            const bool entry = row.size() >= 5 && std::isdigit(static_cast<unsigned char>(row[0])) &&
                               std::isdigit(static_cast<unsigned char>(row[1])) && row[2] == ':';
            EXPECT_TRUE(entry || row.empty() || row[0] == ' ') << "row " << i << " was overwritten: " << row;
        }
        if (!bell_allowed) {
            EXPECT_EQ(tmux_.pane_format("v", "#{window_bell_flag}"), "0") << "a bell rang";
        }
        std::string which;
        const std::string attrs = tmux_.screen_with_attributes("v");
        EXPECT_FALSE(foreign_sgr(attrs, which)) << "foreign attribute ESC" << which;
    }

    TmuxDriver tmux_;
};

GroupMessage group(std::uint64_t id, const std::string& from, const std::string& text) {
    GroupMessage g;
    g.id = id;
    g.ts = 1700000000000;
    g.from = from;
    g.text = text;
    return g;
}

}  // namespace

TEST_F(TerminalSafety, NothingALyingServerSendsTakesEffectOnTheTerminal) {
    ScriptedServer evil;
    Welcome w;
    w.nick = "victim";
    w.server = "evil";
    w.motd = "hello";
    evil.send(w);
    UserList users;
    users.users = {{"friend", false}, {"victim", false}};
    evil.send(users);
    start_natter(evil.port(), "victim");
    std::uint64_t id = 1;
    evil.send(group(id++, "friend", "marker before"));
    expect_shown("marker before");
    ASSERT_TRUE(tmux_.wait_until("v", [](const std::string& s) { return contains(s, "| online"); })) << screen();
    const std::string modes_before = modes();
    ASSERT_EQ(tmux_.pane_format("v", "#{window_bell_flag}"), "0");

    // Texts: one message per piece, in batches that fit the log, each checked as shown.
    const auto pieces = hostile_pieces();
    constexpr std::size_t kBatch = 10;
    for (std::size_t first = 0; first < pieces.size(); first += kBatch) {
        std::vector<std::string> expected;
        for (std::size_t i = first; i < std::min(first + kBatch, pieces.size()); ++i) {
            const std::string tag = "t" + std::to_string(i) + "[";
            evil.send(group(id++, "friend", tag + pieces[i].bytes + "]"));
            expected.push_back(tag + text::sanitize_for_terminal(pieces[i].bytes) + "]");
        }
        evil.send(group(id++, "friend", "end of batch " + std::to_string(first)));
        expect_shown("end of batch " + std::to_string(first));
        const std::string s = screen();
        for (std::size_t k = 0; k < expected.size(); ++k)
            EXPECT_TRUE(contains(s, expected[k])) << pieces[first + k].name << ": expected " << expected[k] << "\n" << s;
        SCOPED_TRACE("after the batch from " + pieces[first].name);
        expect_terminal_intact(modes_before, false);
    }

    // Nicknames and reasons in every other kind of message.
    const std::string esc = "\x1b[31m\x1b]2;NICKTITLE\x07\x1b[2J";
    const std::string shown_esc = text::sanitize_for_terminal(esc);
    Joined j;
    j.ts = 1700000000000;
    j.nick = "jo" + esc + "in";
    evil.send(j);
    Action a;
    a.id = id++;
    a.ts = 1700000000000;
    a.from = "act" + esc;
    a.text = "waves\x1b[10;10H\r\b";
    evil.send(a);
    Renamed r;
    r.ts = 1700000000000;
    r.from = "friend";
    r.to = "fr" + esc + "iend";
    evil.send(r);
    IgnoreChanged ic;
    ic.ts = 1700000000000;
    ic.nick = "ig" + esc;
    ic.on = true;
    evil.send(ic);
    Left l;
    l.ts = 1700000000000;
    l.nick = "le" + esc + "ft";
    l.reason = "why" + esc + "\x07";
    evil.send(l);
    Error e;
    e.code = "bad\x1b[5m";
    e.text = "error" + esc + "\x07";
    evil.send(e);
    evil.send(group(id++, "friend", "end of nicknames"));
    expect_shown("end of nicknames");
    expect_shown("jo" + shown_esc + "in");
    expect_shown("act" + shown_esc);
    expect_shown("fr" + shown_esc + "iend");
    expect_shown("le" + shown_esc + "ft");
    expect_shown("why" + shown_esc + "\u2407");
    expect_shown("error" + shown_esc + "\u2407");
    {
        SCOPED_TRACE("after the nicknames");
        expect_terminal_intact(modes_before, false);
    }

    // A private message rings the bell (natter's own, on purpose), and is as harmless.
    PrivateMessage pm;
    pm.id = id++;
    pm.ts = 1700000000000;
    pm.from = "fr" + esc + "iend";
    pm.to = "victim";
    pm.text = "psst" + esc;
    evil.send(pm);
    expect_shown("psst" + shown_esc);
    {
        SCOPED_TRACE("after the private message");
        expect_terminal_intact(modes_before, true);
    }

    // natter still reads keys normally (no device answer was typed into it), and sends them.
    tmux_.type("v", "still works");
    ASSERT_TRUE(tmux_.wait_until("v", [](const std::string& s) { return last_rows(s, 1)[0].rfind("> still works", 0) == 0; }))
        << screen();
    tmux_.press("v", "Enter");
    EXPECT_TRUE(evil.wait_received("\"still works\"")) << "natter did not send the line";
    for (const std::string& line : evil.received())
        EXPECT_FALSE(contains(line, "R\"") || contains(line, "rgb:")) << "a terminal answer leaked into input: " << line;
}

TEST_F(TerminalSafety, InvisibleCharactersThroughNatterdAreShownAsPlaceholders) {
    NatterdProcess natterd;
    start_natter(natterd.port(), "victim");
    ASSERT_TRUE(tmux_.wait_until("v", [](const std::string& s) { return contains(s, "| online"); })) << screen();
    WireClient friend_(natterd.port());
    ASSERT_TRUE(friend_.login("friend"));
    expect_shown("friend");
    const std::string modes_before = modes();
    // natterd relays format characters in texts (right-to-left writers need them); natter must
    // show each as a visible placeholder, never hand it to the terminal.
    const std::vector<std::pair<std::string, std::string>> texts = {
        {"rlo[\u202eevil]", "rlo[\uFFFDevil]"},
        {"lri[\u2066iso\u2069]", "lri[\uFFFDiso\uFFFD]"},
        {"zw[a\u200bb\u200cc\u200dd\ufeffe]", "zw[a\uFFFDb\uFFFDc\uFFFDd\uFFFDe]"},
        {"shy[soft\u00adhyphen]", "shy[soft\uFFFDhyphen]"},
        {"lrm[\u200e\u200f\u061c]", "lrm[\uFFFD\uFFFD\uFFFD]"},
        {"tags[\U000E0041\U000E007F]", "tags[\uFFFD\uFFFD]"},
        {"sep[a\u2028b\u2029c]", "sep[a\uFFFDb\uFFFDc]"},
        {"accent[e\u0301]", "accent[e\u0301]"},  // a combining mark on a letter is fine
    };
    for (const auto& [sent, shown] : texts) {
        Say s;
        s.text = sent;
        friend_.send(s);
    }
    Say last;
    last.text = "last invisible";
    friend_.send(last);
    expect_shown("last invisible");
    const std::string sc = screen();
    for (const auto& [sent, shown] : texts) EXPECT_TRUE(contains(sc, shown)) << shown << "\n" << sc;
    for (const char* invisible : {"\u202e", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad",
                                  "\u200e", "\u200f", "\u061c", "\U000E0041", "\u2028", "\u2029"})
        EXPECT_FALSE(contains(sc, invisible)) << "an invisible character reached the terminal";
    EXPECT_EQ(modes(), modes_before);
    EXPECT_EQ(tmux_.pane_format("v", "#{cursor_x},#{cursor_y}"), "2," + std::to_string(kRows - 1));
}
