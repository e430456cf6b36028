// Durability off the loop. natterd commits each history batch with SQLite's synchronous=NORMAL:
// the batch is in the WAL file, not yet on disk. This thread then makes it durable
// (fdatasync of the WAL) and tells the loop, through a pipe the loop polls, which batches are
// on disk; only then does the loop send what those batches acknowledge. The loop never waits for
// the disk, and a slow fsync covers every batch committed while it ran (group commit).
//
// The thread also runs SQLite's WAL checkpoints (PASSIVE, on its own connection) so that no
// commit on the loop ever stalls on one: the loop's connection has automatic checkpoints off.
//
// One thread, one job, sharing three counters with the loop under a mutex: nothing else of
// natterd's state is touched off the loop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

struct sqlite3;

namespace natter::server {

class WalSync {
public:
    // `db_path`: the database file (its WAL is db_path + "-wal"). `sync`: fdatasync each batch
    // (false: batches count as durable once written to the OS, the --history-sync normal mode).
    // Nothing and `error` on failure.
    static std::unique_ptr<WalSync> start(const std::string& db_path, bool sync, std::string& error);
    ~WalSync();  // finishes the syncs asked for, then stops
    WalSync(const WalSync&) = delete;
    WalSync& operator=(const WalSync&) = delete;

    // Batches up to `batch` are committed, and the WAL holds `wal_pages` pages: make them
    // durable (and checkpoint when the WAL has grown).
    void request(std::uint64_t batch, int wal_pages);
    // Readable when `take()` has news.
    int notify_fd() const { return pipe_[0]; }

    struct Done {
        std::uint64_t durable = 0;  // every batch up to this one is on disk
        std::uint64_t failed = 0;   // every batch up to this one may not be (a sync failed)
        std::string error;          // why, when `failed` moved
    };
    // What is known now (drains the pipe).
    Done take();

    // WAL size, in pages, past which the thread checkpoints (and once a second when it has
    // anything at all).
    static constexpr int kCheckpointPages = 1000;

private:
    WalSync() = default;
    void run();

    bool sync_ = true;
    int wal_fd_ = -1;
    int pipe_[2] = {-1, -1};
    sqlite3* checkpointer_ = nullptr;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    // Under mu_:
    std::uint64_t requested_ = 0;
    int wal_pages_ = 0;
    Done done_;
    bool stop_ = false;
};

}  // namespace natter::server
