// What a search's words mean, as an SQLite FTS5 query: every word must be in the message, as a
// whole word or the beginning of one ("deplo" finds "deployed"), case and accents ignored by the
// tokenizer. The words are hostile: each becomes a quoted string (quotes doubled), so no FTS5
// syntax (AND, OR, NEAR, column filters, parentheses, '*', '^') can be injected; a word with no
// letter or digit is dropped (it could match nothing).
#pragma once

#include <string>
#include <string_view>

namespace natter::server {

// The FTS5 query for `words`, or "" when there is no word to look for.
std::string fts_query(std::string_view words);

}  // namespace natter::server
