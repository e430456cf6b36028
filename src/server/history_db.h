// The RoomStore natterd uses: SQLite in the data directory (DIR/natter.db, WAL mode), schema in
// history_schema.h. Writes go into one open transaction (the batch) that the server commits once
// per loop turn, before anything written in it is sent: one fsync covers every message of the
// turn. Reads see the open batch (same connection). The search index is built behind the
// messages, in slices while the loop is idle and before each search; retention deletes small
// slices too: no call keeps the loop for long.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/data_dir.h"
#include "server/room_store.h"
#include "server/sqlite.h"
#include "server/wal_sync.h"

namespace natter::server {

struct HistoryConfig {
    std::string dir;                 // the data directory
    // Full: a batch is on disk (fdatasync, off the loop: wal_sync.h) before what it stores goes
    // out. Normal: it is in the operating system (survives natterd being killed, not a power
    // cut).
    bool sync_full = true;
    unsigned keep_days = 0;          // delete messages older than this (0: keep)
    std::uint64_t max_per_room = 0;  // keep at most this many messages per room (0: all)
};

class HistoryDb : public RoomStore {
public:
    // Opens (creating the directory and database if missing) and migrates. On failure nothing is
    // returned and `error` says why, for people.
    static std::unique_ptr<HistoryDb> open(const HistoryConfig& config, std::string& error);
    ~HistoryDb() override;

    // What a restart needs: the rooms worth restoring (a topic or history) and the next id.
    std::vector<StoredRoom> load_rooms();
    std::uint64_t next_message_id();

    bool append(const StoredMessage& m) override;
    bool save_topic(const StoredRoom& room) override;
    std::optional<HistoryPage> page(const std::string& room, std::uint64_t before, std::size_t limit,
                                    std::size_t max_bytes) override;
    std::optional<HistoryPage> search(const std::string& room, const std::string& words, std::uint64_t before,
                                      std::size_t limit, std::size_t max_bytes) override;
    std::size_t pending() const override { return pending_; }
    std::uint64_t commit() override;
    Durability durability() override;
    int durability_fd() const override { return wal_sync_ ? wal_sync_->notify_fd() : -1; }
    bool maintain(Millis now, bool busy) override;

    std::string last_error() const override { return db_.error(); }

    // Messages deleted per retention slice, and indexed per indexing slice (about 2 ms).
    static constexpr std::size_t kPruneSlice = 500;
    static constexpr std::size_t kIndexSlice = 256;
    // Indexed before a search at most: a flood's backlog is not all indexed at once.
    static constexpr std::size_t kSearchCatchUp = 2048;
    // Past this backlog, indexing goes on even in busy turns: search stays at most this far behind.
    static constexpr std::uint64_t kForceIndexBacklog = 200000;

    // Messages not yet in the search index (an estimate from the ids).
    std::uint64_t index_backlog() const;

private:
    explicit HistoryDb(HistoryConfig config) : config_(std::move(config)) {}
    bool prepare();
    bool begin_batch();
    // The room's row id, creating the row if asked: 0 when there is none, nothing on error.
    std::optional<std::int64_t> room_id(const std::string& name, bool create);
    // Fails the open batch: SQLite may already have rolled it back (after a full disk, say).
    bool batch_error(const char* what);
    std::optional<HistoryPage> collect(sqlite::Statement& s, std::size_t limit, std::size_t max_bytes);
    bool prune_days(Millis now, bool& more);
    bool prune_rooms(bool& more);
    // Indexes up to `rows` messages after indexed_upto_; false on error.
    bool index_slice(std::size_t rows);
    bool retention_slice(Millis now, bool& more);
    void reload_indexed_upto();
    static int on_wal(void* self, sqlite3* db, const char* name, int pages);

    HistoryConfig config_;
    DataDirLock lock_;
    sqlite::Db db_;
    sqlite::Statement begin_, commit_, rollback_;
    sqlite::Statement insert_message_, find_room_, insert_room_, set_topic_;
    sqlite::Statement page_, search_, delete_old_, delete_room_oldest_;
    sqlite::Statement slice_end_, index_, set_indexed_, set_highest_;
    std::unordered_map<std::string, std::int64_t> room_ids_;  // by name
    std::size_t pending_ = 0;
    bool in_batch_ = false;
    bool batch_failed_ = false;
    std::int64_t indexed_upto_ = 0;   // search_index.upto, as committed or in the open batch
    std::int64_t highest_id_ = 0;     // the highest message id stored
    std::int64_t recorded_highest_ = 0;  // message_ids.highest as committed
    Millis next_retention_ = 0;       // retention slices at most once a second
    // Message counts per room id, for --history-max: committed, and added by the open batch.
    std::map<std::int64_t, std::uint64_t> counts_;
    std::map<std::int64_t, std::uint64_t> batch_counts_;
    std::uint64_t batches_ = 0;       // batches committed
    int wal_pages_ = 0;               // the WAL's size after the last commit (SQLite's WAL hook)
    // Last: stopped (its syncs finished) before the connection closes.
    std::unique_ptr<WalSync> wal_sync_;
};

}  // namespace natter::server
