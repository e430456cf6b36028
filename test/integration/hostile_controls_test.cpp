// Hostile characters in nicknames and texts, against the real natterd: invalid UTF-8, NUL, every
// C0 and C1 control, DEL, ESC/CSI/OSC/DCS sequences, bidi overrides and isolates, zero-width and
// other invisible characters, a lone combining mark. Each goes in every field a client fills
// (hello, nick, say, me, tell, quit), both escaped as JSON allows and as raw bytes. natterd
// refuses what breaks its rules with an error and relays nothing a terminal would obey: the
// bystanders' inboxes are checked field by field.
#include <set>

#include "hostile_support.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::itest;

namespace {

enum class Kind {
    Control,   // C0 (but tab and newline), DEL, C1, escape sequences: never in a nick or a text
    Invalid,   // not UTF-8 (or NUL): refused before anything looks at it
    Format,    // invisible but valid: refused in nicknames, relayed in texts (the client neutralises)
    Spacing,   // tab and newline: allowed in texts (multi-line messages), never in nicknames
    Combining, // a combining mark with nothing under it
};

struct Piece {
    std::string bytes;
    Kind kind;
    std::string name;
};

std::string utf8(char32_t cp) {
    std::string s;
    text::append_utf8(s, cp);
    return s;
}

std::string hex(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", v);
    return buf;
}

std::vector<Piece> hostile_pieces() {
    std::vector<Piece> p;
    for (unsigned c = 0; c < 0x20; ++c) {
        const Kind k = c == 0 ? Kind::Invalid : (c == '\t' || c == '\n') ? Kind::Spacing : Kind::Control;
        p.push_back({std::string(1, static_cast<char>(c)), k, "C0 " + hex(c)});
    }
    p.push_back({"\x7f", Kind::Control, "DEL"});
    for (char32_t c = 0x80; c < 0xA0; ++c) p.push_back({utf8(c), Kind::Control, "C1 " + hex(c)});
    for (const char* seq : {"\x1b[2J", "\x1b[H", "\x1b[10;10H", "\x1b[31m", "\x1b[5m", "\x1b[?1049h",
                            "\x1b]0;pwned\x07", "\x1b]2;pwned\x1b\\", "\x1b]8;;http://evil/\x1b\\link",
                            "\x1b]52;c;cHduZWQ=\x07", "\x1bP+q544e\x1b\\", "\x1b[6n", "\x1b" "c", "\x1b" "7",
                            "\x1b" "8", "\r\x1b[K", "\b\b\b", "\xc2\x9b" "2J", "\xc2\x9d" "0;t\xc2\x9c"})
        p.push_back({seq, Kind::Control, "sequence " + text::sanitize_for_terminal(seq)});
    for (const char* bad : {"\xff", "\xfe", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                            "\xe4\xb8", "\x80", "\xc2"})
        p.push_back({bad, Kind::Invalid, "invalid UTF-8"});
    for (char32_t c : {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                       0x2066, 0x2067, 0x2068, 0x2069, 0x2060, 0xFEFF, 0x061C, 0x00AD, 0x2028, 0x2029,
                       0x180E, 0x115F, 0x3164, 0xE0041})
        p.push_back({utf8(c), Kind::Format, "invisible " + hex(c)});
    p.push_back({utf8(0x0301), Kind::Combining, "combining " + hex(0x0301)});
    return p;
}

// A line with `raw` spliced unescaped into a JSON string field: what a client can send that no
// encoder would produce.
std::string raw_line(const std::string& type, const std::string& field, const std::string& raw) {
    return "{\"type\":\"" + type + "\",\"" + field + "\":\"" + raw + "\"}\n";
}

// One hostile client at a time, replaced before natterd's error limit or its flood limit (30
// messages at once, a rename costing 10) would disconnect it.
class Prober {
public:
    Prober(std::uint16_t port, bool logged_in) : port_(port), logged_in_(logged_in) {}

    WireClient& fresh_if_needed(int cost) {
        if (!client_ || errors_ >= 8 || spent_ + cost > 25 || client_->closed()) {
            client_ = std::make_unique<WireClient>(port_);
            errors_ = 0;
            spent_ = logged_in_ ? 1 : 0;
            if (logged_in_) {
                nick_ = "p" + std::to_string(++logins_);
                EXPECT_TRUE(client_->login(nick_).has_value()) << nick_;
            }
        }
        return *client_;
    }

    // Sends the line; the answer natterd gives to it (an Error, or whatever else came first,
    // skipping presence and the like).
    std::optional<Message> ask(const std::string& line, bool expect_echo, int cost = 1) {
        WireClient& c = fresh_if_needed(cost);
        spent_ += cost;
        EXPECT_TRUE(c.send_raw(line));
        // A raw line containing a newline is two lines: two errors, count them both.
        const int lines = static_cast<int>(std::count(line.begin(), line.end(), '\n'));
        std::optional<Message> first;
        for (int i = 0; i < lines; ++i) {
            for (;;) {
                auto m = c.receive(3000ms);
                if (!m) return first;
                if (std::holds_alternative<Error>(*m)) {
                    ++errors_;
                    if (!first) first = m;
                    break;
                }
                if (expect_echo && (from_me(*m) || std::holds_alternative<Bye>(*m))) {
                    if (!first) first = m;
                    break;
                }
                if (!expect_echo && std::holds_alternative<Welcome>(*m)) {  // a nick that should not log in
                    if (!first) first = m;
                    break;
                }
            }
        }
        return first;
    }
    void drop() { client_.reset(); }

private:
    // Our own echo, not the bystanders' chat.
    bool from_me(const Message& m) const {
        if (auto* g = std::get_if<GroupMessage>(&m)) return g->from == nick_;
        if (auto* a = std::get_if<Action>(&m)) return a->from == nick_;
        if (auto* t = std::get_if<PrivateMessage>(&m)) return t->from == nick_;
        return false;
    }

    std::uint16_t port_;
    bool logged_in_;
    std::unique_ptr<WireClient> client_;
    int errors_ = 0;
    int spent_ = 0;
    int logins_ = 0;
    std::string nick_;
};

bool is_error(const std::optional<Message>& m) { return m && std::holds_alternative<Error>(*m); }

std::string describe(const std::optional<Message>& m) {
    if (!m) return "nothing";
    if (auto* e = std::get_if<Error>(&*m)) return "error " + e->code;
    return type_name(*m);
}

// Nothing in a field natterd sends may be a control (texts may hold tab and newline), and
// nicknames must obey the nickname rule.
void expect_terminal_safe(const std::string& s, bool is_text, const std::string& where) {
    EXPECT_TRUE(text::valid_utf8(s)) << where;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = text::decode_one(s, i);
        if (is_text && (cp == '\t' || cp == '\n')) continue;
        EXPECT_FALSE(text::is_control(cp)) << where << " carries " << hex(static_cast<unsigned>(cp)) << ": "
                                           << text::sanitize_for_terminal(s);
    }
}

void expect_nick_ok(const std::string& nick, const std::string& where) {
    EXPECT_FALSE(text::nick_problem(nick)) << where << ": " << text::sanitize_for_terminal(nick);
}

void check_relayed(const Message& m) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, GroupMessage> || std::is_same_v<T, Action>) {
                expect_nick_ok(x.from, "from");
                expect_terminal_safe(x.text, true, "text");
            } else if constexpr (std::is_same_v<T, PrivateMessage>) {
                expect_nick_ok(x.from, "from");
                expect_nick_ok(x.to, "to");
                expect_terminal_safe(x.text, true, "text");
            } else if constexpr (std::is_same_v<T, Joined>) {
                expect_nick_ok(x.nick, "joined");
            } else if constexpr (std::is_same_v<T, Left>) {
                expect_nick_ok(x.nick, "left");
                expect_terminal_safe(x.reason, false, "left reason");
            } else if constexpr (std::is_same_v<T, Renamed>) {
                expect_nick_ok(x.from, "renamed from");
                expect_nick_ok(x.to, "renamed to");
            } else if constexpr (std::is_same_v<T, UserList>) {
                for (const auto& u : x.users) expect_nick_ok(u.nick, "users");
            } else if constexpr (std::is_same_v<T, Error>) {
                expect_terminal_safe(x.text, false, "error text");
            }
        },
        m);
}

}  // namespace

TEST(HostileControls, NicknamesAndTextsCannotCarryAnythingATerminalObeys) {
    NatterdProcess natterd;
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();
    const auto pieces = hostile_pieces();
    ASSERT_GT(pieces.size(), 100u);

    Prober anonymous(natterd.port(), false), member(natterd.port(), true);
    std::set<std::string> relayed_texts;  // what natterd may pass on
    int refused = 0, relayed = 0, passes = 0;
    // Round after round for a second at least, so the bystanders chat through the attack.
    const auto start = std::chrono::steady_clock::now();
    for (; passes == 0 || std::chrono::steady_clock::now() - start < 1s; ++passes)
    for (const Piece& p : pieces) {
        SCOPED_TRACE(p.name);
        const std::string nick = "ab" + p.bytes + "cd";
        const std::string text = "before " + p.bytes + " after";
        const bool text_ok = p.kind == Kind::Format || p.kind == Kind::Spacing || p.kind == Kind::Combining;

        // Nicknames: always refused, escaped or raw, at login and as a new nickname.
        auto m = anonymous.ask(encode(Hello{nick, kProtocolVersion}), false);
        EXPECT_TRUE(is_error(m)) << "hello: " << describe(m);
        if (p.bytes.find('\n') == std::string::npos && p.bytes.find('"') == std::string::npos) {
            m = anonymous.ask(raw_line("hello", "nick", nick), false);
            EXPECT_TRUE(is_error(m)) << "raw hello: " << describe(m);
        }
        m = member.ask(encode(ChangeNick{nick}), false, 10);
        EXPECT_TRUE(is_error(m)) << "nick: " << describe(m);
        m = member.ask(encode(Tell{nick, "hi"}), true, 2);
        EXPECT_TRUE(is_error(m)) << "tell to: " << describe(m);
        refused += 4;

        // Texts: controls refused, the rest relayed unchanged (the client makes them harmless).
        for (const Message& msg : {Message{Say{text}}, Message{Me{text}}, Message{Tell{"ann", text}}}) {
            m = member.ask(encode(msg), true, std::holds_alternative<Tell>(msg) ? 2 : 1);
            if (text_ok) {
                ASSERT_TRUE(m && !is_error(m)) << type_name(msg) << ": " << describe(m);
                std::string got;
                if (auto* g = std::get_if<GroupMessage>(&*m)) got = g->text;
                if (auto* a = std::get_if<Action>(&*m)) got = a->text;
                if (auto* t = std::get_if<PrivateMessage>(&*m)) got = t->text;
                EXPECT_EQ(got, text) << type_name(msg);
                relayed_texts.insert(text);
                ++relayed;
            } else {
                EXPECT_TRUE(is_error(m)) << type_name(msg) << ": " << describe(m);
                ++refused;
            }
        }
        if (p.bytes.find('\n') == std::string::npos && p.bytes.find('"') == std::string::npos &&
            p.bytes.find('\\') == std::string::npos) {
            // Raw tab and newline are not JSON (and a raw newline ends the line).
            m = member.ask(raw_line("say", "text", text), true);
            if (p.kind == Kind::Format || p.kind == Kind::Combining) {
                EXPECT_FALSE(is_error(m)) << "raw say: " << describe(m);
            } else {
                EXPECT_TRUE(is_error(m)) << "raw say: " << describe(m);
            }
        }
    }

    // Quit reasons go to everyone: controls in them become spaces.
    int quits = 0;
    for (const Piece& p : pieces) {
        if (p.kind == Kind::Invalid) continue;
        WireClient q(natterd.port());
        ASSERT_TRUE(q.login("quitter" + std::to_string(quits++)));
        q.send(Quit{"reason " + p.bytes + " end"});
        EXPECT_TRUE(q.wait_for<Bye>()) << p.name;
        EXPECT_TRUE(q.wait_closed());
    }

    // Wait until the bystanders have heard the last quitter leave, then look at all they got.
    const std::string last = "quitter" + std::to_string(quits - 1);
    bool heard = false;
    for (int i = 0; i < 250 && !heard; ++i) {
        for (const Message& msg : bystanders.received())
            if (auto* l = std::get_if<Left>(&msg); l && l->nick == last) heard = true;
        if (!heard) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(heard);
    const RoundTrips trips = bystanders.stop();
    int checked = 0, left_with_reason = 0;
    for (const Message& msg : bystanders.received()) {
        check_relayed(msg);
        ++checked;
        if (auto* g = std::get_if<GroupMessage>(&msg); g && g->from != "ann" && g->from != "ben") {
            EXPECT_EQ(relayed_texts.count(g->text), 1u) << "relayed although refused: " << text::sanitize_for_terminal(g->text);
        }
        if (auto* l = std::get_if<Left>(&msg); l && l->nick.rfind("quitter", 0) == 0) ++left_with_reason;
    }
    EXPECT_EQ(left_with_reason, 2 * quits);
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "controls",
                    std::to_string(pieces.size()) + " hostile pieces, " + std::to_string(passes) + " rounds: " + std::to_string(refused) +
                        " lines refused, " + std::to_string(relayed) + " relayed (format characters, tab, newline), " +
                        std::to_string(checked) + " messages at the bystanders checked");
    expect_clean_exit(natterd);
}
