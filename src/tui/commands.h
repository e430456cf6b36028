// THE command table, and the parser that turns a typed line into what to do. /help, Tab
// completion and the man page's COMMANDS section all come from this one table (a unit test checks
// the man page against it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace natter::tui {

enum class CommandId {
    Msg, List, Join, Part, Invite, Kick, Mode, Op, Deop, Voice, Devoice, Rooms, Topic, Switch, Search,
    Ignore, Nick, Me, Clear, Help, Quit
};

struct CommandSpec {
    CommandId id;
    const char* name;                  // "ls", typed as "/ls"
    std::vector<const char*> aliases;  // {"who", "users"}
    const char* args;                  // "nick text", "[message]", "" for none
    const char* help;                  // one line for /help
    const char* example;               // a typed line, for the man page and /help COMMAND
};

const std::vector<CommandSpec>& command_table();

// The row for a name or alias (without the slash), or nullptr.
const CommandSpec* find_command(std::string_view name);

// What a typed line asks for (an "intent", to keep it apart from the protocol's Action).
namespace intent {
struct SendGroup   { std::string text; };              // plain text: to the room (or person) shown
struct SendPrivate { std::string to; std::string text; };  // "@nick text", "/msg nick text"
struct SendAction  { std::string text; };              // "/me waves"
struct ChangeNick  { std::string nick; };              // "/nick NAME"
struct ListUsers   { bool everyone = false; };         // "/ls" (this room), "/ls -a"
struct JoinRoom    { std::string room; std::string key = ""; };  // "/join #rust [key]" ("/join rust" too)
struct PartRoom    { std::string room; std::string reason; };  // "/part [#room] [message]"
struct InviteTo    { std::string nick; std::string room; };  // "/invite nick [#room]" (room "": this one)
struct KickOut     { std::string room; std::string nick; std::string reason; };  // "/kick [#room] nick [reason]"
// "/mode [#room] [+mt-k [args]]": one change a letter ("+m", "-k"), each with its argument
// ("+k" the key, "+l" the limit, "o" "v" a nickname, "b" a mask); no changes asks for the modes.
// "/op nick..." and the like are "/mode +o..." written short. Room "": the one shown.
struct ModeChange  { std::string change; std::string arg; };
struct RoomModes   { std::string room; std::vector<ModeChange> changes; };
struct ListRooms   {};                                 // "/rooms"
struct Topic       { std::optional<std::string> text; };  // "/topic" shows, "/topic text" sets, "/topic -clear" clears
struct SwitchTo    { std::string name; };              // "/switch NAME", "/w NAME": locally
struct SearchRoom  { std::string words; };             // "/search words"
struct SetIgnore   { std::optional<bool> on; };        // "/i" toggles, "/i on", "/i off"
struct Quit        { std::string reason; };            // "/quit [message]"
struct Clear       {};                                 // "/clear": empties the log, locally
struct Help        { std::string topic; };             // "/help [command]", locally
struct Error       { std::string text; };              // refused locally, nothing is sent
struct Nothing     {};                                 // an empty line
}  // namespace intent

using Intent = std::variant<intent::SendGroup, intent::SendPrivate, intent::SendAction,
                            intent::ChangeNick, intent::ListUsers, intent::SetIgnore,
                            intent::Quit, intent::Clear, intent::Help, intent::Error,
                            intent::Nothing, intent::JoinRoom, intent::PartRoom,
                            intent::ListRooms, intent::Topic, intent::SwitchTo,
                            intent::SearchRoom, intent::InviteTo, intent::KickOut,
                            intent::RoomModes>;

// The mode changes one /mode line may hold: each is one request to the server.
constexpr std::size_t kMaxModeChanges = 6;

// Parses a typed line (possibly several lines from a paste). A line starting with "//" sends the
// rest, from the second slash, as plain text. Texts and nicknames are checked with the shared
// rules, so anything the server would refuse is refused here with the reason.
Intent parse_input(std::string_view line);

// The lines /help prints: every command, or the details of one.
std::vector<std::string> help_lines(std::string_view topic);

}  // namespace natter::tui
