// Persist, then acknowledge. A room message is acknowledged by its echo, so nobody may receive
// it, its sender included, before the store's batch holding it has committed. While a batch is
// open the server queues nothing: every chunk meant for a connection (already encoded, or
// rendered for IRC with the context of its request) and every close is held here in order, and
// released in the same order once the batch has committed. If the commit failed, each stored
// thing goes to nobody, and its author gets a "not stored" entry instead; everything else
// (joins, parts, private messages, errors) goes out as it would have.
//
// Holding everything after the first stored message, not only the stored messages, keeps the
// order each client sees: "ann: bye" then "ann left", never the other way round.
//
// The recipients of one chunk share an entry, so holding a broadcast costs one pointer per
// recipient. Connections are held by pointer: the server releases before it destroys any
// connection (connections are destroyed at the end of the loop turn, and a commit comes first).
#pragma once

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
    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }

    // Everything held, in order. After a failed commit, each stored chunk becomes a NotStored
    // entry for its author (if it was to get one) and goes to nobody else.
    std::vector<Entry> release(bool committed);

private:
    std::vector<Entry> entries_;
};

}  // namespace natter::server
