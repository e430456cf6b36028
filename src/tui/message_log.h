// The scrollback: a bounded list of what the message log shows, and the scroll position in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

namespace natter::tui {

enum class EntryKind {
    Group,          // <from> text
    Action,         // * from text
    PrivateIn,      // from -> you
    PrivateOut,     // you -> to
    Joined,
    Left,           // text: the reason
    Renamed,        // from -> to
    IgnoreChanged,  // from; text "on" or "off"
    Info,           // a local notice
    Error,          // a local or server error
};

// One entry. Every string is displayable (see displayable()): the log never holds a byte that
// could control the terminal, whatever the server sent.
struct Entry {
    std::uint64_t seq = 0;  // assigned by MessageLog::add, increasing
    EntryKind kind = EntryKind::Info;
    std::uint64_t ts = 0;   // ms since the Unix epoch
    std::string from;
    std::string to;
    std::string text;       // may hold '\n' (a multi-line message)
    bool own = false;       // sent by you
    bool mention = false;   // mentions your nickname
};

class MessageLog {
public:
    // Bounds: at most this many entries and about this many bytes; the oldest go first.
    static constexpr std::size_t kMaxEntries = 10000;
    static constexpr std::size_t kMaxBytes = 8u << 20;

    explicit MessageLog(std::size_t max_entries = kMaxEntries, std::size_t max_bytes = kMaxBytes);

    void add(Entry e);
    void clear();
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    const Entry& at(std::size_t i) const { return entries_[i]; }  // 0 is the oldest
    const Entry& back() const { return entries_.back(); }
    std::size_t bytes() const { return bytes_; }

    // Scrolling, in rows of the wrapped log. The position is the bottom visible row, named by its
    // entry and its row inside that entry, so it stays put when messages arrive below and when a
    // resize rewraps everything. `rows` says how many rows an entry takes at the current width;
    // `height` is the log window's.
    using RowCount = std::function<int(const Entry&)>;
    struct Position {
        std::uint64_t seq = 0;
        int row = 0;  // 0 is the entry's first row
    };
    bool at_bottom() const { return !pos_; }
    std::optional<Position> position() const { return pos_; }
    void scroll_up(int rows, int height, const RowCount& count);
    void scroll_down(int rows, const RowCount& count);
    void scroll_to_bottom() { pos_.reset(); }
    // Entries below the bottom visible row: the "new messages below" count.
    std::size_t unseen() const;
    // The index of the entry holding the bottom visible row and the row in it (clamped to the
    // entry's rows); nothing when the log is empty.
    std::optional<std::pair<std::size_t, int>> bottom(const RowCount& count) const;

private:
    static std::size_t cost(const Entry& e);

    std::deque<Entry> entries_;
    std::size_t max_entries_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::uint64_t next_seq_ = 1;
    std::optional<Position> pos_;  // nothing: following the newest
};

}  // namespace natter::tui
