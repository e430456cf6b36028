// The pure heart of the client: what a message from the server, a key, or a change of the
// connection does to the screen state, and what to send or do in return. No I/O here; time comes
// in as an argument.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "shared/protocol.h"
#include "tui/keys.h"
#include "tui/screen_state.h"

namespace natter::tui {

struct Effects {
    std::vector<Message> send;  // to the server, in order
    bool bell = false;          // a mention or a private message arrived
    bool quit = false;          // leave once `send` is written
    bool redraw_all = false;    // Ctrl-L: repaint the whole terminal
};

Effects apply_message(ScreenState& s, const Message& m, std::uint64_t now_ms);
Effects apply_key(ScreenState& s, const Key& k, std::uint64_t now_ms);

// Once a room is joined and shown, asks the server for its modes (a mode question), so the status
// bar can show them; the answer is not printed. apply_message and apply_key end with it. Only the
// room shown is asked: a reconnect into many rooms asking for all at once would run into the
// server's flood limit, so the others are asked when they are first shown.
void ask_modes_of_room_shown(ScreenState& s, Effects& fx);

// Hands what `fx` would send to the outbox, and puts in `fx.send` what the pacer lets go at
// `mono_ms` (a monotonic clock; `now_ms` dates a note if a line had to be dropped). The shell calls
// it on every Effects before sending, and when release_wait_ms(s.outbox, ...) says the next
// queued message is due.
void pace(ScreenState& s, Effects& fx, std::uint64_t mono_ms, std::uint64_t now_ms);

// The connection is up: log in with the current nickname.
Effects apply_connected(ScreenState& s, std::uint64_t now_ms);
// The connection is gone (or could not be made); `why` is shown. A reconnect follows.
void apply_disconnected(ScreenState& s, std::string_view why, std::uint64_t now_ms);
// A new connection attempt has started.
void apply_connecting(ScreenState& s);

}  // namespace natter::tui
