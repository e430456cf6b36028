// The chat core's history: the page sent on joining, pages asked for, and search. The store
// answers; the core checks the request and turns rows into messages. See chat_core.h.
#include <algorithm>

#include "server/chat_core.h"
#include "shared/text.h"

namespace natter::server {

void ChatCore::send_page(ClientId to, const std::string& room, const HistoryPage& page, Outputs& out) {
    for (const StoredMessage& m : page.messages) {
        if (m.action) out.deliveries.push_back({{to}, Action{m.id, m.ts, m.from, m.text, room, true}});
        else out.deliveries.push_back({{to}, GroupMessage{m.id, m.ts, m.from, m.text, room, true, m.notice}});
    }
}

void ChatCore::send_join_history(ClientId id, const Client& c, const Room& r, Outputs& out) {
    HistoryEnd end{r.name, 0, false};
    // A room that never stored anything needs no query.
    if (config_.store != nullptr && r.has_history) {
        // In ignore mode no group message arrives, stored ones neither; "more" still tells.
        const std::size_t limit = c.ignoring ? 0 : config_.history_on_join;
        if (auto page = config_.store->page(r.name, 0, limit, config_.history_page_bytes)) {
            send_page(id, r.name, *page, out);
            end.count = page->messages.size();
            end.more = page->more;
        } else {
            // The join still works; only its history is missing.
            out.notes.push_back({id, "could not read the history of " + r.name});
        }
    }
    out.deliveries.push_back({{id}, std::move(end)});
}

void ChatCore::on(ClientId id, Client& c, const HistoryRequest& m, Millis now, Outputs& out) {
    Room* r = member_room(id, c, m.room, now, out);
    if (r == nullptr) return;
    if (config_.store == nullptr) {
        refuse(id, c, err::kHistoryUnavailable, "this server keeps no history", now, out);
        return;
    }
    const std::size_t fallback = std::clamp<std::size_t>(config_.history_on_join, 1, kMaxHistoryPage);
    const std::size_t limit =
        m.limit == 0 ? fallback : static_cast<std::size_t>(std::min<std::uint64_t>(m.limit, kMaxHistoryPage));
    auto page = config_.store->page(r->name, m.before, limit, config_.history_page_bytes);
    if (!page) {
        out.deliveries.push_back({{id}, Error{err::kHistoryUnavailable, "the history cannot be read just now"}});
        out.notes.push_back({id, "could not read the history of " + r->name});
        return;
    }
    send_page(id, r->name, *page, out);
    out.deliveries.push_back({{id}, HistoryEnd{r->name, page->messages.size(), page->more}});
}

void ChatCore::on(ClientId id, Client& c, const Search& m, Millis now, Outputs& out) {
    Room* r = member_room(id, c, m.room, now, out);
    if (r == nullptr) return;
    if (m.words.size() > kMaxSearchBytes) {
        refuse(id, c, err::kBadText, "search for at most " + std::to_string(kMaxSearchBytes) + " bytes of words",
               now, out);
        return;
    }
    bool has_word = false;
    for (std::size_t i = 0; i < m.words.size();) {
        const char32_t cp = text::decode_one(m.words, i);
        if (text::is_control(cp) && cp != '\t') {
            refuse(id, c, err::kBadText, "search words are one line without control characters", now, out);
            return;
        }
        has_word = has_word || (cp != ' ' && cp != '\t');
    }
    if (!has_word) {
        refuse(id, c, err::kBadText, "search for at least one word", now, out);
        return;
    }
    if (config_.store == nullptr) {
        refuse(id, c, err::kHistoryUnavailable, "this server keeps no history", now, out);
        return;
    }
    auto page = config_.store->search(r->name, m.words, m.before, kSearchPage, config_.history_page_bytes);
    if (!page) {
        out.deliveries.push_back({{id}, Error{err::kHistoryUnavailable, "the history cannot be searched just now"}});
        out.notes.push_back({id, "could not search the history of " + r->name});
        return;
    }
    for (const StoredMessage& s : page->messages)
        out.deliveries.push_back({{id}, Found{s.id, s.ts, r->name, s.from, s.text, s.action, s.notice}});
    out.deliveries.push_back({{id}, SearchEnd{r->name, page->messages.size(), page->more}});
}

}  // namespace natter::server
