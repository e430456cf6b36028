#include "server/sqlite.h"

#include <sqlite3.h>

namespace natter::server::sqlite {

Db::~Db() { close(); }

bool Db::open(const std::string& path) {
    close();
    // One thread uses the connection: no mutexes. No URI tricks in a path from the command line.
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        error_ = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        close();
        return false;
    }
    sqlite3_extended_result_codes(db_, 1);
    return true;
}

void Db::close() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
}

bool Db::exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) == SQLITE_OK) return true;
    error_ = msg != nullptr ? msg : sqlite3_errmsg(db_);
    sqlite3_free(msg);
    return false;
}

std::string Db::query_text(const char* sql) {
    Statement s;
    if (!s.prepare(*this, sql) || s.step() != Statement::Step::Row) return {};
    return s.text(0);
}

bool Db::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }
int Db::changes() const { return sqlite3_changes(db_); }

bool Db::fail(std::string_view what) {
    error_ = std::string(what) + ": " + sqlite3_errmsg(db_);
    return false;
}

Statement::~Statement() {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

bool Statement::prepare(Db& db, const char* sql) {
    db_ = &db;
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
        return db.fail("preparing a statement");
    return true;
}

void Statement::bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void Statement::bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void Statement::bind_static(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

Statement::Step Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return Step::Row;
    if (rc == SQLITE_DONE) {
        reset();
        return Step::Done;
    }
    db_->fail(sqlite3_errstr(rc));
    reset();
    return Step::Error;
}

bool Statement::run() {
    for (;;) {
        switch (step()) {
        case Step::Row: continue;
        case Step::Done: return true;
        case Step::Error: return false;
        }
    }
}

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string Statement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    const int n = sqlite3_column_bytes(stmt_, col);
    return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(n));
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

}  // namespace natter::server::sqlite
