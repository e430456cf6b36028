// The scrollback: a bounded list of what the message log shows, and the scroll position in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace natter::tui {

enum class EntryKind {
    Group,          // <from> text (a notice: -from- text)
    Action,         // * from text
    PrivateIn,      // from -> you (a notice in dashes, not brackets)
    PrivateOut,     // you -> to
    Joined,
    Left,           // text: the reason; to: the operator who removed them, if one did
    Renamed,        // from -> to
    IgnoreChanged,  // from; text "on" or "off"
    Info,           // a local notice
    Error,          // a local or server error
    Topic,          // a room's topic: from = who set it, text = the topic
    Mode,           // a room's mode changed: from = who changed it, text = what it did, in words
    Separator,      // a line of its own: "--- text ---" (history, search results)
    Beginning,      // "--- beginning of #room ---": nothing older exists on the server
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
    bool notice = false;    // an automatic message (a bot's, an IRC NOTICE): the author in dashes
    std::uint64_t id = 0;   // the server's message id (room and private messages), else 0
    bool history = false;   // from the room's history, not live: drawn dimmed
    bool dated = false;     // shown with its date (history and search results from another day)
};

class MessageLog {
public:
    // Bounds: at most this many entries and about this many bytes; the oldest go first.
    static constexpr std::size_t kMaxEntries = 10000;
    static constexpr std::size_t kMaxBytes = 8u << 20;

    explicit MessageLog(std::size_t max_entries = kMaxEntries, std::size_t max_bytes = kMaxBytes);

    void add(Entry e);
    // Inserts entries (oldest first) above the oldest one, as many of the newest of them as the
    // bounds allow: older history never pushes out what is already there. The scroll position
    // names an entry, so the view stays where it was. Returns how many went in.
    std::size_t prepend(std::vector<Entry> older);
    void clear();
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    const Entry& at(std::size_t i) const { return entries_[i]; }  // 0 is the oldest
    const Entry& front() const { return entries_.front(); }
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
    // Whether the log's first row is inside a window of `height` rows ending at the bottom
    // visible row: scrolling up cannot show anything older.
    bool at_top(int height, const RowCount& count) const;
    // The index of the entry holding the bottom visible row and the row in it (clamped to the
    // entry's rows); nothing when the log is empty.
    std::optional<std::pair<std::size_t, int>> bottom(const RowCount& count) const;

private:
    static std::size_t cost(const Entry& e);

    std::deque<Entry> entries_;
    std::size_t max_entries_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    // Sequence numbers are contiguous (positions are found by subtraction); they start high so
    // that prepend() can count down from the oldest.
    static constexpr std::uint64_t kFirstSeq = std::uint64_t{1} << 40;
    std::uint64_t next_seq_ = kFirstSeq;
    std::optional<Position> pos_;  // nothing: following the newest
};

}  // namespace natter::tui
