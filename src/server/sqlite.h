// A thin RAII layer over the SQLite C API, just what natterd's history needs: a connection, a
// prepared statement with typed binds and columns, and error texts. No exceptions: every call
// says whether it worked, and the connection keeps the last error for the log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace natter::server::sqlite {

class Db {
public:
    Db() = default;
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    // Opens (creating if missing) the database file. False with error() set on failure.
    bool open(const std::string& path);
    void close();
    bool is_open() const { return db_ != nullptr; }

    // Runs one or more statements without results. False with error() set on failure.
    bool exec(const char* sql);
    // The text of one value of a one-row query ("PRAGMA journal_mode=WAL"), or "" on failure.
    std::string query_text(const char* sql);

    // True when no transaction is open (SQLite rolls back by itself after some errors).
    bool autocommit() const;
    int changes() const;
    const std::string& error() const { return error_; }
    // Records the connection's current error message (after a failed call), and returns false.
    bool fail(std::string_view what);

    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::string error_;
};

// A prepared statement, reset after each use.
class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool prepare(Db& db, const char* sql);
    // Binds are 1-based, as in SQL.
    void bind(int i, std::int64_t v);
    void bind(int i, std::string_view v);
    // Without a copy: `v` must stay unchanged until the statement is reset.
    void bind_static(int i, std::string_view v);
    // Steps once: Row (a row is ready), Done, or Error (db.error() says why; the statement is reset).
    enum class Step { Row, Done, Error };
    Step step();
    // Steps until done, for statements without results.
    bool run();
    std::int64_t int64(int col) const;
    bool is_null(int col) const;
    std::string text(int col) const;
    void reset();

private:
    Db* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace natter::server::sqlite
