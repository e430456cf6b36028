// natterd's SQLite history against temporary databases: storing and reading back across a
// reopen, paging, search (and what a hostile search cannot do), topics, retention in slices,
// and every database natterd must refuse to start on.
#include "server/history_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "server/data_dir.h"
#include "server/history_schema.h"
#include "server/history_search.h"

using namespace natter::server;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kNow = 1'800'000'000'000;

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/natter-history-test-XXXXXX";
        const char* d = ::mkdtemp(tmpl);
        EXPECT_NE(d, nullptr);
        path_ = d != nullptr ? d : "/tmp";
    }
    ~TempDir() { (void)!std::system(("rm -rf '" + path_ + "'").c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::unique_ptr<HistoryDb> open_db(const std::string& dir, HistoryConfig config = {}) {
    config.dir = dir;
    if (!config.now) config.now = [] { return kNow; };
    std::string error;
    auto db = HistoryDb::open(config, error);
    EXPECT_NE(db, nullptr) << error;
    return db;
}

std::string refusal(const std::string& dir, HistoryConfig config = {}) {
    config.dir = dir;
    std::string error;
    auto db = HistoryDb::open(config, error);
    EXPECT_EQ(db, nullptr) << "opened a database it should refuse";
    return error;
}

// Lets the writer thread write everything and finish its background work.
void settle(HistoryDb& db) { ASSERT_TRUE(db.wait_idle(std::chrono::seconds(20))) << "the writer never went idle"; }

StoredMessage msg(std::uint64_t id, const std::string& room, const std::string& text, Millis ts = kNow) {
    return StoredMessage{id, ts, room, "ann", text, false};
}

std::vector<std::string> texts(const HistoryPage& p) {
    std::vector<std::string> t;
    for (const auto& m : p.messages) t.push_back(m.text);
    return t;
}

// Runs SQL on a database file directly, as another program would.
void raw_sql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
}

}  // namespace

TEST(HistoryDb, StoresAndReadsBackAcrossAReopen) {
    TempDir tmp;
    const std::string dir = tmp.path() + "/state/natter";  // missing parents are created
    {
        auto db = open_db(dir);
        ASSERT_NE(db, nullptr);
        EXPECT_EQ(db->next_message_id(), 1u);
        EXPECT_TRUE(db->append(msg(10, "#Rust", "first")));
        EXPECT_TRUE(db->append(StoredMessage{11, kNow + 1, "#Rust", "bob", "waves", true}));
        EXPECT_EQ(db->pending(), 2u);
        // The open batch is readable before it commits: a join in the same turn sees it.
        auto before = db->page("#Rust", 0, 10, 1 << 20);
        ASSERT_TRUE(before);
        EXPECT_EQ(before->messages.size(), 2u);
        EXPECT_EQ(db->commit(), 1u) << "the first batch";
        EXPECT_EQ(db->pending(), 0u);
        // Readable while the writer writes it, and once it has.
        EXPECT_EQ(db->page("#Rust", 0, 10, 1 << 20)->messages.size(), 2u);
        settle(*db);
        EXPECT_EQ(db->durability().durable, 1u);
        EXPECT_EQ(db->page("#Rust", 0, 10, 1 << 20)->messages.size(), 2u);
    }
    struct stat st {};
    ASSERT_EQ(::stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u) << "history is private";
    auto db = open_db(dir);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->next_message_id(), 12u);
    auto page = db->page("#rust", 0, 10, 1 << 20);  // any spelling of the room
    ASSERT_TRUE(page);
    ASSERT_EQ(page->messages.size(), 2u);
    EXPECT_EQ(page->messages[0].id, 10u);
    EXPECT_EQ(page->messages[0].ts, kNow);
    EXPECT_EQ(page->messages[0].from, "ann");
    EXPECT_EQ(page->messages[0].room, "#rust");
    EXPECT_EQ(page->messages[1].text, "waves");
    EXPECT_TRUE(page->messages[1].action);
    EXPECT_FALSE(page->more);
    auto rooms = db->load_rooms();
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].name, "#Rust");
    EXPECT_TRUE(rooms[0].has_history);
    // A room never written to has an empty history.
    auto none = db->page("#nowhere", 0, 10, 1 << 20);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->messages.empty());
}

TEST(HistoryDb, PagesGoBackToTheFirstMessage) {
    TempDir tmp;
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    for (std::uint64_t i = 1; i <= 25; ++i) ASSERT_TRUE(db->append(msg(i, "#p", "m" + std::to_string(i))));
    ASSERT_TRUE(db->append(msg(26, "#other", "elsewhere")));
    ASSERT_TRUE(db->commit());
    std::vector<std::string> all;
    std::uint64_t before = 0;
    int pages = 0;
    for (;; ++pages) {
        auto p = db->page("#p", before, 10, 1 << 20);
        ASSERT_TRUE(p);
        auto t = texts(*p);
        all.insert(all.begin(), t.begin(), t.end());
        if (!p->more) break;
        before = p->messages.front().id;
    }
    EXPECT_EQ(pages, 2);
    ASSERT_EQ(all.size(), 25u);
    EXPECT_EQ(all.front(), "m1");
    EXPECT_EQ(all.back(), "m25");
    // Limit 0 only says whether there is anything.
    auto probe = db->page("#p", 0, 0, 1 << 20);
    ASSERT_TRUE(probe);
    EXPECT_TRUE(probe->messages.empty());
    EXPECT_TRUE(probe->more);
    // The byte budget ends a page early (but never before its first message).
    auto small = db->page("#p", 0, 10, 6);
    ASSERT_TRUE(small);
    EXPECT_EQ(texts(*small), (std::vector<std::string>{"m24", "m25"}));
    EXPECT_TRUE(small->more);
}

TEST(HistoryDb, SearchFindsEveryWordAsWordStartsCaseAndAccentsIgnored) {
    TempDir tmp;
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    db->append(msg(1, "#s", "Deploy on Friday?"));
    db->append(msg(2, "#s", "no deploy today"));
    db->append(msg(3, "#s", "Déployé vendredi"));
    db->append(msg(4, "#s", "the redeploy friday"));  // "deploy" is not a word start here
    db->append(msg(5, "#t", "deploy friday elsewhere"));
    db->append(msg(6, "#s", "friday: deployed"));
    ASSERT_TRUE(db->commit());
    settle(*db);  // indexed by the writer when it has nothing else to do
    auto found = [&](const std::string& words, std::uint64_t before = 0) {
        auto p = db->search("#s", words, before, 50, 1 << 20);
        EXPECT_TRUE(p) << words;
        std::vector<std::uint64_t> ids;
        if (p)
            for (const auto& m : p->messages) ids.push_back(m.id);
        return ids;
    };
    EXPECT_EQ(found("deploy friday"), (std::vector<std::uint64_t>{1, 6}));
    EXPECT_EQ(found("DEPLO"), (std::vector<std::uint64_t>{1, 2, 3, 6}));
    EXPECT_EQ(found("deploye"), (std::vector<std::uint64_t>{3, 6}));
    EXPECT_EQ(found("deploy friday", 6), (std::vector<std::uint64_t>{1}));
    // Hostile words are words, not FTS5 syntax; punctuation alone finds nothing and breaks nothing.
    for (const char* hostile : {"friday OR today", "NEAR(deploy today)", "text:deploy", "\"", "deploy\" OR \"no",
                                "*", "-deploy", "(", "^deploy", "?", "a AND"})
        EXPECT_TRUE(db->search("#s", hostile, 0, 50, 1 << 20).has_value()) << hostile;
    EXPECT_TRUE(found("friday OR today").empty());
    EXPECT_TRUE(found("?").empty());
    // Newest matches first kept, sent oldest first, with "more" for older ones.
    auto p = db->search("#s", "deplo", 0, 2, 1 << 20);
    ASSERT_TRUE(p);
    EXPECT_EQ(texts(*p), (std::vector<std::string>{"Déployé vendredi", "friday: deployed"}));
    EXPECT_TRUE(p->more);
}

TEST(HistorySearch, WordsBecomeQuotedPrefixTerms) {
    EXPECT_EQ(fts_query("deploy friday"), R"("deploy"* AND "friday"*)");
    EXPECT_EQ(fts_query("  a\t b  "), R"("a"* AND "b"*)");
    EXPECT_EQ(fts_query(R"(say "hi")"), R"("say"* AND """hi"""*)");
    EXPECT_EQ(fts_query("? -- !"), "");
    EXPECT_EQ(fts_query(""), "");
    EXPECT_EQ(fts_query("日本"), R"("日本"*)");
}

TEST(HistoryDb, TopicsAreKeptAndRoomsWorthNothingAreNotLoaded) {
    TempDir tmp;
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        ASSERT_TRUE(db->save_room(StoredRoom{"#Topical", "talk here", "ann", kNow, false, {}}));
        ASSERT_TRUE(db->save_room(StoredRoom{"#cleared", "x", "ann", kNow, false, {}}));
        ASSERT_TRUE(db->save_room(StoredRoom{"#cleared", "", "bob", kNow + 1, false, {}}));
        ASSERT_TRUE(db->commit());
    }
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    auto rooms = db->load_rooms();
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].name, "#Topical");
    EXPECT_EQ(rooms[0].topic, "talk here");
    EXPECT_EQ(rooms[0].topic_by, "ann");
    EXPECT_EQ(rooms[0].topic_ts, kNow);
    EXPECT_FALSE(rooms[0].has_history);
}

TEST(HistoryDb, RoomSettingsAreKeptWithTheTopic) {
    TempDir tmp;
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        RoomModes vault;
        vault.key = "s3cret";
        vault.limit = 12;
        vault.secret = true;
        vault.topic_lock = true;
        vault.moderated = true;
        vault.no_external = false;
        vault.invite_only = true;  // not kept: an empty room drops it
        ASSERT_TRUE(db->save_room(StoredRoom{"#Vault", "private", "ann", kNow, false, vault}));
        ASSERT_TRUE(db->save_room(StoredRoom{"#plain", "open", "bob", kNow, false, {}}));
        ASSERT_TRUE(db->commit());
    }
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    auto rooms = db->load_rooms();
    ASSERT_EQ(rooms.size(), 2u);
    std::sort(rooms.begin(), rooms.end(), [](const StoredRoom& a, const StoredRoom& b) { return a.name < b.name; });
    EXPECT_EQ(rooms[0].name, "#Vault");
    EXPECT_EQ(rooms[0].modes.key, "s3cret");
    EXPECT_EQ(rooms[0].modes.limit, 12u);
    EXPECT_TRUE(rooms[0].modes.secret);
    EXPECT_TRUE(rooms[0].modes.topic_lock);
    EXPECT_TRUE(rooms[0].modes.moderated);
    EXPECT_FALSE(rooms[0].modes.no_external);
    EXPECT_FALSE(rooms[0].modes.invite_only);
    EXPECT_TRUE(rooms[1].modes == RoomModes{}) << "a new room's modes: +n only";
}

// A room that had settings but neither topic nor history when natterd stopped (killed while it
// was in use) is not restored, and its settings are dropped: a room of that name made later,
// which may get history, starts as a new room.
TEST(HistoryDb, SettingsOfARoomNotWorthKeepingAreDroppedAtStart) {
    TempDir tmp;
    RoomModes keyed;
    keyed.key = "s3cret";
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        ASSERT_TRUE(db->save_room(StoredRoom{"#brief", "", "", 0, false, keyed}));
        ASSERT_TRUE(db->save_room(StoredRoom{"#kept", "a topic", "ann", kNow, false, keyed}));
        ASSERT_TRUE(db->commit());
    }
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        EXPECT_EQ(db->load_rooms().size(), 1u);
        EXPECT_TRUE(db->append(msg(1, "#brief", "a new room of that name")));
        ASSERT_TRUE(db->commit());
    }
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    auto rooms = db->load_rooms();
    ASSERT_EQ(rooms.size(), 2u);
    std::sort(rooms.begin(), rooms.end(), [](const StoredRoom& a, const StoredRoom& b) { return a.name < b.name; });
    EXPECT_EQ(rooms[0].name, "#brief");
    EXPECT_EQ(rooms[0].modes.key, "") << "the old key must not come back";
    EXPECT_EQ(rooms[1].modes.key, "s3cret");
}

// A database of schema version 2 (before room settings were kept) is migrated at start: its rooms
// come back with their topics and +n, as they did after every restart before.
TEST(HistoryDb, AVersionTwoDatabaseIsMigratedAndItsRoomsHaveTheirDefaults) {
    TempDir tmp;
    const std::string file = tmp.path() + "/natter.db";
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        ASSERT_TRUE(db->save_room(StoredRoom{"#old", "from version two", "ann", kNow, false, {}}));
        ASSERT_TRUE(db->commit());
    }
    raw_sql(file, "ALTER TABLE rooms DROP COLUMN flags; ALTER TABLE rooms DROP COLUMN join_key; "
                  "ALTER TABLE rooms DROP COLUMN member_limit; UPDATE schema_version SET version = 2;");
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    auto rooms = db->load_rooms();
    ASSERT_EQ(rooms.size(), 1u);
    EXPECT_EQ(rooms[0].topic, "from version two");
    EXPECT_TRUE(rooms[0].modes == RoomModes{});
}

TEST(HistoryDb, RetentionByAgeDeletesInSlicesAndKeepsIdsGoingUp) {
    TempDir tmp;
    HistoryConfig config;
    config.keep_days = 2;
    auto db = open_db(tmp.path(), config);
    ASSERT_NE(db, nullptr);
    const std::size_t old_ones = HistoryWriter::kPruneSlice + 20;
    std::uint64_t id = 1;
    for (std::size_t i = 0; i < old_ones; ++i) ASSERT_TRUE(db->append(msg(id++, "#r", "old deploy", kNow - 3 * kDay)));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(db->append(msg(id++, "#r", "new deploy", kNow - kDay)));
    ASSERT_TRUE(db->commit());
    settle(*db);
    auto p = db->page("#r", 0, 100, 1 << 20);
    ASSERT_TRUE(p);
    EXPECT_EQ(texts(*p), std::vector<std::string>(5, "new deploy"));
    EXPECT_FALSE(p->more);
    // The search index forgot them too.
    auto s = db->search("#r", "old", 0, 50, 1 << 20);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->messages.empty());
    // Everything aged out: ids still continue after the highest ever stored.
    db.reset();
    config.now = [] { return kNow + 10 * kDay; };
    db = open_db(tmp.path(), config);
    ASSERT_NE(db, nullptr);
    settle(*db);
    auto none = db->page("#r", 0, 100, 1 << 20);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->messages.empty());
    db.reset();
    db = open_db(tmp.path(), config);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->next_message_id(), id);
}

TEST(HistoryDb, RetentionPerRoomKeepsTheNewest) {
    TempDir tmp;
    HistoryConfig config;
    config.max_per_room = 10;
    {
        auto db = open_db(tmp.path(), config);
        ASSERT_NE(db, nullptr);
        for (std::uint64_t i = 1; i <= 30; ++i) ASSERT_TRUE(db->append(msg(i, "#big", "m" + std::to_string(i))));
        for (std::uint64_t i = 31; i <= 35; ++i) ASSERT_TRUE(db->append(msg(i, "#small", "s")));
        ASSERT_TRUE(db->commit());
    }
    // (Written before the limit applied: the writer finishes when the store closes.)
    // Counts are read back at open: the limit applies to what was there before.
    auto db = open_db(tmp.path(), config);
    ASSERT_NE(db, nullptr);
    settle(*db);
    auto big = db->page("#big", 0, 100, 1 << 20);
    ASSERT_TRUE(big);
    ASSERT_EQ(big->messages.size(), 10u);
    EXPECT_EQ(big->messages.front().text, "m21");
    auto small = db->page("#small", 0, 100, 1 << 20);
    ASSERT_TRUE(small);
    EXPECT_EQ(small->messages.size(), 5u);
}

TEST(HistoryDb, RefusesADirectoryItCannotUse) {
    TempDir tmp;
    const std::string file = tmp.path() + "/not-a-dir";
    std::ofstream(file) << "x";
    EXPECT_NE(refusal(file).find("not a directory"), std::string::npos);
    EXPECT_NE(refusal(file + "/below").find("cannot create"), std::string::npos);
    // One natterd per directory.
    auto first = open_db(tmp.path());
    ASSERT_NE(first, nullptr);
    EXPECT_NE(refusal(tmp.path()).find("another natterd"), std::string::npos);
}

TEST(HistoryDb, RefusesDamagedForeignAndNewerDatabases) {
    {
        TempDir tmp;
        std::ofstream(tmp.path() + "/natter.db") << std::string(8192, 'x');
        const std::string why = refusal(tmp.path());
        EXPECT_NE(why.find("natter.db"), std::string::npos) << why;
        EXPECT_NE(why.find("not a database"), std::string::npos) << why;
        // Nothing was written over it.
        std::ifstream in(tmp.path() + "/natter.db");
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(content, std::string(8192, 'x'));
    }
    {
        TempDir tmp;
        raw_sql(tmp.path() + "/natter.db", "CREATE TABLE precious (x); INSERT INTO precious VALUES (1);");
        EXPECT_NE(refusal(tmp.path()).find("no natter schema version"), std::string::npos);
    }
    {
        TempDir tmp;
        { auto db = open_db(tmp.path()); }
        raw_sql(tmp.path() + "/natter.db", "UPDATE schema_version SET version = 99;");
        const std::string why = refusal(tmp.path());
        EXPECT_NE(why.find("schema version 99"), std::string::npos) << why;
        EXPECT_NE(why.find("newer"), std::string::npos) << why;
    }
}

TEST(HistoryDb, AFreshDatabaseIsAtTheCurrentSchemaInWalMode) {
    TempDir tmp;
    { auto db = open_db(tmp.path()); }
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((tmp.path() + "/natter.db").c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT version FROM schema_version", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(s, 0), kHistorySchemaVersion);
    sqlite3_finalize(s);
    ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
    sqlite3_finalize(s);
    sqlite3_close(raw);
}

// A database of schema version 1 (before notices were marked) is migrated at start: its messages
// read back as plain messages, and a notice stored now reads back as one.
TEST(HistoryDb, AVersionOneDatabaseIsMigratedAndKeepsItsMessages) {
    TempDir tmp;
    const std::string file = tmp.path() + "/natter.db";
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        EXPECT_TRUE(db->append(msg(1, "#r", "from version one")));
        EXPECT_EQ(db->commit(), 1u);
        settle(*db);
    }
    // What version 1 looked like: no notice column, no room settings.
    raw_sql(file, "ALTER TABLE messages DROP COLUMN notice; ALTER TABLE rooms DROP COLUMN flags; "
                  "ALTER TABLE rooms DROP COLUMN join_key; ALTER TABLE rooms DROP COLUMN member_limit; "
                  "UPDATE schema_version SET version = 1;");
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    StoredMessage notice = msg(2, "#r", "a bot's notice");
    notice.notice = true;
    EXPECT_TRUE(db->append(notice));
    EXPECT_EQ(db->commit(), 1u);
    settle(*db);
    auto page = db->page("#r", 0, 10, 1 << 20);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->messages.size(), 2u);
    EXPECT_EQ(page->messages[0].text, "from version one");
    EXPECT_FALSE(page->messages[0].notice);
    EXPECT_TRUE(page->messages[1].notice);
    EXPECT_FALSE(page->messages[1].action);
}

TEST(DataDir, DefaultFollowsXdg) {
    EXPECT_EQ(default_data_dir("/state", "/home/ann"), "/state/natter");
    EXPECT_EQ(default_data_dir("relative", "/home/ann"), "/home/ann/.local/state/natter");
    EXPECT_EQ(default_data_dir(nullptr, "/home/ann"), "/home/ann/.local/state/natter");
    EXPECT_EQ(default_data_dir("", ""), "");
    EXPECT_EQ(default_data_dir(nullptr, nullptr), "");
}

TEST(HistoryDb, TheSearchIndexIsBuiltBehindTheMessages) {
    TempDir tmp;
    const std::uint64_t n = HistoryWriter::kIndexSlice * 3 + 7;
    {
        auto db = open_db(tmp.path());
        ASSERT_NE(db, nullptr);
        for (std::uint64_t i = 1; i <= n; ++i)
            ASSERT_TRUE(db->append(msg(i, "#i", "word" + std::to_string(i) + " common")));
        ASSERT_TRUE(db->commit());
        settle(*db);
        EXPECT_EQ(db->index_backlog(), 0u) << "indexed in the background";
        auto s = db->search("#i", "word" + std::to_string(n), 0, 50, 1 << 20);
        ASSERT_TRUE(s);
        ASSERT_EQ(s->messages.size(), 1u);
        EXPECT_EQ(s->messages[0].id, n);
        ASSERT_TRUE(db->append(msg(n + 1, "#i", "late common")));
        ASSERT_TRUE(db->commit());
    }
    // Deleting indexed messages keeps the index sound, and the mark survives a reopen.
    HistoryConfig config;
    config.max_per_room = 5;
    auto db = open_db(tmp.path(), config);
    ASSERT_NE(db, nullptr);
    settle(*db);
    EXPECT_EQ(db->index_backlog(), 0u);
    auto common = db->search("#i", "common", 0, 50, 1 << 20);
    ASSERT_TRUE(common);
    EXPECT_EQ(common->messages.size(), 5u) << "retention kept 5; the index agrees";
    db.reset();
    raw_sql(tmp.path() + "/natter.db", "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check');");
}

TEST(HistoryDb, PagesIncludeWhatIsNotWrittenYet) {
    TempDir tmp;
    auto db = open_db(tmp.path());
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->append(msg(1, "#w", "written")));
    ASSERT_TRUE(db->commit());
    settle(*db);
    ASSERT_TRUE(db->append(msg(2, "#w", "handed over")));
    ASSERT_TRUE(db->commit());
    ASSERT_TRUE(db->append(msg(3, "#W", "still in this turn")));
    ASSERT_TRUE(db->append(msg(4, "#other", "elsewhere")));
    auto p = db->page("#w", 0, 10, 1 << 20);
    ASSERT_TRUE(p);
    EXPECT_EQ(texts(*p), (std::vector<std::string>{"written", "handed over", "still in this turn"}));
    p = db->page("#w", 3, 1, 1 << 20);
    ASSERT_TRUE(p);
    EXPECT_EQ(texts(*p), std::vector<std::string>{"handed over"});
    EXPECT_TRUE(p->more);
    auto fresh = db->page("#other", 0, 10, 1 << 20);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(texts(*fresh), std::vector<std::string>{"elsewhere"}) << "a room with no row yet";
}
