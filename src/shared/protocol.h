// The natter wire contract, in one file: every message that crosses the wire, its fields, the
// protocol version and the limits. The encoding (newline-delimited JSON) lives in codec.h; the
// man page natter-protocol(7) documents the same thing for people writing bots.
#pragma once

#include <cstddef>
#include <cstdint>
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
}  // namespace err

// One user as seen in presence lists.
struct UserInfo {
    std::string nick;
    bool ignoring = false;  // in ignore mode: not receiving group messages
    bool operator==(const UserInfo& o) const { return nick == o.nick && ignoring == o.ignoring; }
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
struct Hello      { std::string nick; int version = kProtocolVersion; };  // "hello"
struct Say        { std::string text; };                                 // "say": to everyone
struct Tell       { std::string to; std::string text; };                 // "tell": private
struct Me         { std::string text; };                                 // "me": an action
struct ChangeNick { std::string nick; };                                 // "nick"
struct Who        {};                                                     // "who"
struct SetIgnore  { bool on = false; };                                   // "ignore"
struct HelpRequest {};                                                    // "help"
struct Quit       { std::string reason; };                               // "quit" (reason optional)

// ---- both directions ------------------------------------------------------------------------
struct Ping { std::string token; };  // "ping": answer with a pong carrying the same token
struct Pong { std::string token; };  // "pong"

// ---- server to client -----------------------------------------------------------------------
// Chat messages carry the server's id (increasing) and time stamp (ms since the Unix epoch).
struct Welcome {  // "welcome": login accepted; a "users" answer follows
    std::string nick;    // the nickname as registered
    std::string server;  // server name and version
    std::string motd;    // greeting
    int version = kProtocolVersion;
};
struct Error {  // "error"
    std::string code;  // one of err::
    std::string text;  // for people
};
struct GroupMessage   { std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string text; };  // "message"
struct PrivateMessage { std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string to; std::string text; };  // "private"
struct Action         { std::uint64_t id = 0; std::uint64_t ts = 0; std::string from; std::string text; };  // "action"
struct UserList {  // "users": who is online, sorted case-insensitively, in chunks
    std::vector<UserInfo> users;
    bool more = false;  // another chunk follows
    // How many are online (optional: 0 means not sent). Past the server's presence limit a
    // newcomer gets only the first chunk, so this can exceed the users received.
    std::uint64_t total = 0;
};
struct IgnoreState { bool on = false; };  // "ignoring": the answer to SetIgnore
struct HelpAnswer  { std::vector<CommandHelp> commands; };  // "help"
struct Joined        { std::uint64_t ts = 0; std::string nick; };                       // "joined"
struct Left          { std::uint64_t ts = 0; std::string nick; std::string reason; };   // "left"
struct Renamed       { std::uint64_t ts = 0; std::string from; std::string to; };       // "renamed"
struct IgnoreChanged { std::uint64_t ts = 0; std::string nick; bool on = false; };      // "ignore_changed"
struct Bye           { std::string reason; };  // "bye": the server closes the connection after it

using Message = std::variant<
    // client to server
    Hello, Say, Tell, Me, ChangeNick, Who, SetIgnore, HelpRequest, Quit,
    // both
    Ping, Pong,
    // server to client
    Welcome, Error, GroupMessage, PrivateMessage, Action, UserList, IgnoreState, HelpAnswer,
    Joined, Left, Renamed, IgnoreChanged, Bye>;

// Who may send a message: the decoder accepts only the types of one direction.
enum class Direction { ClientToServer, ServerToClient };

// The "type" string of a message on the wire.
const char* type_name(const Message& m);

}  // namespace natter
