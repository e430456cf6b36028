#include "server/irc_help.h"

#include <cctype>

namespace natter::server::irc {

const std::vector<HelpTopic>& help_topics() {
    static const std::vector<HelpTopic> topics = {
        {"AWAY", {"AWAY [:message]", "Sets an away message (without one, clears it); it is shown to whoever",
                  "sends you a private message, in WHOIS and as G in WHO."}},
        {"CAP", {"CAP LS [302] | CAP REQ :caps | CAP END",
                 "Negotiates capabilities: multi-prefix, server-time (room history on JOIN),",
                 "batch, echo-message, userhost-in-names."}},
        {"HELP", {"HELP [command]", "Without a command, lists the commands; with one, says how to use it."}},
        {"INFO", {"INFO", "Says what this server is."}},
        {"INVITE", {"INVITE nick #room", "Invites someone into a room you are in; in an invite-only (+i) room only",
                    "its operators may. The invitation lets them in once, past +i and +l."}},
        {"ISON", {"ISON nick [nick...]", "Answers which of these nicknames are online."}},
        {"JOIN", {"JOIN #room[,#room...] [key[,key...]]",
                  "Joins rooms, creating them; the first member of an empty room operates it.",
                  "natter users start in #lobby. JOIN 0 leaves every room."}},
        {"KICK", {"KICK #room nick[,nick...] [:reason]", "Removes members from a room you operate."}},
        {"KILL", {"KILL nick [:reason]", "Disconnects a user; server operators only (see OPER)."}},
        {"LIST", {"LIST [#room[,#room...]]", "Lists the rooms that have members, with their topics (secret rooms",
                  "only to their members)."}},
        {"LUSERS", {"LUSERS", "Counts the users, operators and rooms."}},
        {"MODE", {"MODE #room [+-modes [args...]] | MODE nick [+-i | -o]",
                  "Shows or changes a room's modes (operators only): i invite-only, k key,",
                  "l member limit, m moderated, n members only, s secret, t topic lock,",
                  "o operator, v voice, b ban (MODE #room b lists them). At most four changes",
                  "a line. The key, the limit and m n s t are kept with the room."}},
        {"MOTD", {"MOTD", "Shows the message of the day."}},
        {"NAMES", {"NAMES [#room[,#room...]]", "Lists a room's members, operators marked @ and voiced ones +."}},
        {"NICK", {"NICK nick", "Takes or changes your nickname; natter and IRC users share one namespace,",
                  "and nicknames that look alike count as the same."}},
        {"NOTICE", {"NOTICE target :text", "Like PRIVMSG, but an automatic message that nobody must answer."}},
        {"OPER", {"OPER name password", "Makes you a server operator, if the server has an operator file that",
                  "lists the pair."}},
        {"PART", {"PART #room[,#room...] [:reason]", "Leaves rooms; the reason is shown to their members."}},
        {"PASS", {"PASS password", "Gives the server's password, before NICK and USER, when it has one."}},
        {"PING", {"PING token", "Asks for a PONG with the same token."}},
        {"PONG", {"PONG token", "Answers the server's PING."}},
        {"PRIVMSG", {"PRIVMSG target[,target...] :text",
                     "Sends text to a room (#name) or a nickname, natter user or IRC user alike.",
                     "Room messages are kept in the room's history."}},
        {"QUIT", {"QUIT [:reason]", "Leaves the server; everyone sharing a room with you sees the reason."}},
        {"TIME", {"TIME", "Tells the server's time."}},
        {"TOPIC", {"TOPIC #room [:topic]", "Shows a room's topic, or sets it (an empty one clears it); in a +t",
                   "room only its operators may. Topics are kept."}},
        {"USER", {"USER username 0 * :real name", "Registers, with NICK."}},
        {"USERHOST", {"USERHOST nick [nick...]", "Answers each nickname's user@host, with - for an away user."}},
        {"VERSION", {"VERSION", "Tells the server's version and what it supports (ISUPPORT)."}},
        {"WHO", {"WHO #room | WHO mask", "Lists a room's members, or the users matching a mask (* for all)."}},
        {"WHOIS", {"WHOIS nick", "Tells who a user is: user@host, rooms, away message, operator status."}},
        {"WHOWAS", {"WHOWAS nick [count]", "Tells who last used a nickname (natterd remembers the last 1024)."}},
    };
    return topics;
}

const HelpTopic* find_help(std::string_view subject) {
    std::string upper(subject);
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (const HelpTopic& t : help_topics())
        if (upper == t.command) return &t;
    return nullptr;
}

std::vector<std::string> help_index() {
    std::vector<std::string> lines = {"natterd understands these commands; HELP <command> says more:"};
    std::string row;
    for (const HelpTopic& t : help_topics()) {
        if (!row.empty() && row.size() + 1 + std::string_view(t.command).size() > 60) {
            lines.push_back(row);
            row.clear();
        }
        row += (row.empty() ? "" : " ") + std::string(t.command);
    }
    if (!row.empty()) lines.push_back(row);
    lines.emplace_back("Rooms are channels shared with natter users; see natterd(1), section IRC.");
    return lines;
}

}  // namespace natter::server::irc
