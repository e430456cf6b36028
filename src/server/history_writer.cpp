#include "server/history_writer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "server/history_schema.h"
#include "shared/text.h"

namespace natter::server {

namespace {

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

std::int64_t as_int(std::uint64_t v) {
    return v > static_cast<std::uint64_t>(kNoBound) ? kNoBound : static_cast<std::int64_t>(v);
}

}  // namespace

std::unique_ptr<HistoryWriter> HistoryWriter::start(WriterConfig config, std::string& error) {
    std::unique_ptr<HistoryWriter> w(new HistoryWriter(std::move(config)));
    const std::string& path = w->config_.db_path;
    if (!w->db_.open(path)) {
        error = "cannot open " + path + ": " + w->db_.error();
        return nullptr;
    }
    // Commits only write the WAL; this thread flushes it itself (one fdatasync for every batch
    // written meanwhile), and checkpoints when it chooses: its own WAL hook replaces SQLite's
    // automatic checkpoints.
    sqlite3_wal_hook(w->db_.handle(), &HistoryWriter::on_wal, w.get());
    if (!w->db_.exec("PRAGMA synchronous = NORMAL") || !w->prepare()) {
        error = "cannot use " + path + ": " + w->db_.error();
        return nullptr;
    }
    sqlite::Statement where;
    if (!where.prepare(w->db_,
                       "SELECT (SELECT upto FROM search_index), coalesce((SELECT max(id) FROM messages), 0), "
                       "(SELECT highest FROM message_ids)") ||
        where.step() != sqlite::Statement::Step::Row) {
        error = "cannot read " + path + ": " + w->db_.error();
        return nullptr;
    }
    w->indexed_upto_ = where.int64(0);
    w->highest_id_ = where.int64(1);
    w->recorded_highest_ = where.int64(2);
    where.reset();
    if (w->config_.max_per_room != 0) {
        sqlite::Statement counts;
        if (!counts.prepare(w->db_, "SELECT room, count(*) FROM messages GROUP BY room")) {
            error = "cannot read " + path + ": " + w->db_.error();
            return nullptr;
        }
        for (auto st = counts.step(); st == sqlite::Statement::Step::Row; st = counts.step())
            w->counts_[counts.int64(0)] = static_cast<std::uint64_t>(counts.int64(1));
    }
    const std::string wal = path + "-wal";
    w->wal_fd_ = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (w->wal_fd_ < 0) {
        error = "cannot open " + wal + ": " + std::strerror(errno);
        return nullptr;
    }
    if (::pipe2(w->pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
        error = std::string("cannot make a pipe: ") + std::strerror(errno);
        return nullptr;
    }
    w->backlog_ = static_cast<std::uint64_t>(std::max<std::int64_t>(0, w->highest_id_ - w->indexed_upto_));
    w->last_checkpoint_ = std::chrono::steady_clock::now();
    w->thread_ = std::thread([p = w.get()] { p->run(); });
    return w;
}

HistoryWriter::~HistoryWriter() {
    if (thread_.joinable()) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stop_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    if (wal_fd_ >= 0) ::close(wal_fd_);
    for (int fd : pipe_)
        if (fd >= 0) ::close(fd);
}

bool HistoryWriter::prepare() {
    return begin_.prepare(db_, "BEGIN") && commit_.prepare(db_, "COMMIT") && rollback_.prepare(db_, "ROLLBACK") &&
           insert_message_.prepare(db_,
                                   "INSERT INTO messages (id, room, ts, nick, text, action, notice) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") &&
           find_room_.prepare(db_, "SELECT id FROM rooms WHERE key = ?1") &&
           insert_room_.prepare(db_,
                                "INSERT INTO rooms (name, key) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET name = excluded.name") &&
           set_room_.prepare(db_,
                             "INSERT INTO rooms (name, key, topic, topic_by, topic_ts, flags, join_key, member_limit) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                             "ON CONFLICT (key) DO UPDATE SET name = excluded.name, topic = excluded.topic, "
                             "topic_by = excluded.topic_by, topic_ts = excluded.topic_ts, flags = excluded.flags, "
                             "join_key = excluded.join_key, member_limit = excluded.member_limit") &&
           slice_end_.prepare(db_,
                              "SELECT max(id) FROM (SELECT id FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2)") &&
           index_.prepare(db_,
                          "INSERT INTO messages_fts (rowid, text) "
                          "SELECT id, text FROM messages WHERE id > ?1 AND id <= ?2") &&
           set_indexed_.prepare(db_, "UPDATE search_index SET upto = ?1") &&
           set_highest_.prepare(db_, "UPDATE message_ids SET highest = ?1") &&
           // The oldest ids first: retention looks at a bounded slice, never the whole table.
           delete_old_.prepare(db_,
                               "DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT ?2) "
                               "AND ts < ?1 RETURNING room") &&
           delete_room_oldest_.prepare(db_,
                                       "DELETE FROM messages WHERE id IN "
                                       "(SELECT id FROM messages WHERE room = ?1 ORDER BY id LIMIT ?2)");
}

int HistoryWriter::on_wal(void* self, sqlite3*, const char*, int pages) {
    static_cast<HistoryWriter*>(self)->wal_pages_ = pages;
    return 0;  // SQLITE_OK
}

// ---- the loop's side -------------------------------------------------------------------------------

void HistoryWriter::submit(std::shared_ptr<const WriteBatch> batch) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back(std::move(batch));
    }
    cv_.notify_one();
}

HistoryWriter::Results HistoryWriter::take() {
    char scratch[256];
    while (::read(pipe_[0], scratch, sizeof scratch) > 0) {
    }
    std::lock_guard<std::mutex> lock(mu_);
    Results r = results_;
    results_.failed.clear();
    return r;
}

std::uint64_t HistoryWriter::settled() {
    std::lock_guard<std::mutex> lock(mu_);
    return results_.settled;
}

bool HistoryWriter::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return idle_cv_.wait_for(lock, timeout, [&] { return queue_.empty() && !background_left_; });
}

std::uint64_t HistoryWriter::index_backlog() {
    std::lock_guard<std::mutex> lock(mu_);
    return backlog_;
}

// ---- the thread ------------------------------------------------------------------------------------

void HistoryWriter::run() {
    for (;;) {
        std::vector<std::shared_ptr<const WriteBatch>> batches;
        {
            std::unique_lock<std::mutex> lock(mu_);
            // Background work goes on while there is some; otherwise wake for batches (or once
            // a second, for retention and checkpoints).
            if (queue_.empty() && !stop_) {
                if (!background_left_) idle_cv_.notify_all();
                cv_.wait_for(lock, background_left_ ? std::chrono::milliseconds(0) : std::chrono::seconds(1),
                             [&] { return stop_ || !queue_.empty(); });
            }
            if (stop_ && queue_.empty()) return;
            batches.assign(queue_.begin(), queue_.end());
            queue_.clear();
            // Not idle until these are written and their background work is done.
            if (!batches.empty()) background_left_ = true;
        }
        if (!batches.empty()) {
            std::string error;
            std::vector<std::uint64_t> failed = write(batches, error);
            // New messages may already be past the retention limits: the next background pass
            // applies them, so a writer that says it is idle has also pruned.
            next_retention_ = 0;
            {
                std::lock_guard<std::mutex> lock(mu_);
                results_.settled = batches.back()->number;
                results_.failed.insert(results_.failed.end(), failed.begin(), failed.end());
                if (!failed.empty()) results_.error = error;
                background_left_ = true;
                backlog_ = static_cast<std::uint64_t>(std::max<std::int64_t>(0, highest_id_ - indexed_upto_));
            }
            (void)!::write(pipe_[1], "x", 1);
            continue;
        }
        const bool more = background();
        std::lock_guard<std::mutex> lock(mu_);
        background_left_ = more;
        backlog_ = static_cast<std::uint64_t>(std::max<std::int64_t>(0, highest_id_ - indexed_upto_));
    }
}

std::vector<std::uint64_t> HistoryWriter::write(const std::vector<std::shared_ptr<const WriteBatch>>& batches,
                                                std::string& error) {
    // Each batch is a transaction of its own (a failure loses that batch only); one flush makes
    // all of them durable.
    std::vector<std::uint64_t> failed, written;
    for (const auto& b : batches) {
        if (write_one(*b)) {
            written.push_back(b->number);
        } else {
            error = db_.error();
            failed.push_back(b->number);
            if (!db_.autocommit()) rollback_.run();
            room_ids_.clear();
        }
    }
    if (config_.sync && !written.empty() && ::fdatasync(wal_fd_) != 0) {
        // Not known to be on disk: none of it may be acknowledged.
        error = std::string("fdatasync of the WAL failed: ") + std::strerror(errno);
        failed.insert(failed.end(), written.begin(), written.end());
    }
    return failed;
}

bool HistoryWriter::write_one(const WriteBatch& b) {
    if (!begin_.run()) return false;
    std::map<std::int64_t, std::uint64_t> added;
    std::int64_t highest = highest_id_;
    for (const StoredRoom& r : b.rooms) {
        set_room_.bind_static(1, r.name);
        const std::string key = text::room_key(r.name);
        set_room_.bind_static(2, key);
        set_room_.bind_static(3, r.topic);
        set_room_.bind_static(4, r.topic_by);
        set_room_.bind(5, as_int(r.topic_ts));
        const std::string flags = stored_mode_flags(r.modes);
        set_room_.bind_static(6, flags);
        set_room_.bind_static(7, r.modes.key);
        set_room_.bind(8, static_cast<std::int64_t>(r.modes.limit));
        if (!set_room_.run()) return false;
    }
    for (const StoredMessage& m : b.messages) {
        const auto room = room_id(m.room);
        if (!room) return false;
        insert_message_.bind(1, as_int(m.id));
        insert_message_.bind(2, *room);
        insert_message_.bind(3, as_int(m.ts));
        // The strings outlive the step (run() resets the statement): no copies.
        insert_message_.bind_static(4, m.from);
        insert_message_.bind_static(5, m.text);
        insert_message_.bind(6, std::int64_t{m.action ? 1 : 0});
        insert_message_.bind(7, std::int64_t{m.notice ? 1 : 0});
        if (!insert_message_.run()) return false;
        ++added[*room];
        highest = std::max(highest, as_int(m.id));
    }
    // The highest id is recorded once per batch (AUTOINCREMENT would write it per message), so
    // ids never go back after a restart even when retention deletes the newest messages.
    if (highest > recorded_highest_) {
        set_highest_.bind(1, highest);
        if (!set_highest_.run()) return false;
    }
    if (!commit_.run()) return false;
    highest_id_ = highest;
    recorded_highest_ = std::max(recorded_highest_, highest);
    if (config_.max_per_room != 0)
        for (const auto& [room, n] : added) counts_[room] += n;
    return true;
}

std::optional<std::int64_t> HistoryWriter::room_id(const std::string& name) {
    if (auto it = room_ids_.find(name); it != room_ids_.end()) return it->second;
    const std::string key = text::room_key(name);
    for (int attempt = 0; attempt < 2; ++attempt) {
        find_room_.bind(1, key);
        switch (find_room_.step()) {
        case sqlite::Statement::Step::Row: {
            const std::int64_t id = find_room_.int64(0);
            find_room_.reset();
            room_ids_.emplace(name, id);
            return id;
        }
        case sqlite::Statement::Step::Error:
            return std::nullopt;
        case sqlite::Statement::Step::Done:
            break;
        }
        insert_room_.bind(1, name);
        insert_room_.bind(2, key);
        if (!insert_room_.run()) return std::nullopt;
    }
    return std::nullopt;
}

// ---- background work --------------------------------------------------------------------------------

bool HistoryWriter::background() {
    bool more = false;
    if (highest_id_ > indexed_upto_) {
        if (index_slice()) more = highest_id_ > indexed_upto_;
    }
    const Millis now = config_.now();
    if (now >= next_retention_) {
        bool again = false;
        if (retention_slice(again) && again) more = true;
        else next_retention_ = now + 1000;
    }
    const auto since = std::chrono::steady_clock::now() - last_checkpoint_;
    if (wal_pages_ >= kCheckpointPages || (wal_pages_ > 0 && since >= std::chrono::seconds(1))) {
        // PASSIVE never waits for the loop's reads; what it cannot copy now it copies next time.
        int log = 0, copied = 0;
        sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        wal_pages_ = 0;
        last_checkpoint_ = std::chrono::steady_clock::now();
    }
    return more;
}

bool HistoryWriter::index_slice() {
    if (!begin_.run()) return false;
    auto give_up = [&] {
        if (!db_.autocommit()) rollback_.run();
        return false;
    };
    slice_end_.bind(1, indexed_upto_);
    slice_end_.bind(2, static_cast<std::int64_t>(kIndexSlice));
    if (slice_end_.step() != sqlite::Statement::Step::Row) return give_up();
    const bool any = !slice_end_.is_null(0);
    const std::int64_t end = any ? slice_end_.int64(0) : highest_id_;
    slice_end_.reset();
    if (any) {
        index_.bind(1, indexed_upto_);
        index_.bind(2, end);
        if (!index_.run()) return give_up();
    }
    set_indexed_.bind(1, end);
    if (!set_indexed_.run() || !commit_.run()) return give_up();
    indexed_upto_ = end;
    return true;
}

bool HistoryWriter::retention_slice(bool& more) {
    if (config_.keep_days != 0 && !prune_days(more)) return false;
    if (!more && config_.max_per_room != 0 && !prune_rooms(more)) return false;
    return true;
}

bool HistoryWriter::prune_days(bool& more) {
    const Millis now = config_.now();
    const Millis age = static_cast<Millis>(config_.keep_days) * 86'400'000ull;
    if (now <= age) return true;
    delete_old_.bind(1, as_int(now - age));
    delete_old_.bind(2, static_cast<std::int64_t>(kPruneSlice));
    std::size_t deleted = 0;
    for (;;) {
        const auto st = delete_old_.step();
        if (st == sqlite::Statement::Step::Error) return false;
        if (st == sqlite::Statement::Step::Done) break;
        ++deleted;
        if (config_.max_per_room != 0) {
            auto it = counts_.find(delete_old_.int64(0));
            if (it != counts_.end() && it->second > 0) --it->second;
        }
    }
    more = deleted == kPruneSlice;
    return true;
}

bool HistoryWriter::prune_rooms(bool& more) {
    for (auto& [room, count] : counts_) {
        if (count <= config_.max_per_room) continue;
        const std::uint64_t excess = std::min<std::uint64_t>(count - config_.max_per_room, kPruneSlice);
        delete_room_oldest_.bind(1, room);
        delete_room_oldest_.bind(2, static_cast<std::int64_t>(excess));
        if (!delete_room_oldest_.run()) return false;
        count -= std::min<std::uint64_t>(count, static_cast<std::uint64_t>(db_.changes()));
        more = true;  // one room per slice: look again for this one or the next
        return true;
    }
    return true;
}

}  // namespace natter::server
