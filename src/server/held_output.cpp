#include "server/held_output.h"

#include <utility>

namespace natter::server {

std::vector<HeldOutput::Entry> HeldOutput::release(bool committed) {
    std::vector<Entry> out;
    out.swap(entries_);
    if (committed) return out;
    std::vector<Entry> kept;
    kept.reserve(out.size());
    for (Entry& e : out) {
        if (e.kind == Entry::Kind::Chunk && e.durable_for != 0) {
            if (e.to != e.durable_for) continue;  // nobody else learns of what was not stored
            e.kind = Entry::Kind::NotStored;
            e.chunk.reset();
        }
        kept.push_back(std::move(e));
    }
    return kept;
}

}  // namespace natter::server
