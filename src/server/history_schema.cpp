#include "server/history_schema.h"

#include <iterator>

namespace natter::server {

namespace {

struct Migration {
    int version;      // the version this step produces
    const char* sql;
};

// Never edit a step once released: add the next one.
constexpr Migration kMigrations[] = {
    {1, R"sql(
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (0);
        -- One row per room that has a topic or history; key is the spoof-proof identity
        -- (text::room_key), name the spelling of its creator.
        CREATE TABLE rooms (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            topic TEXT NOT NULL DEFAULT '',
            topic_by TEXT NOT NULL DEFAULT '',
            topic_ts INTEGER NOT NULL DEFAULT 0
        );
        -- Every room message; the id is natterd's message id.
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            room INTEGER NOT NULL REFERENCES rooms(id),
            ts INTEGER NOT NULL,
            nick TEXT NOT NULL,
            text TEXT NOT NULL,
            action INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX messages_by_room ON messages (room, id);
        -- The highest message id ever stored, so that ids never go back after a restart even
        -- when retention has deleted the newest messages (updated once per batch, not per row:
        -- AUTOINCREMENT would cost a write per message).
        CREATE TABLE message_ids (highest INTEGER NOT NULL);
        INSERT INTO message_ids VALUES (0);
        -- Full-text search over the texts. Indexing costs several times what storing does, so
        -- it is not done as messages arrive: natterd's writer thread indexes in slices when it
        -- has nothing to write, in id order; search_index.upto is the last id indexed.
        CREATE VIRTUAL TABLE messages_fts USING fts5 (
            text, content = 'messages', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE search_index (upto INTEGER NOT NULL);
        INSERT INTO search_index VALUES (0);
        -- Only what was indexed may be taken out of the index (anything else would damage it).
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN old.id <= (SELECT upto FROM search_index) BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
    )sql"},
    {2, R"sql(
        -- An IRC NOTICE (or a say marked notice): replayed as one, so that no bot answers it.
        ALTER TABLE messages ADD COLUMN notice INTEGER NOT NULL DEFAULT 0;
    )sql"},
    {3, R"sql(
        -- A room's settings, kept as long as the room: its on/off modes (stored_mode_flags()),
        -- its key and its member limit. A room that already had a record has +n only, as it
        -- had after every restart before.
        ALTER TABLE rooms ADD COLUMN flags TEXT NOT NULL DEFAULT 'n';
        ALTER TABLE rooms ADD COLUMN join_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE rooms ADD COLUMN member_limit INTEGER NOT NULL DEFAULT 0;
    )sql"},
};
static_assert(std::size(kMigrations) == kHistorySchemaVersion);

bool has_table(sqlite::Db& db, const char* name) {
    sqlite::Statement s;
    if (!s.prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")) return false;
    s.bind(1, std::string_view(name));
    const bool found = s.step() == sqlite::Statement::Step::Row;
    s.reset();
    return found;
}

}  // namespace

std::string stored_mode_flags(const RoomModes& m) {
    std::string flags;
    for (char c : mode_letters(m))
        if (c == 'm' || c == 'n' || c == 's' || c == 't') flags += c;
    return flags;
}

void load_mode_flags(std::string_view flags, RoomModes& m) {
    m.moderated = flags.find('m') != std::string_view::npos;
    m.no_external = flags.find('n') != std::string_view::npos;
    m.secret = flags.find('s') != std::string_view::npos;
    m.topic_lock = flags.find('t') != std::string_view::npos;
}

int history_schema_version(sqlite::Db& db) {
    if (!has_table(db, "schema_version")) {
        sqlite::Statement any;
        if (!any.prepare(db, "SELECT count(*) FROM sqlite_master")) return -1;
        if (any.step() != sqlite::Statement::Step::Row) return -1;
        const auto n = any.int64(0);
        any.reset();
        return n == 0 ? 0 : -2;
    }
    sqlite::Statement s;
    if (!s.prepare(db, "SELECT version FROM schema_version")) return -1;
    if (s.step() != sqlite::Statement::Step::Row) return -1;
    const auto v = static_cast<int>(s.int64(0));
    s.reset();
    return v;
}

std::optional<std::string> migrate_history(sqlite::Db& db) {
    // BEGIN IMMEDIATE takes the write lock first: the reads below then see what the steps change.
    if (!db.exec("BEGIN IMMEDIATE")) return "cannot open the database: " + db.error();
    const int current = history_schema_version(db);
    auto give_up = [&](std::string why) -> std::optional<std::string> {
        db.exec("ROLLBACK");
        return why;
    };
    if (current == -1) return give_up("cannot read the database: " + db.error());
    if (current == -2)
        return give_up("the database has tables but no natter schema version: it is not natterd's, "
                       "or it is damaged; natterd will not write over it");
    if (current > kHistorySchemaVersion)
        return give_up("the database has schema version " + std::to_string(current) + ", newer than this natterd (" +
                       std::to_string(kHistorySchemaVersion) + "); use a newer natterd");
    for (const Migration& m : kMigrations) {
        if (m.version <= current) continue;
        if (!db.exec(m.sql))
            return give_up("cannot migrate the database to schema version " + std::to_string(m.version) + ": " +
                           db.error());
        const std::string set = "UPDATE schema_version SET version = " + std::to_string(m.version);
        if (!db.exec(set.c_str())) return give_up("cannot record the schema version: " + db.error());
    }
    if (!db.exec("COMMIT")) return give_up("cannot commit the schema: " + db.error());
    return std::nullopt;
}

}  // namespace natter::server
