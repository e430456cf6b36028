#include "server/history_db.h"

#include <algorithm>
#include <limits>

#include <sqlite3.h>

#include "server/history_schema.h"
#include "server/history_search.h"
#include "shared/text.h"

namespace natter::server {

namespace {

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

std::int64_t as_int(std::uint64_t v) {
    return v > static_cast<std::uint64_t>(kNoBound) ? kNoBound : static_cast<std::int64_t>(v);
}

}  // namespace

std::unique_ptr<HistoryDb> HistoryDb::open(const HistoryConfig& config, std::string& error) {
    std::unique_ptr<HistoryDb> h(new HistoryDb(config));
    if (auto why = make_data_dir(config.dir)) {
        error = *why;
        return nullptr;
    }
    if (auto why = h->lock_.acquire(config.dir)) {
        error = *why;
        return nullptr;
    }
    const std::string path = config.dir + "/natter.db";
    if (!h->db_.open(path)) {
        error = "cannot open " + path + ": " + h->db_.error();
        return nullptr;
    }
    // The first statement reads the file: a damaged or foreign file is refused here.
    const std::string mode = h->db_.query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal") {
        error = "cannot use " + path + ": " + (mode.empty() ? h->db_.error() : "no WAL mode (" + mode + ")");
        return nullptr;
    }
    // The loop's commits only write the WAL; WalSync makes them durable and checkpoints, off the
    // loop. A WAL hook of our own replaces SQLite's automatic checkpoints (which would stall a
    // commit now and then) and tells WalSync how big the WAL is.
    sqlite3_wal_hook(h->db_.handle(), &HistoryDb::on_wal, h.get());
    if (!h->db_.exec("PRAGMA synchronous = NORMAL")) {
        error = "cannot set up " + path + ": " + h->db_.error();
        return nullptr;
    }
    if (auto why = migrate_history(h->db_)) {
        error = path + ": " + *why;
        return nullptr;
    }
    if (!h->prepare()) {
        error = "cannot use " + path + ": " + h->db_.error();
        return nullptr;
    }
    h->wal_sync_ = WalSync::start(path, config.sync_full, error);
    if (!h->wal_sync_) return nullptr;
    {
        sqlite::Statement where;
        if (!where.prepare(h->db_,
                           "SELECT (SELECT upto FROM search_index), coalesce((SELECT max(id) FROM messages), 0), "
                           "(SELECT highest FROM message_ids)") ||
            where.step() != sqlite::Statement::Step::Row) {
            error = "cannot read " + path + ": " + h->db_.error();
            return nullptr;
        }
        h->indexed_upto_ = where.int64(0);
        h->highest_id_ = where.int64(1);
        h->recorded_highest_ = where.int64(2);
        where.reset();
    }
    if (config.max_per_room != 0) {
        sqlite::Statement counts;
        if (!counts.prepare(h->db_, "SELECT room, count(*) FROM messages GROUP BY room")) {
            error = "cannot read " + path + ": " + h->db_.error();
            return nullptr;
        }
        for (auto st = counts.step(); st == sqlite::Statement::Step::Row; st = counts.step())
            h->counts_[counts.int64(0)] = static_cast<std::uint64_t>(counts.int64(1));
    }
    return h;
}

HistoryDb::~HistoryDb() {
    // Whatever is in the open batch was never sent: storing it loses nothing and promises nothing.
    if (in_batch_) commit();
}

bool HistoryDb::prepare() {
    return begin_.prepare(db_, "BEGIN") && commit_.prepare(db_, "COMMIT") &&
           rollback_.prepare(db_, "ROLLBACK") &&
           insert_message_.prepare(db_,
                                   "INSERT INTO messages (id, room, ts, nick, text, action) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)") &&
           find_room_.prepare(db_, "SELECT id FROM rooms WHERE key = ?1") &&
           insert_room_.prepare(db_,
                                "INSERT INTO rooms (name, key) VALUES (?1, ?2) "
                                "ON CONFLICT (key) DO UPDATE SET name = excluded.name") &&
           set_topic_.prepare(db_,
                              "INSERT INTO rooms (name, key, topic, topic_by, topic_ts) VALUES (?1, ?2, ?3, ?4, ?5) "
                              "ON CONFLICT (key) DO UPDATE SET name = excluded.name, topic = excluded.topic, "
                              "topic_by = excluded.topic_by, topic_ts = excluded.topic_ts") &&
           page_.prepare(db_,
                         "SELECT id, ts, nick, text, action FROM messages "
                         "WHERE room = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3") &&
           search_.prepare(db_,
                           "SELECT m.id, m.ts, m.nick, m.text, m.action "
                           "FROM messages_fts JOIN messages AS m ON m.id = messages_fts.rowid "
                           "WHERE messages_fts MATCH ?1 AND messages_fts.rowid < ?2 AND m.room = ?3 "
                           "ORDER BY messages_fts.rowid DESC LIMIT ?4") &&
           // The oldest ids first: retention looks at a bounded slice, never the whole table.
           delete_old_.prepare(db_,
                               "DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT ?2) "
                               "AND ts < ?1 RETURNING room") &&
           delete_room_oldest_.prepare(db_,
                                       "DELETE FROM messages WHERE id IN "
                                       "(SELECT id FROM messages WHERE room = ?1 ORDER BY id LIMIT ?2)") &&
           slice_end_.prepare(db_,
                              "SELECT max(id) FROM (SELECT id FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2)") &&
           index_.prepare(db_,
                          "INSERT INTO messages_fts (rowid, text) "
                          "SELECT id, text FROM messages WHERE id > ?1 AND id <= ?2") &&
           set_indexed_.prepare(db_, "UPDATE search_index SET upto = ?1") &&
           set_highest_.prepare(db_, "UPDATE message_ids SET highest = ?1");
}

std::vector<StoredRoom> HistoryDb::load_rooms() {
    std::vector<StoredRoom> rooms;
    sqlite::Statement s;
    if (!s.prepare(db_,
                   "SELECT name, topic, topic_by, topic_ts, EXISTS (SELECT 1 FROM messages WHERE room = rooms.id) "
                   "FROM rooms"))
        return rooms;
    for (auto st = s.step(); st == sqlite::Statement::Step::Row; st = s.step()) {
        StoredRoom r{s.text(0), s.text(1), s.text(2), static_cast<Millis>(s.int64(3)), s.int64(4) != 0};
        if (!r.topic.empty() || r.has_history) rooms.push_back(std::move(r));
    }
    return rooms;
}

std::uint64_t HistoryDb::next_message_id() {
    sqlite::Statement s;
    if (!s.prepare(db_,
                   "SELECT max((SELECT highest FROM message_ids), coalesce((SELECT max(id) FROM messages), 0))") ||
        s.step() != sqlite::Statement::Step::Row)
        return 1;
    const std::int64_t highest = s.int64(0);
    s.reset();
    return static_cast<std::uint64_t>(highest) + 1;
}

// ---- writing -------------------------------------------------------------------------------------

bool HistoryDb::begin_batch() {
    if (in_batch_) return true;
    if (!begin_.run()) return false;
    in_batch_ = true;
    return true;
}

bool HistoryDb::batch_error(const char* what) {
    db_.fail(what);
    // After a full disk or an I/O error SQLite may have rolled the whole transaction back: the
    // messages already in it are gone, and the commit must say so.
    if (in_batch_ && db_.autocommit()) {
        in_batch_ = false;
        batch_failed_ = true;
        room_ids_.clear();
        batch_counts_.clear();
        reload_indexed_upto();
    }
    return false;
}

std::optional<std::int64_t> HistoryDb::room_id(const std::string& name, bool create) {
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
        if (!create) return 0;
        insert_room_.bind(1, name);
        insert_room_.bind(2, key);
        if (!insert_room_.run()) return std::nullopt;
    }
    return std::nullopt;
}

bool HistoryDb::append(const StoredMessage& m) {
    if (!begin_batch()) return batch_error("opening a batch");
    const auto room = room_id(m.room, true);
    if (!room || *room == 0) return batch_error("storing a room");
    insert_message_.bind(1, as_int(m.id));
    insert_message_.bind(2, *room);
    insert_message_.bind(3, as_int(m.ts));
    // The strings outlive the step (run() resets the statement): no copies.
    insert_message_.bind_static(4, m.from);
    insert_message_.bind_static(5, m.text);
    insert_message_.bind(6, std::int64_t{m.action ? 1 : 0});
    if (!insert_message_.run()) return batch_error("storing a message");
    ++pending_;
    if (config_.max_per_room != 0) ++batch_counts_[*room];
    highest_id_ = std::max(highest_id_, as_int(m.id));
    return true;
}

bool HistoryDb::save_topic(const StoredRoom& room) {
    if (!begin_batch()) return batch_error("opening a batch");
    set_topic_.bind(1, room.name);
    set_topic_.bind(2, text::room_key(room.name));
    set_topic_.bind(3, room.topic);
    set_topic_.bind(4, room.topic_by);
    set_topic_.bind(5, as_int(room.topic_ts));
    if (!set_topic_.run()) return batch_error("storing a topic");
    ++pending_;
    return true;
}

int HistoryDb::on_wal(void* self, sqlite3*, const char*, int pages) {
    static_cast<HistoryDb*>(self)->wal_pages_ = pages;
    return 0;  // SQLITE_OK
}

HistoryDb::Durability HistoryDb::durability() {
    const WalSync::Done d = wal_sync_->take();
    return {d.durable, d.failed, d.error};
}

std::uint64_t HistoryDb::commit() {
    bool failed = batch_failed_;
    batch_failed_ = false;
    pending_ = 0;
    if (!in_batch_) {
        if (failed) return 0;
        // Nothing left to commit (the batch was emptied by a failure and more of it came):
        // still a batch, durable with the next sync.
        wal_sync_->request(++batches_, wal_pages_);
        return batches_;
    }
    in_batch_ = false;
    if (!failed && highest_id_ > recorded_highest_) {
        set_highest_.bind(1, highest_id_);
        if (!set_highest_.run()) failed = true;
    }
    if (!failed && commit_.run()) {
        recorded_highest_ = std::max(recorded_highest_, highest_id_);
        for (const auto& [room, n] : batch_counts_) counts_[room] += n;
        batch_counts_.clear();
        wal_sync_->request(++batches_, wal_pages_);
        return batches_;
    }
    if (!failed) db_.fail("committing");
    // Whatever is left of the transaction goes, so the next batch starts clean.
    if (!db_.autocommit()) rollback_.run();
    room_ids_.clear();
    batch_counts_.clear();
    reload_indexed_upto();
    return 0;
}

void HistoryDb::reload_indexed_upto() {
    // A search in the failed batch may have indexed (and so moved the mark) inside it.
    sqlite::Statement s;
    if (s.prepare(db_, "SELECT upto FROM search_index") && s.step() == sqlite::Statement::Step::Row) {
        indexed_upto_ = s.int64(0);
        s.reset();
    }
}

// ---- reading -------------------------------------------------------------------------------------

std::optional<HistoryPage> HistoryDb::collect(sqlite::Statement& s, std::size_t limit, std::size_t max_bytes) {
    HistoryPage page;
    std::size_t bytes = 0;
    for (;;) {
        const auto st = s.step();
        if (st == sqlite::Statement::Step::Error) return std::nullopt;
        if (st == sqlite::Statement::Step::Done) break;
        std::string text = s.text(3);
        if (page.messages.size() >= limit || (!page.messages.empty() && bytes + text.size() > max_bytes)) {
            page.more = true;
            s.reset();
            break;
        }
        bytes += text.size();
        page.messages.push_back(StoredMessage{static_cast<std::uint64_t>(s.int64(0)), static_cast<Millis>(s.int64(1)),
                                              {}, s.text(2), std::move(text), s.int64(4) != 0});
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

std::optional<HistoryPage> HistoryDb::page(const std::string& room, std::uint64_t before, std::size_t limit,
                                           std::size_t max_bytes) {
    const auto id = room_id(room, false);
    if (!id) return std::nullopt;
    if (*id == 0) return HistoryPage{};
    page_.bind(1, *id);
    page_.bind(2, before == 0 ? kNoBound : as_int(before));
    page_.bind(3, static_cast<std::int64_t>(limit) + 1);
    auto page = collect(page_, limit, max_bytes);
    if (page)
        for (auto& m : page->messages) m.room = room;
    return page;
}

std::optional<HistoryPage> HistoryDb::search(const std::string& room, const std::string& words, std::uint64_t before,
                                             std::size_t limit, std::size_t max_bytes) {
    const std::string query = fts_query(words);
    if (query.empty()) return HistoryPage{};
    // What arrived since the last idle moment is indexed first (within limits: see kSearchCatchUp).
    for (std::size_t done = 0; done < kSearchCatchUp && index_backlog() > 0; done += kIndexSlice)
        if (!index_slice(kIndexSlice)) return std::nullopt;
    const auto id = room_id(room, false);
    if (!id) return std::nullopt;
    if (*id == 0) return HistoryPage{};
    search_.bind(1, query);
    search_.bind(2, before == 0 ? kNoBound : as_int(before));
    search_.bind(3, *id);
    search_.bind(4, static_cast<std::int64_t>(limit) + 1);
    auto page = collect(search_, limit, max_bytes);
    if (page)
        for (auto& m : page->messages) m.room = room;
    return page;
}

// ---- retention -----------------------------------------------------------------------------------

std::uint64_t HistoryDb::index_backlog() const {
    return highest_id_ > indexed_upto_ ? static_cast<std::uint64_t>(highest_id_ - indexed_upto_) : 0;
}

bool HistoryDb::index_slice(std::size_t rows) {
    // Outside a batch the slice is its own transaction; inside one it goes (or fails) with it.
    const bool own = !in_batch_;
    if (own && !begin_.run()) return false;
    auto give_up = [&] {
        if (own && !db_.autocommit()) rollback_.run();
        reload_indexed_upto();
        return false;
    };
    slice_end_.bind(1, indexed_upto_);
    slice_end_.bind(2, static_cast<std::int64_t>(rows));
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
    if (!set_indexed_.run()) return give_up();
    if (own && !commit_.run()) return give_up();
    indexed_upto_ = end;
    return true;
}

bool HistoryDb::maintain(Millis now, bool busy) {
    // Background work runs between batches.
    if (in_batch_) return true;
    bool more = false;
    if (index_backlog() > 0 && (!busy || index_backlog() > kForceIndexBacklog)) {
        if (!index_slice(kIndexSlice)) return false;
        more = index_backlog() > 0;
    }
    if (!busy && now >= next_retention_) {
        bool again = false;
        if (!retention_slice(now, again)) return more;
        if (again) more = true;
        else next_retention_ = now + 1000;
    }
    return more;
}

bool HistoryDb::retention_slice(Millis now, bool& more) {
    if (config_.keep_days != 0 && !prune_days(now, more)) return false;
    if (!more && config_.max_per_room != 0 && !prune_rooms(more)) return false;
    return true;
}

bool HistoryDb::prune_days(Millis now, bool& more) {
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

bool HistoryDb::prune_rooms(bool& more) {
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
