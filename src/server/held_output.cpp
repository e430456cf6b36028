#include "server/held_output.h"

#include <algorithm>
#include <utility>

namespace natter::server {

HeldOutput::Segment& HeldOutput::open() {
    if (segments_.empty() || segments_.back().sealed) {
        segments_.emplace_back();
        segments_.back().serial = ++serial_;
    }
    return segments_.back();
}

void HeldOutput::chunk(Connection* to, const HeldChunk& chunk, bool stored, bool author) {
    std::vector<Entry>& entries = open().entries;
    if (entries.empty() || entries.back().kind != Entry::Kind::Chunk || entries.back().chunk != chunk) {
        Entry e;
        e.chunk = chunk;
        e.stored = stored;
        entries.push_back(std::move(e));
    }
    Entry& e = entries.back();
    e.to.push_back(to);
    if (author) e.author = to;
}

void HeldOutput::broadcast(std::vector<ClientId> ids, HeldChunk chunk, ClientId author) {
    Entry e;
    e.kind = Entry::Kind::Broadcast;
    e.chunk = std::move(chunk);
    e.ids = std::move(ids);
    e.stored = author != 0;
    e.author_id = author;
    open().entries.push_back(std::move(e));
}

void HeldOutput::close(Connection* c, std::string reason) {
    Entry e;
    e.kind = Entry::Kind::Close;
    e.to.push_back(c);
    e.reason = std::move(reason);
    open().entries.push_back(std::move(e));
}

void HeldOutput::seal(std::uint64_t batch, bool failed) {
    if (open_empty()) return;  // nothing held since the last seal: nothing waits
    Segment& s = segments_.back();
    s.batch = batch;
    s.failed = failed;
    s.sealed = true;
}

std::size_t HeldOutput::size() const {
    std::size_t n = 0;
    for (const Segment& s : segments_) n += s.entries.size();
    return n;
}

void HeldOutput::lost(std::uint64_t batch) {
    for (Segment& s : segments_)
        if (s.sealed && s.batch == batch) s.failed = true;
}

std::vector<HeldOutput::Entry> HeldOutput::release(std::uint64_t durable) {
    std::vector<Entry> out;
    while (!segments_.empty()) {
        Segment& s = segments_.front();
        if (!s.sealed || (s.batch > durable && !s.failed)) break;  // in line behind this one
        const bool lost = s.failed;
        for (Entry& e : s.entries) {
            if (lost && e.kind == Entry::Kind::Chunk && e.stored) {
                if (e.author == nullptr) continue;  // nobody else learns of what was not stored
                Entry n;
                n.kind = Entry::Kind::NotStored;
                n.to.push_back(e.author);
                out.push_back(std::move(n));
                continue;
            }
            if (lost && e.kind == Entry::Kind::Broadcast && e.stored) {
                if (std::find(e.ids.begin(), e.ids.end(), e.author_id) == e.ids.end()) continue;
                Entry n;
                n.kind = Entry::Kind::NotStored;
                n.ids.push_back(e.author_id);
                out.push_back(std::move(n));
                continue;
            }
            out.push_back(std::move(e));
        }
        segments_.pop_front();
    }
    return out;
}

}  // namespace natter::server
