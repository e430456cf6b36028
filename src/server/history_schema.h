// The history database's schema and its migrations. Version 1 is the first; each later version
// is one more step in kMigrations, applied in order inside one transaction at start. natterd
// refuses a database whose version is newer than it knows, and a database that has tables but
// no version (someone else's file): it never starts empty over history it cannot read.
#pragma once

#include <optional>
#include <string>

#include "server/room_store.h"
#include "server/sqlite.h"

namespace natter::server {

constexpr int kHistorySchemaVersion = 3;

// A room's on/off modes as the rooms table's flags column holds them: the letters of m, n, s and
// t that are set ("n" for a new room). Invite-only is not stored: an empty room drops it.
std::string stored_mode_flags(const RoomModes& m);
// Sets m's moderated, no_external, secret and topic_lock from such a column.
void load_mode_flags(std::string_view flags, RoomModes& m);

// Brings the database to kHistorySchemaVersion. Nothing on success, else why not (for people).
std::optional<std::string> migrate_history(sqlite::Db& db);

// The schema version of an open database: 0 for an empty one, -1 when it cannot be read, -2 when
// it has tables but no version table (not natterd's).
int history_schema_version(sqlite::Db& db);

}  // namespace natter::server
