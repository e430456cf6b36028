// What natterd keeps of its rooms beyond a run: every room message, and each room's topic and
// settings (its modes but invite-only, which an empty room drops). The
// chat core reads and writes through this interface while handling a message; the server shell
// commits each loop turn's writes as one batch and sends what a batch acknowledges only once the
// store says it is durable. history_db.h is the SQLite implementation (its writes and background
// work on a thread of their own); memory_store.h keeps it all in memory for tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natter::server {

using Millis = std::uint64_t;  // milliseconds since the Unix epoch

// One room message (a say or a me), as stored.
struct StoredMessage {
    std::uint64_t id = 0;
    Millis ts = 0;
    std::string room;  // the room's name as created ("#Rust")
    std::string from;
    std::string text;
    bool action = false;
    bool notice = false;  // an automatic message (see Say::notice): replayed as one
};

// A room's modes (IRC's channel modes). A new room has +n only, as on most IRC servers.
struct RoomModes {
    bool invite_only = false; // +i: only those invited (INVITE) may join
    std::string key;          // +k: a join must give it ("": none)
    std::size_t limit = 0;    // +l: members at most (0: no limit)
    bool moderated = false;   // +m: only operators and voiced members may speak
    bool no_external = true;  // +n: only members may speak (-n: anyone online may)
    bool secret = false;      // +s: listed (rooms) only to its members
    bool topic_lock = false;  // +t: only operators may set the topic
    bool operator==(const RoomModes& o) const {
        return invite_only == o.invite_only && key == o.key && limit == o.limit && moderated == o.moderated &&
               no_external == o.no_external && secret == o.secret && topic_lock == o.topic_lock;
    }
    bool operator!=(const RoomModes& o) const { return !(*this == o); }
};

// "+iklmnst": the letters of the modes set, in alphabetical order ("+" for none).
inline std::string mode_letters(const RoomModes& m) {
    std::string s = "+";
    if (m.invite_only) s += 'i';
    if (!m.key.empty()) s += 'k';
    if (m.limit != 0) s += 'l';
    if (m.moderated) s += 'm';
    if (m.no_external) s += 'n';
    if (m.secret) s += 's';
    if (m.topic_lock) s += 't';
    return s;
}

// One room as stored: its name, topic and modes (invite_only is not stored).
struct StoredRoom {
    std::string name;
    std::string topic;
    std::string topic_by;
    Millis topic_ts = 0;
    bool has_history = false;  // when loaded: it has stored messages
    RoomModes modes;
};

// A page of history or of search results, oldest first.
struct HistoryPage {
    std::vector<StoredMessage> messages;
    bool more = false;  // older messages (or matches) exist before the first one
};

class RoomStore {
public:
    virtual ~RoomStore() = default;

    // ---- used by the chat core ----
    // Adds a room message to the open batch (opening one if needed). False when it cannot be
    // stored: the message must then not be sent.
    virtual bool append(StoredMessage m) = 0;  // by value: the core hands over a temporary
    // Sets a room's topic and modes (creating the room's record), in the open batch.
    virtual bool save_room(const StoredRoom& room) = 0;
    // The newest `limit` messages of `room` with ids below `before` (0: no bound), and at most
    // about `max_bytes` of text; `more` says whether older ones exist. With limit 0 only `more`
    // is answered. Nothing when the store cannot be read.
    virtual std::optional<HistoryPage> page(const std::string& room, std::uint64_t before,
                                            std::size_t limit, std::size_t max_bytes) = 0;
    // The newest `limit` messages of `room` below `before` that contain every word (see
    // history_search.h), oldest first.
    virtual std::optional<HistoryPage> search(const std::string& room, const std::string& words,
                                              std::uint64_t before, std::size_t limit,
                                              std::size_t max_bytes) = 0;

    // ---- used by the server shell ----
    // Writes since the last commit.
    virtual std::size_t pending() const = 0;
    // Commits the open batch: its number (batches count up from 1), or 0 when the commit failed:
    // the batch is then rolled back, and none of its messages may be sent. A committed batch
    // may not be on disk yet: durability() says when it is.
    virtual std::uint64_t commit() = 0;
    struct Durability {
        std::uint64_t durable = 0;           // every batch up to this one is settled: on disk...
        std::vector<std::uint64_t> failed;   // ...except these (new since the last call), lost
        std::string error;                   // why they were
    };
    virtual Durability durability() = 0;
    // Readable when durability() may have news; -1 when commits are durable at once.
    virtual int durability_fd() const { return -1; }
    // Why the last call failed, for the log ("" if the store cannot say).
    virtual std::string last_error() const { return {}; }
};

}  // namespace natter::server
