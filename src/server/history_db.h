// The RoomStore natterd uses: SQLite in the data directory (DIR/natter.db, WAL mode), schema in
// history_schema.h. The loop's side is here: it gathers each loop turn's writes into a batch and
// hands it to the HistoryWriter thread (history_writer.h), which writes it, makes it durable and
// reports back; and it answers reads (history pages, search) on its own connection, adding the
// messages of batches not yet written, so a page never misses what was just said.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/data_dir.h"
#include "server/history_writer.h"
#include "server/room_store.h"
#include "server/sqlite.h"

namespace natter::server {

struct HistoryConfig {
    std::string dir;                 // the data directory
    // Full: a batch is on disk (fdatasync) before what it stores goes out. Normal: it is in the
    // operating system (survives natterd being killed, not a power cut).
    bool sync_full = true;
    unsigned keep_days = 0;          // delete messages older than this (0: keep)
    std::uint64_t max_per_room = 0;  // keep at most this many messages per room (0: all)
    std::function<Millis()> now;     // the wall clock for retention (default: the system's)
};

class HistoryDb : public RoomStore {
public:
    // Opens (creating the directory and database if missing), migrates, starts the writer. On
    // failure nothing is returned and `error` says why, for people.
    static std::unique_ptr<HistoryDb> open(const HistoryConfig& config, std::string& error);
    ~HistoryDb() override;

    // What a restart needs: the rooms worth restoring (a topic or history) and the next id.
    std::vector<StoredRoom> load_rooms();
    std::uint64_t next_message_id();

    bool append(StoredMessage m) override;
    bool save_room(const StoredRoom& room) override;
    std::optional<HistoryPage> page(const std::string& room, std::uint64_t before, std::size_t limit,
                                    std::size_t max_bytes) override;
    std::optional<HistoryPage> search(const std::string& room, const std::string& words, std::uint64_t before,
                                      std::size_t limit, std::size_t max_bytes) override;
    std::size_t pending() const override { return open_ ? open_->messages.size() + open_->rooms.size() : 0; }
    std::uint64_t commit() override;
    Durability durability() override;
    int durability_fd() const override { return writer_->notify_fd(); }
    std::string last_error() const override { return last_error_; }

    // Waits until the writer has written everything and finished its background work (search
    // index, retention), at most `timeout`. For startup and tests.
    bool wait_idle(std::chrono::milliseconds timeout) { return writer_->wait_idle(timeout); }
    std::uint64_t index_backlog() { return writer_->index_backlog(); }

    // Messages handed to the writer and not yet settled, past which append() refuses (the disk
    // is too far behind: the author gets not_stored).
    static constexpr std::size_t kMaxUnwritten = 100000;

private:
    explicit HistoryDb(HistoryConfig config) : config_(std::move(config)) {}
    bool prepare();
    void forget_settled(std::uint64_t settled);
    // The room's row id: 0 when there is none yet, nothing on error.
    std::optional<std::int64_t> room_id(const std::string& name);
    // A page from a statement's rows (newest first) and the unwritten messages that qualify.
    std::optional<HistoryPage> collect(sqlite::Statement& s, const std::string& room, std::size_t limit,
                                       std::size_t max_bytes, std::vector<StoredMessage> unwritten);
    static HistoryPage assemble(std::vector<StoredMessage> all, const std::string& room, std::size_t limit,
                                std::size_t max_bytes);

    HistoryConfig config_;
    DataDirLock lock_;
    sqlite::Db db_;  // reads only, on the loop
    sqlite::Statement find_room_, page_, search_;
    std::unordered_map<std::string, std::int64_t> room_ids_;  // by name; rows are never removed
    std::shared_ptr<WriteBatch> open_;                        // this turn's writes
    std::deque<std::shared_ptr<const WriteBatch>> unwritten_;  // handed over, not yet settled
    std::size_t unwritten_messages_ = 0;
    std::uint64_t batches_ = 0;
    std::string last_error_;
    std::unique_ptr<HistoryWriter> writer_;  // last: stops (writing what it has) first
};

}  // namespace natter::server
