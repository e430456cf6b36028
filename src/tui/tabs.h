// The entries of the room bar: every joined room and every private conversation, each with its own
// scrollback, scroll position, members, topic, unread count and mention marker. Pure data and
// functions on it; apply.h decides when they change, room_bar.h draws the bar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol.h"
#include "tui/message_log.h"

namespace natter::tui {

enum class TabKind { Room, Private };

struct Tab {
    // Each entry's scrollback. Many rooms at once multiply it, so it is smaller than a single
    // log would be: 50 rooms and 20 conversations stay under 150 MiB even when all are full.
    static constexpr std::size_t kMaxEntries = 5000;
    static constexpr std::size_t kMaxBytes = 2u << 20;
    static constexpr std::size_t kMaxPendingEntries = 2 * kMaxHistoryPage;  // history, search

    TabKind kind = TabKind::Room;
    // The room as the server spells it ("#Rust"), or the other person's nickname. Raw: it goes
    // back to the server as it came; displayable() it before drawing.
    std::string name;
    std::string key;  // tab_key(kind, name): compared for every message, so computed once
    MessageLog log{kMaxEntries, kMaxBytes};

    // A room's members, sorted case-insensitively, and the chunks of a list still arriving.
    std::vector<UserInfo> members;
    std::vector<UserInfo> incoming;
    // Past the server's presence limit: how many are in the room when the list is partial.
    std::uint64_t total = 0;
    std::string topic;     // displayable, one line
    bool joined = false;   // a room we are in now, as far as we know
    std::string room_key;  // the key it was joined with (IRC's +k), for joining it again
    // The room's settings as mode letters, sorted ("kmnt"; never the key itself), for the status
    // bar: from the answer to a mode question, kept up to date by each mode change.
    std::string modes;
    // Joined, and its modes not asked for yet: they are asked once the room is shown (apply.h).
    bool modes_wanted = false;

    std::size_t unread = 0;  // messages that arrived while another entry was shown
    bool mention = false;    // one of them mentions you, or is a private message to you
    std::uint64_t last_active = 0;  // for closing the longest-quiet conversation when too many

    // History: a page arriving (closed by history_end), whether a request is out, whether the
    // "--- history ---" separator is in the log, and whether the scrollback is too full for more.
    std::vector<Entry> page;
    bool history_asked = false;
    bool separated = false;
    bool full = false;
    // Search results arriving (closed by search_end), and the words searched for.
    std::vector<Entry> found;
    std::string search_words;
};

// How many entries of each kind the bar holds at most: every room a client may be in (so a
// hostile server cannot open more), and the most recent private conversations.
constexpr std::size_t kMaxRoomTabs = kMaxRoomsPerClient + 1;
constexpr std::size_t kMaxPrivateTabs = 20;

Tab make_tab(TabKind kind, std::string_view name);
// A conversation follows its person to a new nickname.
void rename_tab(Tab& t, std::string_view name);

// The identity of a name: rooms by the room rule (case and look-alikes), nicknames by case.
std::string tab_key(TabKind kind, std::string_view name);
bool same_name(const Tab& t, TabKind kind, std::string_view name);

// The index of the entry for a room or person, or npos.
constexpr std::size_t kNoTab = static_cast<std::size_t>(-1);
std::size_t find_tab(const std::vector<Tab>& tabs, TabKind kind, std::string_view name);

// Resolves what /switch was given: an exact room or nickname (case-insensitively, "@nick" too),
// a number from the bar, or the start of exactly one name. npos when nothing (or several) match.
std::size_t resolve_tab(const std::vector<Tab>& tabs, std::string_view what);

// What the bar calls an entry: "#rust", or "@bob" for a conversation. Displayable.
std::string tab_title(const Tab& t);

// Member lists, kept sorted the way the server sorts (case-insensitively) and bounded.
constexpr std::size_t kMaxMembers = 100000;  // a hostile server cannot exhaust memory
void set_members(std::vector<UserInfo>& list, std::vector<UserInfo> users);
bool has_member(const std::vector<UserInfo>& list, std::string_view nick);
bool add_member(std::vector<UserInfo>& list, std::string_view nick);     // false: already there
bool remove_member(std::vector<UserInfo>& list, std::string_view nick);  // false: not there
bool rename_member(std::vector<UserInfo>& list, std::string_view from, std::string_view to);
bool set_member_ignoring(std::vector<UserInfo>& list, std::string_view nick, bool on);

// How many are in a room: the server's total while the list is partial, else the list's size.
std::uint64_t member_count(const Tab& t);

}  // namespace natter::tui
