// A room's modes in words a person understands: what a change does ("set +m: only operators and
// voiced members may speak", "gave bob operator status") and what a room has ("#rust modes: +knt
// (key beer, members only, topic locked)"); and the room's settings as the letters the status bar
// shows ("kmnt"). Pure; the texts are raw, displayable() them.
#pragma once

#include <string>
#include <string_view>

#include "shared/protocol.h"

namespace natter::tui {

// What `change` ("+m", "-k", "+o"...) with `arg` did, said after the name of who did it. `me` is
// our nickname: a change about us says "you".
std::string mode_change_words(std::string_view change, std::string_view arg, std::string_view me);

// One line on a room's modes, its key and limit, and its bans (the first kMaxBansShown).
constexpr std::size_t kMaxBansShown = 20;
std::string room_modes_words(const RoomModesInfo& r);

// The letters of a room's settings: i k l m n s t. Not o, v and b, which are about people, and
// nothing else a server may send, so what the status bar shows is always short and plain.
constexpr std::string_view kSettingLetters = "iklmnst";
// The settings among the modes of a "modes" answer ("+knt"), sorted: "knt".
std::string setting_letters(std::string_view modes);
// `letters` after a change ("+m" adds m, "-k" removes k); a change of anything else is ignored.
void change_setting(std::string& letters, std::string_view change);

}  // namespace natter::tui
