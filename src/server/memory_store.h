// A RoomStore kept in memory: the chat core's unit tests (and fuzz targets) use it to see what
// was stored without a database, and it can be told to fail so the refusals can be tested too.
// Search here is a plain case-insensitive (ASCII) substring match of every word.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/room_store.h"

namespace natter::server {

class MemoryStore : public RoomStore {
public:
    bool append(StoredMessage m) override;
    bool save_room(const StoredRoom& room) override;
    std::optional<HistoryPage> page(const std::string& room, std::uint64_t before, std::size_t limit,
                                    std::size_t max_bytes) override;
    std::optional<HistoryPage> search(const std::string& room, const std::string& words,
                                      std::uint64_t before, std::size_t limit,
                                      std::size_t max_bytes) override;
    std::size_t pending() const override { return pending_; }
    std::uint64_t commit() override;
    Durability durability() override { return {batches_, {}, {}}; }

    // What is stored (committed or not), in id order.
    const std::vector<StoredMessage>& messages() const { return messages_; }
    const std::map<std::string, StoredRoom>& rooms() const { return rooms_; }
    std::size_t commits() const { return commits_; }

    // Failure injection for tests.
    bool fail_appends = false;
    bool fail_commits = false;
    bool fail_reads = false;

private:
    template <class Match>
    std::optional<HistoryPage> select(const std::string& room, std::uint64_t before, std::size_t limit,
                                      std::size_t max_bytes, Match match) const;

    std::vector<StoredMessage> messages_;
    std::map<std::string, StoredRoom> rooms_;   // by name
    std::size_t pending_ = 0;
    std::size_t committed_messages_ = 0;        // messages_ before the open batch
    std::map<std::string, StoredRoom> committed_rooms_;
    std::size_t commits_ = 0;
    std::uint64_t batches_ = 0;
};

}  // namespace natter::server
