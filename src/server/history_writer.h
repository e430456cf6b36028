// The history's writer: one thread with its own SQLite connection that does every write of
// natterd's history, so the loop never waits for SQLite or the disk. The loop hands it each
// loop turn's batch (room messages and topics, immutable once handed over); the thread writes
// each batch in one transaction, makes it durable (fdatasync of the WAL: one flush covers every
// batch written since the last, a group commit), and reports through a pipe the loop polls which
// batches are settled and which failed. When there is nothing to write it does the background
// work: indexing for search in slices, retention in slices, WAL checkpoints.
//
// It shares only its queue and its results with the loop, under one mutex; the batches it reads
// are never changed after they are handed over.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/room_store.h"
#include "server/sqlite.h"

namespace natter::server {

// One loop turn's writes.
struct WriteBatch {
    std::uint64_t number = 0;  // batches count up from 1
    std::vector<StoredMessage> messages;
    std::vector<StoredRoom> rooms;  // topics and settings
};

struct WriterConfig {
    std::string db_path;
    bool sync = true;                // fdatasync each batch (--history-sync full)
    unsigned keep_days = 0;          // retention by age (0: keep)
    std::uint64_t max_per_room = 0;  // retention per room (0: all)
    std::function<Millis()> now;     // the wall clock (tests pass their own)
};

class HistoryWriter {
public:
    // Opens its connection on a database that exists and is migrated. Nothing and `error`
    // on failure.
    static std::unique_ptr<HistoryWriter> start(WriterConfig config, std::string& error);
    ~HistoryWriter();  // writes what was handed over, then stops
    HistoryWriter(const HistoryWriter&) = delete;
    HistoryWriter& operator=(const HistoryWriter&) = delete;

    void submit(std::shared_ptr<const WriteBatch> batch);

    // Readable when take() has news.
    int notify_fd() const { return pipe_[0]; }
    struct Results {
        std::uint64_t settled = 0;          // every batch up to this one is written or failed
        std::vector<std::uint64_t> failed;  // which of them failed (since the last take)
        std::string error;                  // why the last one failed
    };
    // What happened since the last call (drains the pipe).
    Results take();
    // The last batch settled, without taking the news.
    std::uint64_t settled();

    // Waits until everything handed over is settled and no background work is left (search
    // index caught up, retention done), or `timeout` passes; false then. For startup and tests.
    bool wait_idle(std::chrono::milliseconds timeout);
    // Messages not yet in the search index.
    std::uint64_t index_backlog();

    static constexpr std::size_t kIndexSlice = 256;   // messages indexed per slice
    static constexpr std::size_t kPruneSlice = 500;   // messages deleted per retention slice
    static constexpr int kCheckpointPages = 1000;     // WAL pages past which it checkpoints

private:
    explicit HistoryWriter(WriterConfig config) : config_(std::move(config)) {}
    bool prepare();
    void run();
    // Writes the batches in order; returns the numbers that failed.
    std::vector<std::uint64_t> write(const std::vector<std::shared_ptr<const WriteBatch>>& batches, std::string& error);
    bool write_one(const WriteBatch& b);
    std::optional<std::int64_t> room_id(const std::string& name);
    // One slice of background work; true when there is more.
    bool background();
    bool index_slice();
    bool retention_slice(bool& more);
    bool prune_days(bool& more);
    bool prune_rooms(bool& more);
    static int on_wal(void* self, sqlite3* db, const char* name, int pages);

    WriterConfig config_;
    sqlite::Db db_;
    int wal_fd_ = -1;
    int pipe_[2] = {-1, -1};
    sqlite::Statement begin_, commit_, rollback_, insert_message_, find_room_, insert_room_, set_room_;
    sqlite::Statement slice_end_, index_, set_indexed_, set_highest_, delete_old_, delete_room_oldest_;
    std::unordered_map<std::string, std::int64_t> room_ids_;  // by name
    std::int64_t indexed_upto_ = 0;       // search_index.upto
    std::int64_t highest_id_ = 0;         // the highest message id stored
    std::int64_t recorded_highest_ = 0;   // message_ids.highest
    std::map<std::int64_t, std::uint64_t> counts_;  // messages per room id, for max_per_room
    int wal_pages_ = 0;
    Millis next_retention_ = 0;
    std::chrono::steady_clock::time_point last_checkpoint_{};
    std::thread thread_;

    std::mutex mu_;
    std::condition_variable cv_;       // work for the thread
    std::condition_variable idle_cv_;  // for wait_idle()
    // Under mu_:
    std::deque<std::shared_ptr<const WriteBatch>> queue_;
    Results results_;
    std::uint64_t backlog_ = 0;        // a copy of the index backlog, for index_backlog()
    bool background_left_ = true;
    bool stop_ = false;
};

}  // namespace natter::server
