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
// The recipients of one chunk share an entry, so holding a broadcast costs one pointer per
// recipient. Connections are held by pointer: the server does not destroy a closed connection
// while a segment made before it closed is still held (see holds_since()). A closing connection
// gets nothing new held for it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace natter::server {

class Connection;
using HeldChunk = std::shared_ptr<const std::string>;

class HeldOutput {
public:
    struct Entry {
        enum class Kind { Chunk, Close, NotStored };
        Kind kind = Kind::Chunk;
        HeldChunk chunk;                  // Chunk
        std::vector<Connection*> to;      // Chunk: its recipients; Close, NotStored: the one
        bool stored = false;              // Chunk: it carries something stored (a room message)
        Connection* author = nullptr;     // Chunk, stored: its author, if among the recipients
        std::string reason;               // Close
    };

    // `chunk` for `to`. `stored`: it carries what this batch stores; `author`: `to` wrote it.
    void chunk(Connection* to, const HeldChunk& chunk, bool stored, bool author);
    void close(Connection* c, std::string reason);

    // Ends the open segment: it waits for batch `batch` (0: for no batch of its own, only for
    // those before it); `failed`: that batch could not be stored.
    void seal(std::uint64_t batch, bool failed);

    // The sealed segments whose turn has come, in order: each batch up to `durable` is on disk,
    // each up to `failed` may not be (its stored things become NotStored).
    std::vector<Entry> release(std::uint64_t durable, std::uint64_t failed);

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
