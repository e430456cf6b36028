#include "server/history_search.h"

namespace natter::server {

namespace {

// Letters and digits in ASCII, and any non-ASCII byte (letters of other scripts; the tokenizer
// decides what they are).
bool wordish(unsigned char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

}  // namespace

std::string fts_query(std::string_view words) {
    std::string query;
    std::size_t i = 0;
    while (i < words.size()) {
        while (i < words.size() && (words[i] == ' ' || words[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < words.size() && words[i] != ' ' && words[i] != '\t') ++i;
        const std::string_view word = words.substr(start, i - start);
        bool keep = false;
        for (char ch : word) keep = keep || wordish(static_cast<unsigned char>(ch));
        if (!keep) continue;
        if (!query.empty()) query += " AND ";
        query += '"';
        for (char ch : word) {
            if (ch == '"') query += '"';
            query += ch;
        }
        query += "\"*";
    }
    return query;
}

}  // namespace natter::server
