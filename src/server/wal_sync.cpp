#include "server/wal_sync.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace natter::server {

std::unique_ptr<WalSync> WalSync::start(const std::string& db_path, bool sync, std::string& error) {
    std::unique_ptr<WalSync> w(new WalSync());
    w->sync_ = sync;
    const std::string wal = db_path + "-wal";
    w->wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (w->wal_fd_ < 0) {
        error = "cannot open " + wal + ": " + std::strerror(errno);
        return nullptr;
    }
    if (::pipe2(w->pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
        error = std::string("cannot make a pipe: ") + std::strerror(errno);
        return nullptr;
    }
    // Its own connection, used by this thread only.
    if (sqlite3_open_v2(db_path.c_str(), &w->checkpointer_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        error = "cannot open " + db_path + " for checkpoints: " + sqlite3_errmsg(w->checkpointer_);
        return nullptr;
    }
    w->thread_ = std::thread([p = w.get()] { p->run(); });
    return w;
}

WalSync::~WalSync() {
    if (thread_.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stop_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    if (checkpointer_ != nullptr) sqlite3_close_v2(checkpointer_);
    if (wal_fd_ >= 0) ::close(wal_fd_);
    for (int fd : pipe_)
        if (fd >= 0) ::close(fd);
}

void WalSync::request(std::uint64_t batch, int wal_pages) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        wal_pages_ = wal_pages;
        if (batch <= requested_) return;
        requested_ = batch;
    }
    cv_.notify_one();
}

WalSync::Done WalSync::take() {
    char scratch[256];
    while (::read(pipe_[0], scratch, sizeof scratch) > 0) {
    }
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
}

void WalSync::run() {
    using Clock = std::chrono::steady_clock;
    auto last_checkpoint = Clock::now();
    for (;;) {
        std::uint64_t target = 0;
        int wal_pages = 0;
        {
            std::unique_lock<std::mutex> lock(mu_);
            // Wake for work, or once a second to checkpoint what has piled up.
            cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || requested_ > done_.durable; });
            if (requested_ <= done_.durable && stop_) return;
            target = requested_;
            wal_pages = wal_pages_;
        }
        if (target > done_.durable) {
            // Every batch up to `target` was written to the WAL before it was asked for here.
            const bool ok = !sync_ || ::fdatasync(wal_fd_) == 0;
            const int e = errno;
            {
                std::lock_guard<std::mutex> lock(mu_);
                if (ok) done_.durable = target;
                else {
                    done_.failed = target;
                    done_.durable = target;  // settled, one way or the other
                    done_.error = std::string("fdatasync of the WAL failed: ") + std::strerror(e);
                }
            }
            (void)!::write(pipe_[1], "x", 1);
        }
        // A checkpoint moves the WAL into the database. PASSIVE never waits for the loop's
        // connection; what it cannot copy now it copies next time.
        const bool due = Clock::now() - last_checkpoint >= std::chrono::seconds(1);
        if (wal_pages >= kCheckpointPages || (due && wal_pages > 0)) {
            int log = 0, copied = 0;
            sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
            last_checkpoint = Clock::now();
            std::lock_guard<std::mutex> lock(mu_);
            // The next commit reports the WAL afresh (it restarts once all of it is copied).
            if (wal_pages_ == wal_pages) wal_pages_ = 0;
        }
    }
}

}  // namespace natter::server
