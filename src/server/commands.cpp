#include "server/commands.h"

namespace natter::server {

const std::vector<CommandRow>& command_table() {
    static const std::vector<CommandRow> rows = {
        {message_index_v<Hello>, "hello", R"({"type":"hello","nick":"alice","version":1})",
         "log in with a nickname (retry with another if refused)", true},
        {message_index_v<Say>, "say", R"({"type":"say","room":"#lobby","text":"hello everyone"})",
         "send a message to a room you are in (default #lobby); those in ignore mode do not get it", false},
        {message_index_v<Tell>, "tell", R"({"type":"tell","to":"bob","text":"psst"})",
         "send a private message to one nickname", false},
        {message_index_v<Me>, "me", R"({"type":"me","room":"#lobby","text":"waves"})",
         "send an action (/me) to a room you are in (default #lobby)", false},
        {message_index_v<ChangeNick>, "nick", R"({"type":"nick","nick":"alice2"})",
         "change your nickname", false},
        {message_index_v<Who>, "who", R"({"type":"who","room":"#lobby"})",
         "list a room's members, or without a room everyone online, with each one's ignore mode", false},
        {message_index_v<SetIgnore>, "ignore", R"({"type":"ignore","on":true})",
         "turn ignore mode on or off (on: no group messages reach you)", false},
        {message_index_v<HelpRequest>, "help", R"({"type":"help"})",
         "list the messages the server understands", true},
        {message_index_v<Quit>, "quit", R"({"type":"quit","reason":"bye all"})",
         "leave; the reason is shown to everyone", true},
        {message_index_v<Join>, "join", R"({"type":"join","room":"#rust"})",
         "join a room, creating it; answered with its topic, members and latest history", false},
        {message_index_v<Part>, "part", R"({"type":"part","room":"#rust","reason":"lunch"})",
         "leave a room; the reason is shown to its members", false},
        {message_index_v<ListRooms>, "rooms", R"({"type":"rooms"})",
         "list every room with its member count and topic", false},
        {message_index_v<TopicRequest>, "topic", R"({"type":"topic","room":"#rust","text":"borrowck"})",
         "without text show a room's topic; with text set it in a room you are in (\"\" clears)", false},
        {message_index_v<HistoryRequest>, "history", R"({"type":"history","room":"#rust","before":1200,"limit":50})",
         "a page of a room's history before a message id (0: the newest), oldest first", false},
        {message_index_v<Search>, "search", R"({"type":"search","room":"#rust","words":"deploy friday"})",
         "search a room's history for messages with every word", false},
        {message_index_v<Invite>, "invite", R"({"type":"invite","room":"#rust","nick":"bob"})",
         "invite someone to a room you are in (its operators only, when it is invite-only)", false},
        {message_index_v<Kick>, "kick", R"({"type":"kick","room":"#rust","nick":"bob","reason":"off topic"})",
         "remove someone from a room you operate; its members see who did it and why", false},
        {message_index_v<ModeRequest>, "mode", R"({"type":"mode","room":"#rust","change":"+k","arg":"s3cret"})",
         "without change show a room's modes; with one (+ or - and i k l m n s t o v b) change it, operators only", false},
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
