#include "server/memory_store.h"

#include <algorithm>
#include <cctype>

namespace natter::server {

namespace {

std::string lower_ascii(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

}  // namespace

bool MemoryStore::append(StoredMessage m) {
    if (fail_appends) return false;
    rooms_[m.room].name = m.room;
    rooms_[m.room].has_history = true;
    messages_.push_back(std::move(m));
    ++pending_;
    return true;
}

bool MemoryStore::save_room(const StoredRoom& room) {
    if (fail_appends) return false;
    StoredRoom& r = rooms_[room.name];
    const bool had = r.has_history;
    r = room;
    r.has_history = had;
    ++pending_;
    return true;
}

std::uint64_t MemoryStore::commit() {
    pending_ = 0;
    if (fail_commits) {
        messages_.resize(committed_messages_);
        rooms_ = committed_rooms_;
        return 0;
    }
    ++commits_;
    committed_messages_ = messages_.size();
    committed_rooms_ = rooms_;
    return ++batches_;
}

template <class Match>
std::optional<HistoryPage> MemoryStore::select(const std::string& room, std::uint64_t before,
                                               std::size_t limit, std::size_t max_bytes,
                                               Match match) const {
    if (fail_reads) return std::nullopt;
    HistoryPage page;
    std::size_t bytes = 0;
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
        if (it->room != room || (before != 0 && it->id >= before) || !match(*it)) continue;
        if (page.messages.size() >= limit ||
            (!page.messages.empty() && bytes + it->text.size() > max_bytes)) {
            page.more = true;
            break;
        }
        bytes += it->text.size();
        page.messages.push_back(*it);
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

std::optional<HistoryPage> MemoryStore::page(const std::string& room, std::uint64_t before,
                                             std::size_t limit, std::size_t max_bytes) {
    return select(room, before, limit, max_bytes, [](const StoredMessage&) { return true; });
}

std::optional<HistoryPage> MemoryStore::search(const std::string& room, const std::string& words,
                                               std::uint64_t before, std::size_t limit,
                                               std::size_t max_bytes) {
    std::vector<std::string> wanted;
    std::string w;
    for (char ch : words + " ") {
        if (ch == ' ' || ch == '\t') {
            if (!w.empty()) wanted.push_back(lower_ascii(w));
            w.clear();
        } else {
            w += ch;
        }
    }
    return select(room, before, limit, max_bytes, [&](const StoredMessage& m) {
        const std::string text = lower_ascii(m.text);
        for (const auto& x : wanted)
            if (text.find(x) == std::string::npos) return false;
        return true;
    });
}

}  // namespace natter::server
