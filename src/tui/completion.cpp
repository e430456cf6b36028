#include "tui/completion.h"

#include <algorithm>

#include "shared/text.h"
#include "tui/commands.h"

namespace natter::tui {

namespace {

std::u32string to_u32(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = text::decode_one(s, i);
        if (cp != text::kInvalid) out += cp;
    }
    return out;
}

std::string to_utf8(const std::u32string& s) {
    std::string out;
    for (char32_t cp : s) text::append_utf8(out, cp);
    return out;
}

bool starts_with_folded(const std::string& candidate, const std::string& prefix) {
    const std::string c = text::fold_case(candidate), p = text::fold_case(prefix);
    return c.compare(0, p.size(), p) == 0;
}

// The command whose first argument is being typed ("/w " before the word), or "".
std::string command_before(const std::u32string& buf, std::size_t start) {
    if (start < 3 || buf[0] != '/' || buf[start - 1] != ' ') return {};
    const std::u32string name = buf.substr(1, start - 2);
    if (name.find_first_of(U" \n") != std::u32string::npos) return {};
    const CommandSpec* c = find_command(to_utf8(name));
    return c ? c->name : "";
}

}  // namespace

bool Completer::complete_from(InputLine& line, const CompletionSources& from) {
    const std::vector<std::string>& nicks = from.nicks;
    const std::u32string& buf = line.text();
    const std::size_t cur = line.cursor();
    // A repeated Tab: the last candidate must still be there, with the cursor right after it.
    if (active_ && start_ + inserted_.size() == cur && cur <= buf.size() &&
        buf.compare(start_, inserted_.size(), inserted_) == 0 && !candidates_.empty()) {
        index_ = (index_ + 1) % candidates_.size();
    } else {
        active_ = false;
        std::size_t start = cur;
        while (start > 0 && buf[start - 1] != ' ' && buf[start - 1] != '\n') --start;
        const std::string word = to_utf8(buf.substr(start, cur - start));
        std::vector<std::u32string> found;
        if (start == 0 && !word.empty() && word[0] == '/') {
            std::vector<std::string> names;
            for (const auto& c : command_table()) {
                names.push_back(c.name);
                for (const char* a : c.aliases) names.push_back(a);
            }
            std::sort(names.begin(), names.end());
            for (const auto& n : names)
                if (n.compare(0, word.size() - 1, word, 1) == 0) found.push_back(to_u32("/" + n + " "));
        } else if (const std::string cmd = command_before(buf, start);
                   (!word.empty() && word[0] == '#') || cmd == "join" || cmd == "part" || cmd == "switch") {
            // Rooms ("#ru", or "ru" after /join and /part), or for /switch the bar's names.
            const bool bare = word.empty() || word[0] != '#';
            const bool at = !word.empty() && word[0] == '@';  // "/w @bo": a conversation
            const std::vector<std::string>& names = cmd == "switch" ? from.tabs : from.rooms;
            for (const auto& n : names) {
                const bool room = !n.empty() && n[0] == '#';
                if ((!bare && !room) || (at && room)) continue;
                const std::string against = bare && room ? n.substr(1) : n;
                if (starts_with_folded(against, at ? word.substr(1) : word))
                    found.push_back(to_u32((at ? "@" : "") + n + " "));
            }
        } else {
            const bool at = !word.empty() && word[0] == '@';
            const std::string prefix = at ? word.substr(1) : word;
            for (const auto& n : nicks) {
                if (!starts_with_folded(n, prefix)) continue;
                const std::string c = (at ? "@" : "") + n + (start == 0 && !at ? ": " : " ");
                found.push_back(to_u32(c));
            }
        }
        if (found.empty()) return false;
        candidates_ = std::move(found);
        index_ = 0;
        start_ = start;
        inserted_ = buf.substr(start, cur - start);
        active_ = true;
    }
    // Replace what is between start_ and the cursor with the chosen candidate.
    std::u32string next = buf.substr(0, start_) + candidates_[index_];
    const std::size_t cursor = next.size();
    next += buf.substr(cur);
    line.set(next);
    line.move_to(cursor);
    inserted_ = candidates_[index_];
    return true;
}

}  // namespace natter::tui
