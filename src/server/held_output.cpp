#include "server/held_output.h"

#include <utility>

namespace natter::server {

void HeldOutput::chunk(Connection* to, const HeldChunk& chunk, bool stored, bool author) {
    if (entries_.empty() || entries_.back().kind != Entry::Kind::Chunk || entries_.back().chunk != chunk) {
        Entry e;
        e.chunk = chunk;
        e.stored = stored;
        entries_.push_back(std::move(e));
    }
    Entry& e = entries_.back();
    e.to.push_back(to);
    if (author) e.author = to;
}

void HeldOutput::close(Connection* c, std::string reason) {
    Entry e;
    e.kind = Entry::Kind::Close;
    e.to.push_back(c);
    e.reason = std::move(reason);
    entries_.push_back(std::move(e));
}

std::vector<HeldOutput::Entry> HeldOutput::release(bool committed) {
    std::vector<Entry> out;
    out.swap(entries_);
    if (committed) return out;
    std::vector<Entry> kept;
    kept.reserve(out.size());
    for (Entry& e : out) {
        if (e.kind == Entry::Kind::Chunk && e.stored) {
            if (e.author == nullptr) continue;  // nobody else learns of what was not stored
            Entry n;
            n.kind = Entry::Kind::NotStored;
            n.to.push_back(e.author);
            kept.push_back(std::move(n));
            continue;
        }
        kept.push_back(std::move(e));
    }
    return kept;
}

}  // namespace natter::server
