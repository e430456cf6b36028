#include "tui/message_log.h"

#include <algorithm>

namespace natter::tui {

MessageLog::MessageLog(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(std::max<std::size_t>(1, max_entries)), max_bytes_(max_bytes) {}

std::size_t MessageLog::cost(const Entry& e) {
    return sizeof(Entry) + e.from.capacity() + e.to.capacity() + e.text.capacity();
}

namespace {

void shrink(Entry& e) {
    e.from.shrink_to_fit();
    e.to.shrink_to_fit();
    e.text.shrink_to_fit();
}

}  // namespace

void MessageLog::add(Entry e) {
    e.seq = next_seq_++;
    shrink(e);
    bytes_ += cost(e);
    entries_.push_back(std::move(e));
    while (entries_.size() > 1 && (entries_.size() > max_entries_ || bytes_ > max_bytes_)) {
        bytes_ -= cost(entries_.front());
        entries_.pop_front();
    }
    // Scrolled up to an entry that is gone: hold on to the oldest one left.
    if (pos_ && pos_->seq < entries_.front().seq) pos_ = Position{entries_.front().seq, 0};
}

std::size_t MessageLog::prepend(std::vector<Entry> older) {
    // Count how many of the newest fit, then put them in front, newest first.
    std::size_t fit = 0, bytes = bytes_;
    for (std::size_t k = older.size(); k-- > 0;) {
        shrink(older[k]);
        const std::size_t c = cost(older[k]);
        if (entries_.size() + fit + 1 > max_entries_ || bytes + c > max_bytes_) break;
        bytes += c;
        ++fit;
    }
    std::uint64_t seq = entries_.empty() ? next_seq_ : entries_.front().seq;
    for (std::size_t k = older.size(); k-- > older.size() - fit;) {
        older[k].seq = --seq;
        bytes_ += cost(older[k]);
        entries_.push_front(std::move(older[k]));
    }
    return fit;
}

bool MessageLog::at_top(int height, const RowCount& count) const {
    const auto b = bottom(count);
    if (!b) return true;
    int rows = b->second + 1;  // from the first row of the bottom entry down to the bottom row
    for (std::size_t k = b->first; k-- > 0 && rows <= height;) rows += std::max(1, count(entries_[k]));
    return rows <= height;
}

void MessageLog::clear() {
    entries_.clear();
    bytes_ = 0;
    pos_.reset();
}

std::size_t MessageLog::unseen() const {
    if (!pos_ || entries_.empty()) return 0;
    return static_cast<std::size_t>(entries_.back().seq - pos_->seq);
}

std::optional<std::pair<std::size_t, int>> MessageLog::bottom(const RowCount& count) const {
    if (entries_.empty()) return std::nullopt;
    if (!pos_) return std::make_pair(entries_.size() - 1, std::max(1, count(entries_.back())) - 1);
    const std::size_t i = static_cast<std::size_t>(pos_->seq - entries_.front().seq);
    const int rows = std::max(1, count(entries_[i]));
    return std::make_pair(i, std::clamp(pos_->row, 0, rows - 1));
}

void MessageLog::scroll_up(int n, int height, const RowCount& count) {
    auto b = bottom(count);
    if (!b || n <= 0) return;
    auto [i, row] = *b;
    row -= n;
    while (row < 0 && i > 0) {
        --i;
        row += std::max(1, count(entries_[i]));
    }
    if (row < 0) row = 0;
    // Never scroll past the top: the bottom row stays at least height - 1 rows below the first.
    int above = row;
    for (std::size_t k = 0; k < i && above < height - 1; ++k) above += std::max(1, count(entries_[k]));
    if (above < height - 1) {
        // Too close to the top: put the first row at the top of the window.
        int need = height - 1;
        std::size_t k = 0;
        while (k < entries_.size()) {
            const int rows = std::max(1, count(entries_[k]));
            if (need < rows) break;
            need -= rows;
            ++k;
        }
        if (k >= entries_.size()) {  // everything fits in the window
            pos_.reset();
            return;
        }
        i = k;
        row = need;
    }
    pos_ = Position{entries_[i].seq, row};
    if (i == entries_.size() - 1 && row >= std::max(1, count(entries_[i])) - 1) pos_.reset();
}

void MessageLog::scroll_down(int n, const RowCount& count) {
    auto b = bottom(count);
    if (!b || !pos_ || n <= 0) return;
    auto [i, row] = *b;
    row += n;
    while (i < entries_.size()) {
        const int rows = std::max(1, count(entries_[i]));
        if (row < rows) break;
        if (i == entries_.size() - 1) {
            pos_.reset();
            return;
        }
        row -= rows;
        ++i;
    }
    pos_ = Position{entries_[i].seq, row};
    if (i == entries_.size() - 1 && row >= std::max(1, count(entries_[i])) - 1) pos_.reset();
}

}  // namespace natter::tui
