#include "tui/history.h"

#include <utility>
#include <vector>

namespace natter::tui {

namespace {

// Room messages are the entries with ids, in id order from the oldest to the newest: history goes
// in above or below, live ones below. (Search results carry no id: they are copies, shown apart.)
bool room_message(const Entry& e) {
    return e.id != 0 && (e.kind == EntryKind::Group || e.kind == EntryKind::Action);
}

}  // namespace

std::uint64_t oldest_id(const MessageLog& log) {
    for (std::size_t i = 0; i < log.size(); ++i)
        if (room_message(log.at(i))) return log.at(i).id;
    return 0;
}

std::uint64_t newest_id(const MessageLog& log) {
    for (std::size_t i = log.size(); i-- > 0;)
        if (room_message(log.at(i))) return log.at(i).id;
    return 0;
}

bool at_beginning(const Tab& t) {
    return !t.log.empty() && t.log.front().kind == EntryKind::Beginning;
}

bool wants_older(const Tab& t) {
    return t.kind == TabKind::Room && t.joined && !t.history_asked && !t.full && !at_beginning(t);
}

Entry separator(std::string text, EntryKind kind) {
    Entry e;
    e.kind = kind;
    e.text = std::move(text);
    return e;
}

Merged merge_history(Tab& t, bool more) {
    std::vector<Entry> page = std::move(t.page);
    t.page.clear();
    t.history_asked = false;
    const std::uint64_t lo = oldest_id(t.log), hi = newest_id(t.log);
    std::vector<Entry> above, below;
    for (auto& e : page) {
        // Oldest first, ids increasing; anything out of order (a confused server) is dropped.
        std::vector<Entry>& to = (lo == 0 || e.id < lo) ? above : below;
        if (&to == &below && e.id <= hi) continue;  // already in the log
        if (!to.empty() && to.back().id >= e.id) continue;
        e.history = true;
        to.push_back(std::move(e));
    }
    Merged m;
    if (!above.empty() && !t.separated && !t.log.empty()) {
        above.push_back(separator("history"));
        t.separated = true;
    }
    if (!more && !at_beginning(t))
        above.insert(above.begin(), separator("beginning of " + tab_title(t), EntryKind::Beginning));
    if (!above.empty()) {
        const std::size_t wanted = above.size();
        m.above = t.log.prepend(std::move(above));
        if (m.above < wanted) t.full = true;
    }
    if (!below.empty()) {
        // Messages sent while we were away: under what we had, marked as history too.
        below.push_back(separator("history"));
        m.below = below.size();
        for (auto& e : below) t.log.add(std::move(e));
    }
    return m;
}

void show_search_results(Tab& t, bool more) {
    std::vector<Entry> found = std::move(t.found);
    t.found.clear();
    const std::string what = "\"" + t.search_words + "\" in " + tab_title(t);
    if (found.empty()) {
        t.log.add(separator("no messages with " + what));
        return;
    }
    const std::size_t n = found.size();
    Entry head = separator(std::to_string(n) + " message" + (n == 1 ? "" : "s") + " with " + what +
                     (more ? " (the newest; older ones exist)" : ""));
    t.log.add(std::move(head));
    for (auto& e : found) {
        e.id = 0;  // a copy, out of the room's order
        t.log.add(std::move(e));
    }
    t.log.add(separator("end of search"));
}

}  // namespace natter::tui
