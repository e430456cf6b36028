// What natterd's flood limit charges for each message a client sends, in one place: natterd
// admits messages by it (server/flood.h) and natter paces what it sends by it (tui/send_pacer.h),
// so the client never runs into the limit.
#pragma once

#include <string_view>

#include "shared/protocol.h"

namespace natter {

// natterd's default limit: a bucket of kDefaultFloodBurst tokens refilled at kDefaultFloodRate
// a second (natterd --flood-burst, --flood-rate).
constexpr double kDefaultFloodRate = 3;
constexpr double kDefaultFloodBurst = 30;

// What one message costs, in tokens. Say and me: one message, plus one per '@' mention (at most five more).
// Tell: two, plus mentions. Nick: ten. Who, ignore, join, rooms and history: two (a broadcast, a
// room created, or a big answer). Setting a topic: three (everyone in the room is told); search:
// three (a full-text query). Hello, help, part, asking for a topic and ping: one. Pong and quit
// are free: a client must always be able to answer a ping and to leave.
double message_cost(const Message& m);

// The '@' mentions in a text: an '@' right before a nickname's first character (a letter, '_',
// or any non-ASCII character), not after a letter or digit (so "me@example.org" is none).
int count_mentions(std::string_view text);

}  // namespace natter
