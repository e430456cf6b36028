#include "server/history_db.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <set>

#include "server/history_schema.h"
#include "server/history_search.h"
#include "shared/text.h"

namespace natter::server {

namespace {

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

std::int64_t as_int(std::uint64_t v) {
    return v > static_cast<std::uint64_t>(kNoBound) ? kNoBound : static_cast<std::int64_t>(v);
}

Millis system_now() {
    return static_cast<Millis>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

std::unique_ptr<HistoryDb> HistoryDb::open(const HistoryConfig& config, std::string& error) {
    std::unique_ptr<HistoryDb> h(new HistoryDb(config));
    if (!h->config_.now) h->config_.now = system_now;
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
    if (auto why = migrate_history(h->db_)) {
        error = path + ": " + *why;
        return nullptr;
    }
    // A room with neither topic nor history is not restored, so its stored settings (left by a
    // room that was never emptied before the last stop) must not come back if the name is used
    // again. Done before the writer thread starts: nothing else writes yet.
    if (!h->db_.exec("UPDATE rooms SET flags = 'n', join_key = '', member_limit = 0 WHERE topic = '' AND "
                     "NOT EXISTS (SELECT 1 FROM messages WHERE room = rooms.id) AND "
                     "(flags <> 'n' OR join_key <> '' OR member_limit <> 0)")) {
        error = "cannot use " + path + ": " + h->db_.error();
        return nullptr;
    }
    if (!h->prepare()) {
        error = "cannot use " + path + ": " + h->db_.error();
        return nullptr;
    }
    WriterConfig wc;
    wc.db_path = path;
    wc.sync = config.sync_full;
    wc.keep_days = config.keep_days;
    wc.max_per_room = config.max_per_room;
    wc.now = h->config_.now;
    h->writer_ = HistoryWriter::start(std::move(wc), error);
    if (!h->writer_) return nullptr;
    // A batch goes through its whole life once now, not first at the first message: UBSan checks
    // the first use of each polymorphic type (here shared_ptr's control block) through a pipe,
    // which fails, and aborts a sanitizer run, when that first message comes while natterd is out
    // of descriptors (a tested case). Without the sanitizers this costs nothing worth saying.
    {
        auto warm = std::make_shared<WriteBatch>();
        std::shared_ptr<const WriteBatch> copy = warm;
        std::deque<std::shared_ptr<const WriteBatch>> line{copy};
        line.clear();
    }
    return h;
}

HistoryDb::~HistoryDb() {
    // Whatever is in the open batch was never sent: storing it loses nothing and promises nothing.
    if (pending() > 0) commit();
}

bool HistoryDb::prepare() {
    return find_room_.prepare(db_, "SELECT id FROM rooms WHERE key = ?1") &&
           page_.prepare(db_,
                         "SELECT id, ts, nick, text, action, notice FROM messages "
                         "WHERE room = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3") &&
           search_.prepare(db_,
                           "SELECT m.id, m.ts, m.nick, m.text, m.action, m.notice "
                           "FROM messages_fts JOIN messages AS m ON m.id = messages_fts.rowid "
                           "WHERE messages_fts MATCH ?1 AND messages_fts.rowid < ?2 AND m.room = ?3 "
                           "ORDER BY messages_fts.rowid DESC LIMIT ?4");
}

std::vector<StoredRoom> HistoryDb::load_rooms() {
    std::vector<StoredRoom> rooms;
    sqlite::Statement s;
    if (!s.prepare(db_,
                   "SELECT name, topic, topic_by, topic_ts, EXISTS (SELECT 1 FROM messages WHERE room = rooms.id), "
                   "flags, join_key, member_limit FROM rooms"))
        return rooms;
    for (auto st = s.step(); st == sqlite::Statement::Step::Row; st = s.step()) {
        StoredRoom r{s.text(0), s.text(1), s.text(2), static_cast<Millis>(s.int64(3)), s.int64(4) != 0, {}};
        load_mode_flags(s.text(5), r.modes);
        r.modes.key = s.text(6);
        r.modes.limit = static_cast<std::size_t>(std::max<std::int64_t>(0, s.int64(7)));
        if (!r.topic.empty() || r.has_history) rooms.push_back(std::move(r));
    }
    return rooms;
}

std::uint64_t HistoryDb::next_message_id() {
    sqlite::Statement s;
    if (!s.prepare(db_, "SELECT max((SELECT highest FROM message_ids), coalesce((SELECT max(id) FROM messages), 0))") ||
        s.step() != sqlite::Statement::Step::Row)
        return 1;
    const std::int64_t highest = s.int64(0);
    s.reset();
    return static_cast<std::uint64_t>(highest) + 1;
}

// ---- writing: batches for the writer -------------------------------------------------------------

bool HistoryDb::append(StoredMessage m) {
    if (unwritten_messages_ >= kMaxUnwritten) {
        last_error_ = "the disk is " + std::to_string(unwritten_messages_) + " messages behind";
        return false;
    }
    if (!open_) open_ = std::make_shared<WriteBatch>();
    open_->messages.push_back(std::move(m));
    return true;
}

bool HistoryDb::save_room(const StoredRoom& room) {
    if (!open_) open_ = std::make_shared<WriteBatch>();
    open_->rooms.push_back(room);
    return true;
}

std::uint64_t HistoryDb::commit() {
    if (!open_ || (open_->messages.empty() && open_->rooms.empty())) return 0;
    open_->number = ++batches_;
    unwritten_messages_ += open_->messages.size();
    std::shared_ptr<const WriteBatch> batch = std::move(open_);
    open_.reset();
    unwritten_.push_back(batch);
    writer_->submit(std::move(batch));
    return batches_;
}

void HistoryDb::forget_settled(std::uint64_t settled) {
    // Written (or lost) now: pages read them from the database (or never show them).
    while (!unwritten_.empty() && unwritten_.front()->number <= settled) {
        unwritten_messages_ -= unwritten_.front()->messages.size();
        unwritten_.pop_front();
    }
}

RoomStore::Durability HistoryDb::durability() {
    HistoryWriter::Results r = writer_->take();
    forget_settled(r.settled);
    Durability d;
    d.durable = r.settled;
    d.failed = std::move(r.failed);
    if (!d.failed.empty()) {
        d.error = r.error;
        last_error_ = r.error;
    }
    return d;
}

// ---- reading ---------------------------------------------------------------------------------------

std::optional<std::int64_t> HistoryDb::room_id(const std::string& name) {
    if (auto it = room_ids_.find(name); it != room_ids_.end()) return it->second;
    find_room_.bind(1, text::room_key(name));
    switch (find_room_.step()) {
    case sqlite::Statement::Step::Row: {
        const std::int64_t id = find_room_.int64(0);
        find_room_.reset();
        room_ids_.emplace(name, id);
        return id;
    }
    case sqlite::Statement::Step::Done:
        return 0;  // not written yet: not remembered, it may be any moment
    case sqlite::Statement::Step::Error:
        break;
    }
    last_error_ = db_.error();
    return std::nullopt;
}

std::optional<HistoryPage> HistoryDb::collect(sqlite::Statement& s, const std::string& room, std::size_t limit,
                                              std::size_t max_bytes, std::vector<StoredMessage> unwritten) {
    // The rows (newest first, at most limit + 1) and the unwritten messages (newer than any
    // row, or already among them once written): newest first, each id once.
    std::vector<StoredMessage> all = std::move(unwritten);
    for (;;) {
        const auto st = s.step();
        if (st == sqlite::Statement::Step::Error) {
            last_error_ = db_.error();
            return std::nullopt;
        }
        if (st == sqlite::Statement::Step::Done) break;
        all.push_back(StoredMessage{static_cast<std::uint64_t>(s.int64(0)), static_cast<Millis>(s.int64(1)), room,
                                    s.text(2), s.text(3), s.int64(4) != 0, s.int64(5) != 0});
    }
    s.reset();
    return assemble(std::move(all), room, limit, max_bytes);
}

HistoryPage HistoryDb::assemble(std::vector<StoredMessage> all, const std::string& room, std::size_t limit,
                                std::size_t max_bytes) {
    std::sort(all.begin(), all.end(), [](const StoredMessage& a, const StoredMessage& b) { return a.id > b.id; });
    all.erase(std::unique(all.begin(), all.end(),
                          [](const StoredMessage& a, const StoredMessage& b) { return a.id == b.id; }),
              all.end());
    HistoryPage page;
    std::size_t bytes = 0;
    for (StoredMessage& m : all) {
        if (page.messages.size() >= limit || (!page.messages.empty() && bytes + m.text.size() > max_bytes)) {
            page.more = true;
            break;
        }
        bytes += m.text.size();
        m.room = room;
        page.messages.push_back(std::move(m));
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

std::optional<HistoryPage> HistoryDb::page(const std::string& room, std::uint64_t before, std::size_t limit,
                                           std::size_t max_bytes) {
    // What was said but is not written yet belongs on the page too.
    forget_settled(writer_->settled());
    std::vector<StoredMessage> unwritten;
    const std::string key = text::room_key(room);
    auto add = [&](const WriteBatch& b) {
        for (const StoredMessage& m : b.messages)
            if ((before == 0 || m.id < before) && text::room_key(m.room) == key) unwritten.push_back(m);
    };
    for (const auto& b : unwritten_) add(*b);
    if (open_) add(*open_);
    const auto id = room_id(room);
    if (!id) return std::nullopt;
    if (*id == 0) return assemble(std::move(unwritten), room, limit, max_bytes);  // no row yet
    page_.bind(1, *id);
    page_.bind(2, before == 0 ? kNoBound : as_int(before));
    page_.bind(3, static_cast<std::int64_t>(limit) + 1);
    return collect(page_, room, limit, max_bytes, std::move(unwritten));
}

std::optional<HistoryPage> HistoryDb::search(const std::string& room, const std::string& words, std::uint64_t before,
                                             std::size_t limit, std::size_t max_bytes) {
    // The index is built by the writer, behind the messages (see history_writer.h): the newest
    // messages may not be found yet.
    const std::string query = fts_query(words);
    if (query.empty()) return HistoryPage{};
    const auto id = room_id(room);
    if (!id) return std::nullopt;
    if (*id == 0) return HistoryPage{};
    search_.bind(1, query);
    search_.bind(2, before == 0 ? kNoBound : as_int(before));
    search_.bind(3, *id);
    search_.bind(4, static_cast<std::int64_t>(limit) + 1);
    return collect(search_, room, limit, max_bytes, {});
}

}  // namespace natter::server
