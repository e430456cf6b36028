#include "tui/room_modes.h"

namespace natter::tui {

namespace {

// What a mode without an argument means once set, and once cleared.
struct FlagWords {
    char letter;
    const char* on;
    const char* off;
};
constexpr FlagWords kFlags[] = {
    {'i', "only invited people may join", "anyone may join without an invitation"},
    {'m', "only operators and voiced members may speak", "every member may speak"},
    {'n', "only members may speak in the room", "people outside the room may speak in it too"},
    {'s', "the room is secret, listed only to its members", "the room is listed to everyone"},
    {'t', "only operators may change the topic", "every member may change the topic"},
};

// A mode's letter in the summary of a room's modes.
const char* summary_word(char letter) {
    switch (letter) {
        case 'i': return "invite-only";
        case 'm': return "moderated";
        case 'n': return "members only";
        case 's': return "secret";
        case 't': return "topic locked";
        default: return nullptr;  // k and l are said with their values; an unknown one is not
    }
}

}  // namespace

std::string mode_change_words(std::string_view change, std::string_view arg, std::string_view me) {
    const std::string c(change);
    const std::string a(arg);
    if (change.size() != 2 || (change[0] != '+' && change[0] != '-'))
        return "set " + c + (a.empty() ? "" : " " + a);
    const bool on = change[0] == '+';
    const char letter = change[1];
    const std::string whom = !a.empty() && arg == me ? "you" : a;
    for (const auto& f : kFlags)
        if (f.letter == letter) return "set " + c + ": " + (on ? f.on : f.off);
    switch (letter) {
        case 'k': return on ? "set the key to " + a + ": joining needs it" : "removed the key";
        case 'l': return on ? "set a limit of " + a + " members" : "removed the member limit";
        case 'o': return on ? "gave " + whom + " operator status" : "took operator status from " + whom;
        case 'v':
            return on ? "gave " + whom + " voice (may speak while the room is moderated)"
                      : "took voice from " + whom;
        case 'b': return on ? "banned " + a : "lifted the ban on " + a;
        default: return "set " + c + (a.empty() ? "" : " " + a);
    }
}

std::string room_modes_words(const RoomModesInfo& r) {
    std::string out = r.room;
    const std::string letters = !r.modes.empty() && r.modes[0] == '+' ? r.modes.substr(1) : r.modes;
    if (letters.empty()) {
        out += " has no modes set";
    } else {
        out += " modes: +" + letters;
        std::string words;
        auto add = [&words](const std::string& w) { words += (words.empty() ? "" : ", ") + w; };
        for (char c : letters) {
            if (c == 'k') add(r.key.empty() ? "a key" : "key " + r.key);
            else if (c == 'l') add(r.limit ? "limit " + std::to_string(r.limit) + " members" : "a member limit");
            else if (const char* w = summary_word(c)) add(w);
        }
        if (!words.empty()) out += " (" + words + ")";
    }
    if (r.bans.empty()) return out;
    out += "; bans: ";
    for (std::size_t i = 0; i < r.bans.size() && i < kMaxBansShown; ++i) out += (i ? ", " : "") + r.bans[i];
    if (r.bans.size() > kMaxBansShown) out += " and " + std::to_string(r.bans.size() - kMaxBansShown) + " more";
    return out;
}

std::string setting_letters(std::string_view modes) {
    std::string out;
    for (char c : kSettingLetters)
        if (modes.find(c) != std::string_view::npos) out += c;
    return out;
}

void change_setting(std::string& letters, std::string_view change) {
    if (change.size() != 2 || (change[0] != '+' && change[0] != '-')) return;
    const char letter = change[1];
    if (kSettingLetters.find(letter) == std::string_view::npos) return;
    std::string now;
    for (char c : kSettingLetters)
        if (c == letter ? change[0] == '+' : letters.find(c) != std::string::npos) now += c;
    letters = std::move(now);
}

}  // namespace natter::tui
