#include "tui/commands.h"

#include "shared/protocol.h"
#include "shared/text.h"

namespace natter::tui {

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {CommandId::Msg, "msg", {}, "nick text",
         "send a private message (the same as @nick text)", "/msg alice see you at noon"},
        {CommandId::List, "ls", {"who", "users"}, "[-a]",
         "list who is in this room (-a: everyone online), in the message log", "/who"},
        {CommandId::Join, "join", {}, "#room [key]",
         "join a room (creating it), and show it; the key opens a room that has one", "/join #rust"},
        {CommandId::Part, "part", {}, "[#room] [message]",
         "leave this room (or #room); in a private conversation, close it", "/part #rust lunch"},
        {CommandId::Invite, "invite", {}, "nick [#room]",
         "invite someone to this room (or #room), even an invite-only one if you are its operator",
         "/invite bob"},
        {CommandId::Kick, "kick", {}, "[#room] nick [why]",
         "remove someone from this room (or #room), as its operator", "/kick bob too noisy"},
        {CommandId::Mode, "mode", {}, "[#room] [+-modes]",
         "show this room's modes, or change them as its operator: i invite-only, k key, l member "
         "limit, m moderated, n members only, s secret, t topic lock, o operator, v voice, b ban",
         "/mode +mt"},
        {CommandId::Op, "op", {}, "[#room] nick...", "make members operators of this room (/mode +o)",
         "/op bob"},
        {CommandId::Deop, "deop", {}, "[#room] nick...", "take operator status away (/mode -o)",
         "/deop bob"},
        {CommandId::Voice, "voice", {}, "[#room] nick...",
         "let members speak while the room is moderated (/mode +v)", "/voice bob carol"},
        {CommandId::Devoice, "devoice", {}, "[#room] nick...", "take the voice away (/mode -v)",
         "/devoice carol"},
        {CommandId::Rooms, "rooms", {}, "", "list the server's rooms with members and topics",
         "/rooms"},
        {CommandId::Topic, "topic", {}, "[text|-clear]",
         "show this room's topic, set it, or clear it", "/topic release on friday"},
        {CommandId::Switch, "switch", {"w"}, "name",
         "show a room or conversation (name, number, or the start of one)", "/w #rust"},
        {CommandId::Search, "search", {}, "words",
         "search this room's history for messages with all the words", "/search deploy friday"},
        {CommandId::Ignore, "i", {"ignore"}, "[on|off]",
         "toggle ignoring group messages; private messages still arrive", "/i"},
        {CommandId::Nick, "nick", {}, "name", "change your nickname", "/nick alice_2"},
        {CommandId::Me, "me", {}, "action", "describe what you are doing", "/me waves"},
        {CommandId::Clear, "clear", {}, "", "empty the message log on your screen", "/clear"},
        {CommandId::Help, "help", {}, "[command]", "list the commands, or explain one",
         "/help msg"},
        {CommandId::Quit, "quit", {}, "[message]", "leave, with an optional goodbye",
         "/quit time for lunch"},
    };
    return table;
}

const CommandSpec* find_command(std::string_view name) {
    for (const auto& c : command_table()) {
        if (name == c.name) return &c;
        for (const char* a : c.aliases)
            if (name == a) return &c;
    }
    return nullptr;
}

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

// Splits off the first word (up to a blank); the rest keeps its inner newlines and spaces.
std::string_view first_word(std::string_view& s) {
    std::size_t n = 0;
    while (n < s.size() && !blank(s[n])) ++n;
    const std::string_view w = s.substr(0, n);
    s.remove_prefix(n);
    if (!s.empty()) s.remove_prefix(1);  // one separator; the rest of the text is kept as typed
    return w;
}

std::string usage(const CommandSpec& c) {
    std::string u = std::string("/") + c.name;
    if (*c.args) u += std::string(" ") + c.args;
    return u;
}

// A text that would be refused by the server is refused here, with the same reason.
Intent checked_text(std::string_view text, Intent ok) {
    if (auto why = text::text_problem(text)) return intent::Error{"not sent: " + *why};
    return ok;
}

// A goodbye (quit or part message). One too long for the wire is cut at a character boundary, not
// refused: leaving must always work.
std::string reason_text(std::string_view args) {
    std::string reason = text::sanitize_for_terminal(args);
    if (reason.size() > kMaxReasonBytes) {
        std::size_t cut = kMaxReasonBytes;
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
        reason.resize(cut);
    }
    return reason;
}

// Why a word is not a room or not a nickname, said for the error note; nothing when it is one.
std::optional<std::string> not_a_room(std::string_view room) {
    if (auto why = text::room_problem(room))
        return "\"" + text::sanitize_for_terminal(room) + "\" is not a room (" + *why + ")";
    return std::nullopt;
}
std::optional<std::string> not_a_nick(std::string_view nick) {
    if (auto why = text::nick_problem(nick))
        return "\"" + text::sanitize_for_terminal(nick) + "\" is not a nickname (" + *why + ")";
    return std::nullopt;
}

// An optional "#room" at the start of `r`, taken off into `room`; the error when it is no room.
std::optional<std::string> leading_room(std::string_view& r, std::string& room) {
    if (r.empty() || r[0] != '#') return std::nullopt;
    room = std::string(first_word(r));
    r = trim(r);
    return not_a_room(room);
}

// The letters a room's modes have; k and l take an argument when set, o v b both ways.
constexpr std::string_view kModeLetters = "iklmnstovb";

bool takes_arg(char sign, char letter) {
    return letter == 'o' || letter == 'v' || letter == 'b' ||
           (sign == '+' && (letter == 'k' || letter == 'l'));
}

const char* arg_wanted(char letter) {
    switch (letter) {
        case 'k': return "the key (/mode +k secret)";
        case 'l': return "the most members the room may have (/mode +l 20)";
        case 'b': return "a nickname or a mask nick!user@host (/mode +b ann)";
        default: return "a nickname (/mode +o bob)";
    }
}

// Why `arg` cannot go with the letter, or nothing. The server judges keys and masks in full.
std::optional<std::string> mode_arg_problem(char letter, std::string_view arg) {
    if (letter == 'o' || letter == 'v') return not_a_nick(arg);
    if (letter == 'l') {
        const bool digits = arg.size() <= 9 && arg.find_first_not_of("0123456789") == std::string_view::npos;
        if (!digits || arg.find_first_not_of('0') == std::string_view::npos)
            return "a member limit is a whole number from 1, not \"" + text::sanitize_for_terminal(arg) + "\"";
        return std::nullopt;
    }
    if (auto why = text::text_problem(arg)) return "\"" + text::sanitize_for_terminal(arg) + "\": " + *why;
    return std::nullopt;
}

// "+mt-k", then the arguments in `words` in the order of the letters that take one: one change a
// letter, or the reason none is sent.
Intent mode_changes(std::string room, std::string_view spec, std::string_view words) {
    intent::RoomModes out{std::move(room), {}};
    if (spec.empty()) return out;  // a question
    if (spec[0] != '+' && spec[0] != '-')
        return intent::Error{"not changed: a change starts with + or - (/mode +m, /mode -k); "
                             "/mode alone shows the modes"};
    char sign = 0;
    for (std::size_t i = 0; i < spec.size();) {
        const char c = spec[i];
        if (c == '+' || c == '-') {
            sign = c;
            ++i;
            continue;
        }
        if (kModeLetters.find(c) == std::string_view::npos) {
            std::size_t end = i;
            text::decode_one(spec, end);
            return intent::Error{"not changed: rooms have no mode \"" +
                                 text::sanitize_for_terminal(spec.substr(i, end - i)) +
                                 "\"; their letters are i k l m n s t o v b (/help mode)"};
        }
        ++i;
        intent::ModeChange m{std::string{sign, c}, ""};
        if (takes_arg(sign, c)) {
            const std::string_view arg = first_word(words);
            words = trim(words);
            if (arg.empty()) return intent::Error{"not changed: " + m.change + " needs " + arg_wanted(c)};
            if (auto why = mode_arg_problem(c, arg)) return intent::Error{"not changed: " + *why};
            m.arg = std::string(arg);
        }
        if (out.changes.size() == kMaxModeChanges)
            return intent::Error{"not changed: at most " + std::to_string(kMaxModeChanges) +
                                 " changes at once"};
        out.changes.push_back(std::move(m));
    }
    if (out.changes.empty())
        return intent::Error{"not changed: a mode letter goes after the sign (/mode +m)"};
    if (!words.empty()) {
        const std::string_view extra = first_word(words);
        return intent::Error{"not changed: \"" + text::sanitize_for_terminal(extra) +
                             "\" is left over (no letter takes it)"};
    }
    return out;
}

// "/op bob carol" is "/mode +oo bob carol", and so on.
Intent many_nicks(const CommandSpec& cmd, std::string_view args, char sign, char letter) {
    std::string_view r = args;
    std::string room;
    if (auto e = leading_room(r, room)) return intent::Error{*e};
    std::size_t n = 0;
    for (std::string_view w = r; !first_word(w).empty(); w = trim(w)) ++n;
    if (n == 0) return intent::Error{"usage: " + usage(cmd)};
    return mode_changes(std::move(room), std::string(1, sign) + std::string(n, letter), r);
}

Intent parse_private(std::string_view target, std::string_view rest, const char* how) {
    if (target.empty()) return intent::Error{std::string("usage: ") + how};
    if (auto why = text::nick_problem(target))
        return intent::Error{"not sent: \"" + text::sanitize_for_terminal(target) +
                             "\" is not a nickname (" + *why + ")"};
    const std::string_view text = trim(rest);
    if (text.empty()) return intent::Error{std::string("usage: ") + how};
    return checked_text(text, intent::SendPrivate{std::string(target), std::string(text)});
}

}  // namespace

Intent parse_input(std::string_view line) {
    if (trim(line).empty()) return intent::Nothing{};
    if (line.size() >= 2 && line[0] == '/' && line[1] == '/') {
        line.remove_prefix(1);
        while (!line.empty() && blank(line.back())) line.remove_suffix(1);
        return checked_text(line, intent::SendGroup{std::string(line)});
    }
    if (line[0] == '@') {
        std::string_view rest = line.substr(1);
        const std::string_view target = first_word(rest);
        return parse_private(target, rest, "@nick text");
    }
    if (line[0] != '/') {
        while (!line.empty() && blank(line.back())) line.remove_suffix(1);  // a paste's last newline
        return checked_text(line, intent::SendGroup{std::string(line)});
    }

    std::string_view rest = line.substr(1);
    const std::string_view name = first_word(rest);
    const CommandSpec* cmd = find_command(name);
    if (!cmd)
        return intent::Error{"unknown command /" + text::sanitize_for_terminal(name) +
                             " (nothing was sent; /help lists the commands, // sends a line "
                             "starting with /)"};
    const std::string_view args = trim(rest);
    switch (cmd->id) {
        case CommandId::Msg: {
            std::string_view r = args;
            const std::string_view target = first_word(r);
            return parse_private(target, r, "/msg nick text");
        }
        case CommandId::List:
            if (args.empty()) return intent::ListUsers{false};
            if (args == "-a") return intent::ListUsers{true};
            return intent::Error{"usage: " + usage(*cmd)};
        case CommandId::Join: {
            std::string_view r = trim(args);
            const std::string_view name = first_word(r);
            r = trim(r);
            const std::string_view key = first_word(r);  // optional
            if (name.empty() || !trim(r).empty()) return intent::Error{"usage: " + usage(*cmd)};
            const std::string room = name[0] == '#' ? std::string(name) : "#" + std::string(name);
            if (auto why = text::room_problem(room))
                return intent::Error{"cannot join \"" + text::sanitize_for_terminal(room) + "\": " + *why};
            return intent::JoinRoom{room, std::string(key)};
        }
        case CommandId::Part: {
            std::string_view r = args;
            std::string room;
            if (auto e = leading_room(r, room)) return intent::Error{*e};
            return intent::PartRoom{room, reason_text(r)};
        }
        case CommandId::Invite: {
            std::string_view r = trim(args);
            const std::string_view nick = first_word(r);
            r = trim(r);
            const std::string_view room = first_word(r);
            if (nick.empty() || !trim(r).empty() || (!room.empty() && room[0] != '#'))
                return intent::Error{"usage: " + usage(*cmd)};
            if (auto e = not_a_nick(nick)) return intent::Error{*e};
            if (!room.empty())
                if (auto e = not_a_room(room)) return intent::Error{*e};
            return intent::InviteTo{std::string(nick), std::string(room)};
        }
        case CommandId::Kick: {
            std::string_view r = args;
            std::string room;
            if (auto e = leading_room(r, room)) return intent::Error{*e};
            const std::string_view nick = first_word(r);
            if (nick.empty()) return intent::Error{"usage: " + usage(*cmd)};
            if (auto e = not_a_nick(nick)) return intent::Error{*e};
            return intent::KickOut{room, std::string(nick), reason_text(trim(r))};
        }
        case CommandId::Mode: {
            std::string_view r = args;
            std::string room;
            if (auto e = leading_room(r, room)) return intent::Error{*e};
            const std::string_view spec = first_word(r);
            return mode_changes(std::move(room), spec, trim(r));
        }
        case CommandId::Op: return many_nicks(*cmd, args, '+', 'o');
        case CommandId::Deop: return many_nicks(*cmd, args, '-', 'o');
        case CommandId::Voice: return many_nicks(*cmd, args, '+', 'v');
        case CommandId::Devoice: return many_nicks(*cmd, args, '-', 'v');
        case CommandId::Rooms:
            if (!args.empty()) return intent::Error{"usage: " + usage(*cmd)};
            return intent::ListRooms{};
        case CommandId::Topic: {
            if (args.empty()) return intent::Topic{std::nullopt};
            if (args == "-clear") return intent::Topic{std::string()};
            if (args.find_first_of("\n\t") != std::string_view::npos)
                return intent::Error{"not set: a topic is one line, without tabs"};
            if (args.size() > kMaxTopicBytes)
                return intent::Error{"not set: a topic is at most " + std::to_string(kMaxTopicBytes) + " bytes"};
            if (auto why = text::text_problem(args)) return intent::Error{"not set: " + *why};
            return intent::Topic{std::string(args)};
        }
        case CommandId::Switch:
            if (args.empty() || args.find_first_of(" \t\n") != std::string_view::npos)
                return intent::Error{"usage: " + usage(*cmd)};
            return intent::SwitchTo{std::string(args)};
        case CommandId::Search: {
            if (args.empty()) return intent::Error{"usage: " + usage(*cmd)};
            if (args.find('\n') != std::string_view::npos)
                return intent::Error{"not searched: the words are one line"};
            if (args.size() > kMaxSearchBytes)
                return intent::Error{"not searched: at most " + std::to_string(kMaxSearchBytes) + " bytes of words"};
            if (auto why = text::text_problem(args)) return intent::Error{"not searched: " + *why};
            return intent::SearchRoom{std::string(args)};
        }
        case CommandId::Ignore:
            if (args.empty()) return intent::SetIgnore{std::nullopt};
            if (args == "on") return intent::SetIgnore{true};
            if (args == "off") return intent::SetIgnore{false};
            return intent::Error{"usage: " + usage(*cmd)};
        case CommandId::Nick:
            if (args.empty()) return intent::Error{"usage: " + usage(*cmd)};
            if (auto why = text::nick_problem(args))
                return intent::Error{"cannot use that nickname: " + *why};
            return intent::ChangeNick{std::string(args)};
        case CommandId::Me:
            if (args.empty()) return intent::Error{"usage: " + usage(*cmd)};
            return checked_text(args, intent::SendAction{std::string(args)});
        case CommandId::Clear:
            return intent::Clear{};
        case CommandId::Help:
            return intent::Help{std::string(args)};
        case CommandId::Quit:
            return intent::Quit{reason_text(args)};
    }
    return intent::Nothing{};
}

std::vector<std::string> help_lines(std::string_view topic) {
    std::vector<std::string> out;
    if (!topic.empty()) {
        if (topic[0] == '/') topic.remove_prefix(1);
        const CommandSpec* c = find_command(topic);
        if (!c) {
            out.push_back("no command /" + text::sanitize_for_terminal(topic) +
                          "; /help lists them");
            return out;
        }
        out.push_back(usage(*c) + "  " + c->help);
        if (!c->aliases.empty()) {
            std::string a = "also:";
            for (const char* alias : c->aliases) a += std::string(" /") + alias;
            out.push_back(a);
        }
        out.push_back(std::string("example: ") + c->example);
        return out;
    }
    out.push_back("text       send to the room shown (or the person)   @nick text  send privately");
    for (const auto& c : command_table()) {
        std::string u = usage(c);
        for (const char* alias : c.aliases) u += std::string(", /") + alias;
        if (u.size() < 24) u.resize(24, ' ');
        out.push_back(u + " " + c.help);
    }
    out.push_back("keys: Alt-1..9, Ctrl-N/Ctrl-P switch rooms; Tab completes; Up/Down history; "
                  "PgUp/PgDn scroll (PgUp at the top loads older history); Esc back to the "
                  "newest; Ctrl-C quits; see man natter");
    return out;
}

}  // namespace natter::tui
