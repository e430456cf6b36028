// Fuzz target: the server's chat core driven by a byte stream read as a script of events from up
// to 12 simulated clients: connects, disconnects, time passing, raw lines through the real
// decoder, and messages built from a dictionary of look-alike nickname pieces (so logins, renames
// and skeleton collisions happen often) and of room names (joins, parts, topics, history and
// search against an in-memory store that sometimes fails, kicks and mode changes). After every event it checks:
//   - every delivery goes to clients that were connected, none twice; chat and presence only to
//     clients that are (or were, until this event) logged in;
//   - every delivered message encodes to one line within the frame limit that decodes back the
//     same (natterd never sends what a client cannot read);
//   - relayed nicknames obey the nickname rule, relayed texts the text rule, reasons are controls-free;
//   - online nicknames are unique by case fold and by skeleton;
//   - closed clients are forgotten; the counts agree with a model kept here.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/chat_core.h"
#include "server/memory_store.h"
#include "shared/codec.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::server;

namespace {

constexpr std::size_t kMaxClients = 12;

// Pieces nicknames are built from: Latin, digits and their look-alikes in other scripts, case
// variants, CJK and kana look-alikes, and things the rule refuses (controls, invisible, combining).
const char* const kPieces[] = {
    "a", "A", "b", "o", "O", "0", "l", "1", "I", "i", "r", "n", "rn", "m", "v", "vv", "w", "e", "x",
    "_", "-", ".", "\u0430", "\u0410", "\u043e", "\u041e", "\u0435", "\u0456", "\u03bf", "\u039f",
    "\u0391", "\u03b1", "\u0397", "\u03b7", "\u039c", "\u03bc", "\u00e9", "\u00c9", "e\u0301",
    "\u01c0", "\u0131", "\u0585", "\u057d", "\u4e2d", "\u6587", "\u53e3", "\u30ed", "\u4e00", "\u30fc",
    "\uac00", "\u0e01", "\u0915", "\u093f", "\u200b", "\u202e", "\x1b[31m", " ", "\x7f", "\xc2\x9b",
    "\xff", "@", "#",
};
constexpr std::size_t kPieceCount = sizeof kPieces / sizeof kPieces[0];

const char* const kRooms[] = {"#lobby", "#Lobby", "#a", "#A", "#rust", "#а", "#中文", "a", "#",
                              "#x[2J", "#two words", "#‮", "#lobby2", "##"};
constexpr std::size_t kRoomCount = sizeof kRooms / sizeof kRooms[0];

class Script {
public:
    Script(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
    bool done() const { return p_ >= end_; }
    std::uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
    std::string bytes(std::size_t n) {
        n = std::min<std::size_t>(n, static_cast<std::size_t>(end_ - p_));
        std::string s(reinterpret_cast<const char*>(p_), n);
        p_ += n;
        return s;
    }
    std::string nick() {
        std::string s;
        const int n = 1 + byte() % 6;
        for (int i = 0; i < n; ++i) s += kPieces[byte() % kPieceCount];
        return s;
    }
    std::string room() { return kRooms[byte() % kRoomCount]; }
    std::string text() {
        const std::uint8_t kind = byte();
        if (kind < 200) return bytes(kind % 48);
        std::string s = bytes(byte());  // a longer one, with newlines and pieces mixed in
        for (int i = byte() % 8; i > 0; --i) s += std::string("\n") + kPieces[byte() % kPieceCount];
        return s;
    }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "invariant broken: %s\n", why);
    std::abort();
}
void check(bool ok, const char* why) {
    if (!ok) fail(why);
}

bool controls_free(std::string_view s, bool allow_spacing) {
    if (!text::valid_utf8(s)) return false;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = text::decode_one(s, i);
        if (allow_spacing && (cp == '\n' || cp == '\t')) continue;
        if (text::is_control(cp)) return false;
    }
    return true;
}

void check_nick(const std::string& n) { check(!text::nick_problem(n), "a relayed nickname breaks the rule"); }
void check_text(const std::string& t) { check(!text::text_problem(t), "a relayed text breaks the text rule"); }

// What a message says about who may get it, and whether its fields are clean.
bool is_chat_or_presence(const Message& m) {
    return std::holds_alternative<GroupMessage>(m) || std::holds_alternative<Action>(m) ||
           std::holds_alternative<Joined>(m) || std::holds_alternative<Left>(m) ||
           std::holds_alternative<Renamed>(m) || std::holds_alternative<IgnoreChanged>(m);
}

void check_fields(const Message& m) {
    if (auto* g = std::get_if<GroupMessage>(&m)) {
        check_nick(g->from);
        check_text(g->text);
    } else if (auto* a = std::get_if<Action>(&m)) {
        check_nick(a->from);
        check_text(a->text);
    } else if (auto* p = std::get_if<PrivateMessage>(&m)) {
        check_nick(p->from);
        check_nick(p->to);
        check_text(p->text);
    } else if (auto* j = std::get_if<Joined>(&m)) {
        check_nick(j->nick);
    } else if (auto* l = std::get_if<Left>(&m)) {
        check_nick(l->nick);
        check(controls_free(l->reason, false), "a leave reason carries a control character");
    } else if (auto* r = std::get_if<Renamed>(&m)) {
        check_nick(r->from);
        check_nick(r->to);
    } else if (auto* u = std::get_if<UserList>(&m)) {
        for (const auto& x : u->users) check_nick(x.nick);
    } else if (auto* w = std::get_if<Welcome>(&m)) {
        check_nick(w->nick);
    } else if (auto* e = std::get_if<Error>(&m)) {
        check(controls_free(e->text, false), "an error text carries a control character");
    } else if (auto* b = std::get_if<Bye>(&m)) {
        check(controls_free(b->reason, false), "a bye reason carries a control character");
    } else if (auto* t = std::get_if<Topic>(&m)) {
        check(controls_free(t->text, false), "a topic carries a control character");
    }
}

void check_wire(const Message& m) {
    const std::string line = encode(m);
    check(!line.empty() && line.back() == '\n' && line.find('\n') == line.size() - 1, "not one line");
    check(line.size() <= kMaxFrameBytes, "a message over the frame limit");
    const Decoded back = decode_line(std::string_view(line).substr(0, line.size() - 1), Direction::ServerToClient);
    check(std::holds_alternative<Message>(back), "a message the client cannot decode");
    check(encode(std::get<Message>(back)) == line, "a message that does not survive the wire");
}

struct Model {
    std::set<ClientId> connected;
    ClientId next = 1;
};

void check_event(const ChatCore& core, Model& model, const std::set<ClientId>& before,
                 const std::set<ClientId>& online_before, const Outputs& out) {
    std::set<ClientId> closed;
    for (const CloseAction& c : out.closes) {
        check(before.count(c.id) == 1, "closing a client that was not connected");
        check(!core.known(c.id), "a closed client is still known");
        closed.insert(c.id);
    }
    for (const Delivery& d : out.deliveries) {
        std::set<ClientId> seen;
        for (ClientId to : d.to) {
            check(before.count(to) == 1, "a delivery to a client that was not connected");
            check(seen.insert(to).second, "a delivery to the same client twice");
            if (is_chat_or_presence(d.msg))
                check(core.logged_in(to) || online_before.count(to) == 1, "chat for a client not logged in");
        }
        check_fields(d.msg);
        check_wire(d.msg);
    }
    // Clients the core forgot (quit, kicked) leave the model.
    for (auto it = model.connected.begin(); it != model.connected.end();)
        it = core.known(*it) ? std::next(it) : model.connected.erase(it);
    check(core.connected() == model.connected.size(), "connected count disagrees");
    // Nickname uniqueness among those online.
    std::set<std::string> folds, skeletons;
    std::set<ClientId> ids;
    for (ClientId id : core.online_ids()) {
        check(ids.insert(id).second, "a client online twice");
        check(model.connected.count(id) == 1, "an unknown client online");
        const std::string* n = core.nick(id);
        check(n != nullptr, "online without a nickname");
        check_nick(*n);
        check(folds.insert(text::fold_case(*n)).second, "two online nicknames alike but for case");
        check(skeletons.insert(text::nick_skeleton(*n)).second, "two online nicknames that look alike");
    }
    check(core.online() == ids.size(), "online count disagrees");
}

std::set<ClientId> online_set(const ChatCore& core) {
    return std::set<ClientId>(core.online_ids().begin(), core.online_ids().end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    CoreConfig config;
    config.server_name = "natterd fuzz";
    config.motd = "hello";
    config.max_errors = 4;  // reach the kick often
    config.error_window_ms = 10'000;
    MemoryStore store;
    config.store = &store;
    config.history_on_join = 5;
    config.max_rooms = 8;
    ChatCore core(config);
    Model model;
    std::uint64_t now = 1'700'000'000'000;
    Outputs out;
    Script s(data, size);
    // Every message goes the way a client's would: encoded, then through the real decoder, so the
    // core sees only what can arrive (valid UTF-8, no NUL); what does not decode is a bad line.
    auto send = [&](ClientId id, const Message& m) {
        if (!id) return;
        std::string line = encode(m);
        line.pop_back();
        Decoded d = decode_line(line, Direction::ClientToServer);
        if (auto* e = std::get_if<DecodeError>(&d)) core.bad_line(id, *e, now, out);
        else core.handle(id, std::get<Message>(d), now, out);
    };
    auto pick = [&]() -> ClientId {
        if (model.connected.empty()) return 0;
        auto it = model.connected.begin();
        std::advance(it, s.byte() % model.connected.size());
        return *it;
    };
    // The nickname of some online client, perhaps changed in case: a tell target that exists.
    auto someone = [&]() -> std::string {
        const auto& online = core.online_ids();
        if (online.empty()) return "nobody";
        std::string n = *core.nick(online[s.byte() % online.size()]);
        if (s.byte() % 2 && !n.empty() && n[0] >= 'a' && n[0] <= 'z') n[0] = static_cast<char>(n[0] - 32);
        return n;
    };

    for (int steps = 0; !s.done() && steps < 400; ++steps) {
        const std::set<ClientId> before = model.connected;
        const std::set<ClientId> online_before = online_set(core);
        const std::uint8_t op = s.byte();
        switch (op % 14) {
        case 0:
            if (model.connected.size() < kMaxClients) {
                const ClientId id = model.next++;
                core.connect(id, now);
                model.connected.insert(id);
            }
            break;
        case 1:
            if (ClientId id = pick()) {
                core.disconnect(id, "connection closed", now, out);
                model.connected.erase(id);
            }
            break;
        case 2:
            now += static_cast<std::uint64_t>(s.byte()) * static_cast<std::uint64_t>(s.byte()) * 10;
            break;
        case 3: {  // a raw line through the real decoder
            const ClientId id = pick();
            const std::string line = s.bytes(s.byte());
            if (!id) break;
            Decoded d = decode_line(line, Direction::ClientToServer);
            if (auto* e = std::get_if<DecodeError>(&d)) core.bad_line(id, *e, now, out);
            else core.handle(id, std::get<Message>(d), now, out);
            break;
        }
        case 4:
        case 5: {
            const ClientId id = pick();
            Hello h;
            h.nick = s.nick();
            h.version = s.byte() == 0xFF ? 2 : kProtocolVersion;
            send(id, h);
            break;
        }
        case 6: {
            const ClientId id = pick();
            ChangeNick n;
            n.nick = s.nick();
            send(id, n);
            break;
        }
        case 7: {
            const ClientId id = pick();
            Say m;
            m.text = s.text();
            send(id, m);
            break;
        }
        case 8: {
            const ClientId id = pick();
            Tell t;
            t.to = s.byte() % 4 ? someone() : s.nick();
            t.text = s.text();
            send(id, t);
            break;
        }
        case 9: {
            const ClientId id = pick();
            Me m;
            m.text = s.text();
            send(id, m);
            break;
        }
        case 10: {
            const ClientId id = pick();
            const std::uint8_t which = s.byte();
            if (!id) break;
            switch (which % 7) {
            case 0: send(id, Who{}); break;
            case 1: { SetIgnore g; g.on = which & 8; send(id, g); break; }
            case 2: send(id, HelpRequest{}); break;
            case 3: { Quit q; q.reason = s.text(); send(id, q); break; }
            case 4: { Ping p; p.token = s.bytes(s.byte() % 80); send(id, p); break; }
            case 5: { Pong p; p.token = "x"; send(id, p); break; }
            default: core.handle(id, Welcome{}, now, out); break;  // a type clients may not send
            }
            break;
        }
        case 11:
            if (ClientId id = pick()) core.line_too_long(id, now, out);
            break;
        case 12: {  // rooms
            const ClientId id = pick();
            const std::uint8_t which = s.byte();
            switch (which % 11) {
            case 0: case 1: { Join j; j.room = s.room(); send(id, j); break; }
            case 2: { Part p; p.room = s.room(); p.reason = s.text(); send(id, p); break; }
            case 3: { Say m; m.room = s.room(); m.text = s.text(); send(id, m); break; }
            case 4: { Me m; m.room = s.room(); m.text = s.text(); send(id, m); break; }
            case 5: { TopicRequest t; t.room = s.room(); if (which & 0x10) t.text = s.text(); send(id, t); break; }
            case 6: { HistoryRequest h; h.room = s.room(); h.before = s.byte(); h.limit = s.byte() % 8; send(id, h); break; }
            case 7: { Search q; q.room = s.room(); q.words = s.text(); q.before = s.byte(); send(id, q); break; }
            case 9: { Kick k; k.room = s.room(); k.nick = someone(); k.reason = s.text(); send(id, k); break; }
            case 10: {  // a query, a change from the letters rooms have (and some they have not), or junk
                static const char* const kChanges[] = {"", "+i", "-i", "+k", "-k", "+l", "-l", "+m", "+n", "-n", "+s",
                                                       "+t", "+o", "-o", "+v", "-v", "+b", "-b", "+x", "m", "+mt"};
                ModeRequest m;
                m.room = s.room();
                m.change = kChanges[s.byte() % (sizeof kChanges / sizeof kChanges[0])];
                const std::uint8_t arg = s.byte();
                m.arg = arg < 64 ? someone() : arg < 128 ? std::to_string(arg) : arg < 160 ? std::string() : s.text();
                send(id, m);
                break;
            }
            default: { Who w; w.room = s.room(); send(id, w); send(id, ListRooms{}); break; }
            }
            break;
        }
        case 13: {  // the store: commit what is pending (as the shell does each turn), or fail
            const std::uint8_t which = s.byte();
            store.fail_appends = which & 1;
            store.fail_commits = which & 2;
            store.fail_reads = which & 4;
            store.commit();
            break;
        }
        }
        check_event(core, model, before, online_before, out);
        out.clear();
    }
    return 0;
}
