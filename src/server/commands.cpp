#include "server/commands.h"

namespace natter::server {

const std::vector<CommandRow>& command_table() {
    static const std::vector<CommandRow> rows = {
        {message_index_v<Hello>, "hello", R"({"type":"hello","nick":"alice","version":1})",
         "log in with a nickname (retry with another if refused)", true},
        {message_index_v<Say>, "say", R"({"type":"say","text":"hello everyone"})",
         "send a message to everyone not in ignore mode", false},
        {message_index_v<Tell>, "tell", R"({"type":"tell","to":"bob","text":"psst"})",
         "send a private message to one nickname", false},
        {message_index_v<Me>, "me", R"({"type":"me","text":"waves"})",
         "send an action (/me) to everyone not in ignore mode", false},
        {message_index_v<ChangeNick>, "nick", R"({"type":"nick","nick":"alice2"})",
         "change your nickname", false},
        {message_index_v<Who>, "who", R"({"type":"who"})",
         "list who is online, with each user's ignore mode", false},
        {message_index_v<SetIgnore>, "ignore", R"({"type":"ignore","on":true})",
         "turn ignore mode on or off (on: no group messages reach you)", false},
        {message_index_v<HelpRequest>, "help", R"({"type":"help"})",
         "list the messages the server understands", true},
        {message_index_v<Quit>, "quit", R"({"type":"quit","reason":"bye all"})",
         "leave; the reason is shown to everyone", true},
        {message_index_v<Ping>, "ping", R"({"type":"ping","token":"42"})",
         "ask for a pong carrying the same token", true},
        {message_index_v<Pong>, "pong", R"({"type":"pong","token":"42"})",
         "answer the server's ping", true},
    };
    return rows;
}

const CommandRow* command_row(const Message& m) {
    for (const auto& row : command_table())
        if (row.index == m.index()) return &row;
    return nullptr;
}

const HelpAnswer& help_answer() {
    static const HelpAnswer answer = [] {
        HelpAnswer a;
        for (const auto& row : command_table()) a.commands.push_back({row.name, row.usage, row.summary});
        return a;
    }();
    return answer;
}

}  // namespace natter::server
