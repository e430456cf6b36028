// Persist, then acknowledge. A room message is acknowledged by its echo, so nobody may receive
// it, its sender included, before the store's batch holding it has committed. While a batch is
// open the server queues nothing: every chunk meant for a connection (already encoded, or
// rendered for IRC with the context of its request) and every close is held here in order, and
// released in the same order once the batch has committed. If the commit failed, each stored
// thing's copies are dropped and its author's copy becomes a "not stored" entry; everything else
// (joins, parts, private messages, errors) goes out as it would have.
//
// Holding everything after the first stored message, not only the stored messages, keeps the
// order each client sees: "ann: bye" then "ann left", never the other way round.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/chat_core.h"

namespace natter::server {

using HeldChunk = std::shared_ptr<const std::string>;

class HeldOutput {
public:
    struct Entry {
        enum class Kind { Chunk, Close, NotStored };
        Kind kind = Kind::Chunk;
        ClientId to = 0;
        HeldChunk chunk;           // Chunk
        ClientId durable_for = 0;  // Chunk: the author of the stored thing it carries, or 0
        std::string reason;        // Close
    };

    void chunk(ClientId to, HeldChunk chunk, ClientId durable_for) {
        entries_.push_back({Entry::Kind::Chunk, to, std::move(chunk), durable_for, {}});
    }
    void close(ClientId to, std::string reason) {
        entries_.push_back({Entry::Kind::Close, to, nullptr, 0, std::move(reason)});
    }
    bool empty() const { return entries_.empty(); }
    std::size_t size() const { return entries_.size(); }

    // Everything held, in order; after a failed commit, stored things become NotStored entries
    // for their authors (one per copy the author was to get: its echo) and go to nobody else.
    std::vector<Entry> release(bool committed);

private:
    std::vector<Entry> entries_;
};

}  // namespace natter::server
