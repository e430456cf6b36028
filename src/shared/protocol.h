// The natter wire contract, in one file: every message that crosses the wire, its fields, the
// protocol version and the limits. The encoding (newline-delimited JSON) lives in codec.h; the
// man page natter-protocol(7) documents the same thing for people writing bots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace natter {

constexpr int kProtocolVersion = 1;
constexpr std::uint16_t kDefaultPort = 6288;  // "NATT" on a phone keypad

// Limits. A frame is one line of JSON including its newline; anything longer is refused before
// any parsing. Text limits are in bytes of UTF-8; nickname length in code points.
constexpr std::size_t kMaxFrameBytes = 16384;
constexpr std::size_t kMaxTextBytes = 4096;  // worst case escaped (every byte doubled) fits a frame
constexpr std::size_t kMaxNickCodepoints = 24;
constexpr std::size_t kMaxNickBytes = kMaxNickCodepoints * 4;
constexpr std::size_t kMaxReasonBytes = 256;  // quit and error texts
constexpr std::size_t kMaxTokenBytes = 64;    // ping/pong tokens
constexpr std::size_t kUsersPerChunk = 100;   // a "users" answer is split into chunks of this many

// Rooms. A room name is '#' and 1 to 31 characters: letters of one script, ASCII digits and
// `_-.`, starting with a letter, digit or `_` (text::room_problem). Two names that differ only in
// case or look alike (the nickname skeleton rule) are the same room.
constexpr const char* kLobby = "#lobby";      // everyone joins it at login; "say" defaults to it
constexpr std::size_t kMaxRoomCodepoints = 32;  // '#' included
constexpr std::size_t kMaxRoomBytes = kMaxRoomCodepoints * 4;
constexpr std::size_t kMaxTopicBytes = 512;     // one line
constexpr std::size_t kMaxRoomsPerClient = 50;  // rooms one client may be in at once
constexpr std::size_t kRoomsPerChunk = 100;     // a "rooms" answer is split into chunks of this many

// History. A page is at most kMaxHistoryPage messages and at most kHistoryPageBytes of text (so
// a page always fits a client's output queue); "more" in the closing marker says older ones exist.
constexpr std::size_t kMaxHistoryPage = 100;
constexpr std::size_t kHistoryPageBytes = 128 * 1024;
constexpr std::size_t kSearchPage = 50;          // search results per answer
constexpr std::size_t kMaxSearchBytes = 256;     // the words of one search

// Machine-readable error codes carried by Error::code.
namespace err {
constexpr const char* kBadJson = "bad_json";            // not a JSON object
constexpr const char* kBadUtf8 = "bad_utf8";            // invalid UTF-8 or a NUL
constexpr const char* kBadField = "bad_field";          // missing field or wrong field type
constexpr const char* kUnknownType = "unknown_type";    // no such message type
constexpr const char* kFrameTooLong = "frame_too_long"; // line over kMaxFrameBytes
constexpr const char* kNotLoggedIn = "not_logged_in";   // chat before hello
constexpr const char* kAlreadyLoggedIn = "already_logged_in";
constexpr const char* kBadVersion = "bad_version";      // unsupported protocol version
constexpr const char* kNickInvalid = "nick_invalid";    // breaks the nickname rule
constexpr const char* kNickTaken = "nick_taken";        // someone has it (case-insensitively)
constexpr const char* kNoSuchNick = "no_such_nick";     // private message to nobody
constexpr const char* kBadText = "bad_text";            // empty, too long, or control characters
constexpr const char* kServerFull = "server_full";      // --max-clients or out of descriptors
constexpr const char* kTooManyErrors = "too_many_errors";  // sent before a disconnect
constexpr const char* kSlowDown = "slow_down";          // rate limit
constexpr const char* kRoomInvalid = "room_invalid";    // breaks the room name rule
constexpr const char* kNotInRoom = "not_in_room";       // say/part/topic/history/search elsewhere
constexpr const char* kNoSuchRoom = "no_such_room";     // who or topic of a room nobody created
constexpr const char* kTooManyRooms = "too_many_rooms"; // kMaxRoomsPerClient, or the server's limit
constexpr const char* kNotStored = "not_stored";        // the server could not store it: not sent
constexpr const char* kHistoryUnavailable = "history_unavailable";  // history off or unreadable
constexpr const char* kNotOperator = "not_operator";    // a room's operators only: a +t topic, a +m room
constexpr const char* kKilled = "killed";                // a server operator disconnected you
constexpr const char* kInviteOnly = "invite_only";      // join of an invite-only room, uninvited
constexpr const char* kAlreadyInRoom = "already_in_room";  // invitation of someone in the room
constexpr const char* kBadKey = "bad_key";              // join of a room with a key, without it
constexpr const char* kRoomFull = "room_full";          // join of a room at its member limit
constexpr const char* kBanned = "banned";                // join of or message to a room that banned you
constexpr const char* kUserNotInRoom = "user_not_in_room";  // kick, +o or +v of someone not in the room
constexpr const char* kUnknownMode = "unknown_mode";        // a mode change rooms do not have
constexpr const char* kInvalidModeParam = "invalid_mode_param";  // a key, limit or mask that breaks the rule
constexpr const char* kListFull = "list_full";              // a ban past the room's limit of bans
}  // namespace err

// One user as seen in presence lists.
struct UserInfo {
    std::string nick;
    bool ignoring = false;  // in ignore mode: not receiving group messages
    bool op = false;        // in a room's list: its operator (on the wire only when true)
    bool voice = false;     // in a room's list: may speak when it is moderated (only when true)
    bool operator==(const UserInfo& o) const {
        return nick == o.nick && ignoring == o.ignoring && op == o.op && voice == o.voice;
    }
};

// One room as listed by "rooms".
struct RoomInfo {
    std::string room;
    std::uint64_t members = 0;  // online now
    std::string topic;
    bool operator==(const RoomInfo& o) const {
        return room == o.room && members == o.members && topic == o.topic;
    }
};

// Help for one command, answered to HelpRequest (bots use it; the natter client has its own table).
struct CommandHelp {
    std::string name;     // "ls"
    std::string usage;    // "/ls"
    std::string summary;  // "list who is online"
    bool operator==(const CommandHelp& o) const {
        return name == o.name && usage == o.usage && summary == o.summary;
    }
};

// ---- client to server -----------------------------------------------------------------------
// A "room" that is optional on the wire defaults to what its struct says.
struct Hello      { std::string nick; int version = kProtocolVersion; };  // "hello"
// "say": to one room; "tell": private. `notice` (absent on the wire unless true) marks an
// automatic message, IRC's NOTICE: a bot's announcement or answer, which no program may answer.
struct Say        { std::string text; std::string room = kLobby; bool notice = false; };
struct Tell       { std::string to; std::string text; bool notice = false; };
struct Me         { std::string text; std::string room = kLobby; };      // "me": an action
struct ChangeNick { std::string nick; };                                 // "nick"
struct Who        { std::string room = ""; };  // "who": a room's members; no room: everyone online
struct SetIgnore  { bool on = false; };                                   // "ignore"
struct HelpRequest {};                                                    // "help"
struct Quit       { std::string reason; };                               // "quit" (reason optional)
// "join": joins, creating it; `key` (absent unless set) opens a room that has one (IRC's +k).
struct Join       { std::string room; std::string key = ""; };
struct Part       { std::string room; std::string reason = ""; };            // "part" (reason optional)
struct ListRooms  {};                                                     // "rooms"
// "topic": without text asks for a room's topic; with text sets it ("" clears it).
struct TopicRequest { std::string room; std::optional<std::string> text = std::nullopt; };
// "history": the page of messages just before id `before` (0: the newest), oldest first;
// limit 0 means the server's default.
struct HistoryRequest { std::string room; std::uint64_t before = 0; std::uint64_t limit = 0; };
// "search": the newest messages before id `before` (0: all) containing every word.
struct Search     { std::string room; std::string words; std::uint64_t before = 0; };
// "invite": invites `nick` to a room you are in (only its operators may, when it is invite-only).
struct Invite     { std::string room; std::string nick; };
// "kick": a room operator removes `nick` from the room (IRC's KICK); `reason` optional.
struct Kick       { std::string room; std::string nick; std::string reason = ""; };
// "mode": without `change`, asks for a room's modes (answered by "modes"). With it, a room
// operator changes one mode: `change` is '+' or '-' and one letter (i invite-only, k key,
// l member limit, m moderated, n members only, s secret, t topic lock, o operator, v voice,
// b ban); `arg` is the key (+k), the limit (+l), a member's nickname (o, v) or a ban mask (b).
struct ModeRequest { std::string room; std::string change = ""; std::string arg = ""; };

// ---- both directions ------------------------------------------------------------------------
struct Ping { std::string token; };  // "ping": answer with a pong carrying the same token
struct Pong { std::string token; };  // "pong"

// ---- server to client -----------------------------------------------------------------------
// Chat messages carry the server's id (increasing) and time stamp (ms since the Unix epoch).
struct Welcome {  // "welcome": login accepted; the answer to joining #lobby follows
    std::string nick;    // the nickname as registered
    std::string server;  // server name and version
    std::string motd;    // greeting
    int version = kProtocolVersion;
};
struct Error {  // "error"
    std::string code;  // one of err::
    std::string text;  // for people
};
// Room messages, live or (history = true) from the room's history with their original id and ts;
// `notice` as sent (see Say).
struct GroupMessage {  // "message"
    std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string text;
    std::string room = kLobby; bool history = false; bool notice = false;
};
struct PrivateMessage {  // "private"
    std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string to; std::string text;
    bool notice = false;
};
struct Action {  // "action"
    std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string text;
    std::string room = kLobby; bool history = false;
};
struct UserList {  // "users": a room's members or everyone online, sorted case-insensitively, in chunks
    std::vector<UserInfo> users;
    bool more = false;  // another chunk follows
    // How many are online (optional: 0 means not sent). Past the server's presence limit a
    // newcomer gets only the first chunk, so this can exceed the users received.
    std::uint64_t total = 0;
    std::string room = "";  // the room, or empty (absent on the wire) for everyone online
};
struct IgnoreState { bool on = false; };  // "ignoring": the answer to SetIgnore
struct HelpAnswer  { std::vector<CommandHelp> commands; };  // "help"
struct Joined        { std::uint64_t ts = 0; std::string nick; std::string room = kLobby; };  // "joined"
// "left": a room, or (room empty, absent on the wire) the server and so every room; `by` (absent
// unless set) is the operator who removed `nick` from the room (an IRC kick).
struct Left          { std::uint64_t ts = 0; std::string nick; std::string reason; std::string room = ""; std::string by = ""; };
struct Renamed       { std::uint64_t ts = 0; std::string from; std::string to; };       // "renamed"
struct IgnoreChanged { std::uint64_t ts = 0; std::string nick; bool on = false; };      // "ignore_changed"
struct Bye           { std::string reason; };  // "bye": the server closes the connection after it
struct RoomList { std::vector<RoomInfo> rooms; bool more = false; };  // "rooms": sorted, in chunks
// "topic": a room's topic, on join (when set), when asked, and to its members when it changes.
struct Topic { std::uint64_t ts = 0; std::string room; std::string by; std::string text; };
// "history_end": closes a page of history (also the one sent on join); more: older ones exist.
struct HistoryEnd { std::string room; std::uint64_t count = 0; bool more = false; };
// "found": one search result.
struct Found {
    std::uint64_t id = 0; std::uint64_t ts = 0; std::string room; std::string from; std::string text;
    bool action = false; bool notice = false;
};
// "search_end": closes the results of one search (sent oldest first); more: older matches exist.
struct SearchEnd { std::string room; std::uint64_t count = 0; bool more = false; };
// "invited": `by` invited `nick` to `room` (an IRC INVITE); sent to both, and to nobody else.
struct Invited { std::uint64_t ts = 0; std::string room; std::string by; std::string nick; };
// "mode": `by` changed one of a room's modes, `change` and `arg` as in ModeRequest (the arg of
// -k is "*"); sent to the room's members. A change of operators or voice also brings a fresh
// "users" list.
struct ModeChanged { std::uint64_t ts = 0; std::string room; std::string by; std::string change; std::string arg = ""; };
// "modes": a room's modes, the answer to a ModeRequest without change. `modes` is '+' and the
// letters set, in alphabetical order ("+knt"); the key is told only to members ("" for none
// or untold), limit 0 is none; `bans` the ban masks, oldest first.
struct RoomModesInfo {
    std::string room; std::string modes; std::string key = ""; std::uint64_t limit = 0;
    std::vector<std::string> bans = {};
};

using Message = std::variant<
    // client to server
    Hello, Say, Tell, Me, ChangeNick, Who, SetIgnore, HelpRequest, Quit,
    Join, Part, ListRooms, TopicRequest, HistoryRequest, Search, Invite, Kick, ModeRequest,
    // both
    Ping, Pong,
    // server to client
    Welcome, Error, GroupMessage, PrivateMessage, Action, UserList, IgnoreState, HelpAnswer,
    Joined, Left, Renamed, IgnoreChanged, Bye,
    RoomList, Topic, HistoryEnd, Found, SearchEnd, Invited, ModeChanged, RoomModesInfo>;

// Who may send a message: the decoder accepts only the types of one direction.
enum class Direction { ClientToServer, ServerToClient };

// The "type" string of a message on the wire.
const char* type_name(const Message& m);

}  // namespace natter
