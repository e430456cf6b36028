// Tab completion of nicknames and slash commands in the input line, with cycling.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tui/input_line.h"

namespace natter::tui {

// What Tab may complete to, each in order of preference.
struct CompletionSources {
    std::vector<std::string> nicks;  // most recent speaker first
    std::vector<std::string> rooms;  // "#rust"
    std::vector<std::string> tabs;   // the room bar's names for /switch: "#rust", "bob"
};

class Completer {
public:
    // Tab. Completes the word before the cursor: "/he" to a command from the command table (at
    // the start of the line), "#ru" to a room, the argument of /switch (/w) to a room or
    // conversation and that of /join and /part to a room ("ru" to "#rust"), "@al" to "@alice ",
    // "al" to "alice: " at the start of the line and "alice " elsewhere. A Tab right after a
    // completion replaces it with the next candidate, cycling. Returns false when nothing matches
    // (the line is unchanged).
    bool complete_from(InputLine& line, const CompletionSources& from);
    bool complete(InputLine& line, const std::vector<std::string>& nicks) {
        return complete_from(line, CompletionSources{nicks, {}, {}});
    }

    // Any key other than Tab ends the cycle.
    void reset() { active_ = false; }
    bool active() const { return active_; }

private:
    bool active_ = false;
    std::size_t start_ = 0;       // where the completed word starts
    std::u32string inserted_;     // the candidate now in the line
    std::vector<std::u32string> candidates_;
    std::size_t index_ = 0;
};

}  // namespace natter::tui
