// Persist, then acknowledge. A room message is acknowledged by its echo, so nobody may receive
// it, its sender included, before the store's batch holding it is on disk. While a batch is
// open, or committed but not yet durable, the server queues nothing: every chunk meant for a
// connection (already encoded, or rendered for IRC with the context of its request) and every
// close is held here in order. Each commit seals what was held so far into a segment that waits
// for its batch; segments are released in order, each once its batch (and every one before it)
// is durable. If a batch failed, each stored thing in its segment goes to nobody, and its author
// gets a "not stored" entry instead; everything else (joins, parts, private messages, errors)
// goes out as it would have.
//
// Holding everything after the first stored message, not only the stored messages, keeps the
// order each client sees: "ann: bye" then "ann left", never the other way round.
//
// A broadcast is held as the ids of its recipients and its bytes, encoded once: the server
// looks the connections up only when it releases it, so holding costs a copy of the id list and
// nothing per recipient. Single chunks (IRC renderings made in the context of their request,
// pongs, errors) are held with their connection's pointer: the server does not destroy a closed
// connection while a segment made before it closed is still held (see holds_since()), and a
// closing connection gets nothing new held for it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace natter::server {

class Connection;
using ClientId = std::uint64_t;
using HeldChunk = std::shared_ptr<const std::string>;

class HeldOutput {
public:
    struct Entry {
        enum class Kind { Chunk, Broadcast, Close, NotStored };
        Kind kind = Kind::Chunk;
        HeldChunk chunk;                  // Chunk, Broadcast
        std::vector<Connection*> to;      // Chunk: its recipients; Close, NotStored: the one
        std::vector<ClientId> ids;        // Broadcast: its recipients; NotStored: or this one
        bool stored = false;              // Chunk, Broadcast: it carries something stored
        Connection* author = nullptr;     // Chunk, stored: its author, if among the recipients
        ClientId author_id = 0;           // Broadcast, stored: its author
        std::string reason;               // Close
    };

    // `chunk` for `to`. `stored`: it carries what this batch stores; `author`: `to` wrote it.
    void chunk(Connection* to, const HeldChunk& chunk, bool stored, bool author);
    void close(Connection* c, std::string reason);
    // `chunk` for the clients `ids`; `author`: the author of what it stores (0: it stores nothing).
    void broadcast(std::vector<ClientId> ids, HeldChunk chunk, ClientId author);

    // Ends the open segment: it waits for batch `batch` (0: for no batch of its own, only for
    // those before it); `failed`: that batch could not be stored.
    void seal(std::uint64_t batch, bool failed);

    // Marks batch `batch` as lost: its segment's stored things become NotStored.
    void lost(std::uint64_t batch);
    // The sealed segments whose turn has come, in order: each batch up to `durable` is settled
    // (on disk, or lost).
    std::vector<Entry> release(std::uint64_t durable);

    bool empty() const { return segments_.empty(); }
    // A mark for "now": a connection closed now may still be in a segment held now.
    std::uint64_t mark() const { return serial_; }
    // Whether a segment from up to `mark` is still held.
    bool holds_since(std::uint64_t mark) const { return !segments_.empty() && segments_.front().serial <= mark; }
    bool open_empty() const { return segments_.empty() || segments_.back().sealed; }
    // Entries held in all segments (for tests and the log).
    std::size_t size() const;

private:
    struct Segment {
        std::uint64_t serial = 0;  // segments count up from 1
        std::uint64_t batch = 0;
        bool failed = false;
        bool sealed = false;
        std::vector<Entry> entries;
    };
    Segment& open();
    std::deque<Segment> segments_;
    std::uint64_t serial_ = 0;  // the newest segment's
};

}  // namespace natter::server
