// The chat core's server operators: the users a natterd administrator trusts to remove anyone
// from the server (IRC's OPER and KILL). Natter clients cannot become one, but can be removed by
// one; they see a kill as an error and a bye, like any disconnection natterd decides.
#include "server/chat_core.h"

namespace natter::server {

void ChatCore::set_server_operator(ClientId id, bool on) {
    auto it = clients_.find(id);
    if (it == clients_.end() || !it->second.logged_in) return;
    it->second.server_operator = on;
}

bool ChatCore::is_server_operator(ClientId id) const {
    auto it = clients_.find(id);
    return it != clients_.end() && it->second.logged_in && it->second.server_operator;
}

std::size_t ChatCore::server_operators() const {
    std::size_t n = 0;
    for (ClientId id : online_) n += clients_.at(id).server_operator ? 1 : 0;
    return n;
}

void ChatCore::kill(ClientId by, const std::string& nick, std::string_view reason, Millis now, Outputs& out) {
    auto it = clients_.find(by);
    if (it == clients_.end() || !it->second.logged_in) return;
    Client& c = it->second;
    if (!c.server_operator) {
        refuse(by, c, irc_err::kNoPrivileges, "only a server operator may disconnect someone", now, out);
        return;
    }
    const ClientId target = online_or_refuse(by, c, nick, now, out);
    if (target == 0) return;
    const std::string why = clean_reason(reason.empty() ? std::string_view("no reason given") : reason);
    const std::string line = "Killed (" + c.nick + " (" + why + "))";
    out.notes.push_back({target, "killed by " + c.nick + ": " + why});
    kick(target, err::kKilled, "disconnected by the server operator " + c.nick + ": " + why, line, now, out);
}

}  // namespace natter::server
