// The IRC session's queries: WHO, WHOIS, WHOWAS, ISON, USERHOST, LUSERS, MOTD, VERSION, TIME,
// INFO. Most are answered from the core's state at once; a channel's WHO asks the core.
#include "server/irc_session.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "server/irc_help.h"
#include "server/irc_numerics.h"
#include "server/irc_session_detail.h"
#include "shared/text.h"

namespace natter::server::irc {

using namespace detail;

// ---- queries -----------------------------------------------------------------------------------

void Session::who(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    const std::string mask = l.params.empty() ? std::string("*") : l.params[0];
    if (is_channel(mask) && sane(mask)) {
        w.steps.push_back({{}, Message{Who{mask}}, Context{Context::Kind::Who, mask, {}}});
        return;
    }
    if (!sane(mask)) {
        reply(w, rpl::kEndOfWho, {"*", "End of /WHO list"});
        return;
    }
    auto row = [&](ClientId id) {
        const std::string& n = *core.nick(id);
        const Ident& i = dir.ident(n);
        reply(w, rpl::kWhoReply, {"*", i.user, i.host, config_.server_name, n, who_flags(core, id, ""), "0 " + i.realname});
    };
    if (!has_wildcards(mask) && mask != "0") {
        // One nickname: its line, if it is online.
        const ClientId id = find_online(core, mask);
        if (id != 0) row(id);
    } else {
        // A mask ("*", "ann*", "*@irc"...) against each user's nickname (case folded), username,
        // host and real name (ASCII case ignored), as modern servers match it. natter lists
        // everyone online to anyone (/ls), so no one is hidden; the answer is capped all the same.
        const std::string folded = mask == "0" ? std::string("*") : text::fold_case(mask);
        const std::string lower = ascii_lower(mask == "0" ? std::string("*") : mask);
        std::size_t shown = 0;
        for (ClientId id : core.online_ids()) {
            if (shown == kMaxWhoMatches) break;
            const std::string& n = *core.nick(id);
            const Ident& i = dir.ident(n);
            if (mask_matches(folded, text::fold_case(n)) || mask_matches(lower, ascii_lower(i.user)) ||
                mask_matches(lower, ascii_lower(i.host)) || mask_matches(lower, ascii_lower(i.realname))) {
                row(id);
                ++shown;
            }
        }
    }
    reply(w, rpl::kEndOfWho, {mask, "End of /WHO list"});
}

void Session::whois(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    if (l.params.empty()) {
        reply(w, rpl::kErrNoNicknameGiven, {"No nickname given"});
        return;
    }
    // "WHOIS server nick" asks a given server: there is only this one.
    const std::string& target = l.params.size() > 1 ? l.params[1] : l.params[0];
    const std::string shown = sane(target) ? target : text::sanitize_for_terminal(target);
    const ClientId id = find_online(core, target);
    if (id == 0) {
        reply(w, rpl::kErrNoSuchNick, {shown, "No such nick/channel"});
        reply(w, rpl::kEndOfWhois, {shown, "End of /WHOIS list"});
        return;
    }
    const std::string& n = *core.nick(id);
    const Ident& i = dir.ident(n);
    reply(w, rpl::kWhoisUser, {n, i.user, i.host, "*", i.realname});
    // Its rooms, except secret ones this client is not in.
    std::string rooms;
    for (const std::string& room : core.rooms_of(id)) {
        const RoomModes* modes = core.room_modes(room);
        if (modes != nullptr && modes->secret && rooms_.count(text::room_key(room)) == 0) continue;
        std::string shown =
            member_prefix(core.is_operator(room, id), core.is_voiced(room, id), caps_.multi_prefix) + room;
        if (!rooms.empty() && rooms.size() + 1 + shown.size() > 400) {
            reply(w, rpl::kWhoisChannels, {n, rooms});
            rooms.clear();
        }
        if (!rooms.empty()) rooms += ' ';
        rooms += shown;
    }
    if (!rooms.empty()) reply(w, rpl::kWhoisChannels, {n, rooms});
    reply(w, rpl::kWhoisServer, {n, config_.server_name, dir.is_irc(n) ? "natterd, IRC listener" : "natterd, natter client"});
    if (core.is_server_operator(id)) reply(w, rpl::kWhoisOperator, {n, "is an IRC operator"});
    if (!core.away(id).empty()) reply(w, rpl::kAway, {n, core.away(id)});
    reply(w, rpl::kEndOfWhois, {n, "End of /WHOIS list"});
}

void Session::whowas(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    // The nicknames given up lately (natterd remembers the last ChatCore::kMaxDepartures), newest
    // first, as many as asked for ("WHOWAS nick 2"; none or 0 or less: all, up to a cap).
    const std::string shown = sane(l.params[0]) ? l.params[0] : text::sanitize_for_terminal(l.params[0]);
    const std::string key = fold_nick(l.params[0]);
    long wanted = l.params.size() > 1 ? std::strtol(l.params[1].c_str(), nullptr, 10) : 0;
    if (wanted <= 0 || wanted > static_cast<long>(kMaxWhowasEntries)) wanted = kMaxWhowasEntries;
    long found = 0;
    const auto& gone = core.departures();
    for (auto it = gone.rbegin(); !key.empty() && it != gone.rend() && found < wanted; ++it) {
        if (text::fold_case(it->nick) != key) continue;
        const Ident& i = dir.ident_of(it->id);
        reply(w, rpl::kWhowasUser, {it->nick, i.user, i.host, "*", i.realname});
        reply(w, rpl::kWhoisServer, {it->nick, config_.server_name, human_time(it->ts)});
        ++found;
    }
    if (found == 0) reply(w, rpl::kErrWasNoSuchNick, {shown, "There was no such nickname"});
    reply(w, rpl::kEndOfWhowas, {shown, "End of WHOWAS"});
}

void Session::time(const Line&, const ChatCore&, const Directory&, Work& w) {
    reply(w, rpl::kTime, {config_.server_name, human_time(now_)});
}

void Session::info(const Line&, const ChatCore&, const Directory&, Work& w) {
    for (const std::string& line : {config_.version + ": the natter chat server",
                                    std::string("natter is terminal chat for people who share a machine;"),
                                    std::string("natter and IRC clients meet in the same rooms, served by one"),
                                    std::string("poll() loop, with room history in SQLite. See natterd(1).")})
        reply(w, rpl::kInfo, {line});
    reply(w, rpl::kEndOfInfo, {"End of INFO list"});
}

// HELP and HELPOP (the Modern IRC numerics 704-706, 524 for an unknown subject).
void Session::help(const Line& l, const ChatCore&, const Directory&, Work& w) {
    if (l.params.empty() || l.params[0].empty()) {
        const std::vector<std::string> index = help_index();
        for (std::size_t i = 0; i < index.size(); ++i)
            reply(w, i == 0 ? rpl::kHelpStart : rpl::kHelpTxt, {"*", index[i]});
        reply(w, rpl::kEndOfHelp, {"*", "End of /HELP"});
        return;
    }
    const HelpTopic* topic = find_help(l.params[0]);
    if (topic == nullptr) {
        // Said back as a middle parameter: printable ASCII without spaces, short.
        std::string subject;
        for (char ch : l.params[0])
            if (ch > ' ' && ch < 0x7f && subject.size() < 32) subject += ch;
        reply(w, rpl::kErrHelpNotFound, {subject.empty() ? "*" : subject, "No help available on this topic"});
        return;
    }
    for (std::size_t i = 0; i < topic->lines.size(); ++i)
        reply(w, i == 0 ? rpl::kHelpStart : rpl::kHelpTxt, {topic->command, topic->lines[i]});
    reply(w, rpl::kEndOfHelp, {topic->command, "End of /HELP"});
}

// ---- the rest of the queries ------------------------------------------------------------

void Session::ison(const Line& l, const ChatCore& core, const Directory&, Work& w) {
    std::string online;
    for (const std::string& p : l.params)
        for (const std::string& n : split_list(p)) {
            std::size_t start = 0;
            // ISON takes nicknames separated by spaces, in one or several parameters.
            while (start < n.size()) {
                std::size_t end = n.find(' ', start);
                if (end == std::string::npos) end = n.size();
                const std::string one = n.substr(start, end - start);
                start = end + 1;
                const ClientId id = find_online(core, one);
                if (id == 0) continue;
                if (!online.empty()) online += ' ';
                online += *core.nick(id);
            }
        }
    reply(w, rpl::kIsOn, {online});
}

void Session::userhost(const Line& l, const ChatCore& core, const Directory& dir, Work& w) {
    std::string out;
    for (std::size_t i = 0; i < l.params.size() && i < 5; ++i) {
        const ClientId id = find_online(core, l.params[i]);
        if (id == 0) continue;
        const std::string& n = *core.nick(id);
        const Ident& ident = dir.ident(n);
        if (!out.empty()) out += ' ';
        // '+' here, '-' away (RFC 2812 6.2, RPL_USERHOST).
        out += n + (core.away(id).empty() ? "=+" : "=-") + ident.user + "@" + ident.host;
    }
    reply(w, rpl::kUserHost, {out});
}

void Session::lusers(const Line&, const ChatCore& core, const Directory&, Work& w) {
    const std::string users = std::to_string(core.online());
    const std::string unknown = std::to_string(core.connected() - core.online());
    reply(w, rpl::kLuserClient, {"There are " + users + " users and 0 invisible on 1 servers"});
    reply(w, rpl::kLuserOp, {std::to_string(core.server_operators()), "operator(s) online"});
    reply(w, rpl::kLuserUnknown, {unknown, "unknown connection(s)"});
    reply(w, rpl::kLuserChannels, {std::to_string(core.room_count()), "channels formed"});
    reply(w, rpl::kLuserMe, {"I have " + users + " clients and 0 servers"});
    // One server: the local and the global counts are the same.
    const std::string peak = std::to_string(core.peak_online());
    reply(w, rpl::kLocalUsers, {users, peak, "Current local users " + users + ", max " + peak});
    reply(w, rpl::kGlobalUsers, {users, peak, "Current global users " + users + ", max " + peak});
}

void Session::motd(const Line&, const ChatCore&, const Directory&, Work& w) {
    w.steps.push_back({motd_lines(), {}, {}});
}

void Session::version(const Line&, const ChatCore&, const Directory&, Work& w) {
    reply(w, rpl::kVersion, {config_.version + ".", config_.server_name, "natter chat server, IRC listener"});
    w.steps.back().reply += isupport_lines();
}

}  // namespace natter::server::irc
