#include "shared/message_cost.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace natter {

namespace {

constexpr int kMaxMentionSurcharge = 5;

bool ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

}  // namespace

int count_mentions(std::string_view text) {
    int n = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '@') continue;
        if (i > 0 && ascii_alnum(static_cast<unsigned char>(text[i - 1]))) continue;  // an address
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '_' || next >= 0x80)
            ++n;
    }
    return n;
}

double message_cost(const Message& m) {
    auto with_mentions = [](double base, std::string_view text) {
        return base + std::min(count_mentions(text), kMaxMentionSurcharge);
    };
    return std::visit(
        [&](const auto& msg) -> double {
            using T = std::decay_t<decltype(msg)>;
            if constexpr (std::is_same_v<T, Say> || std::is_same_v<T, Me>) return with_mentions(1, msg.text);
            else if constexpr (std::is_same_v<T, Tell>) return with_mentions(2, msg.text);
            else if constexpr (std::is_same_v<T, Invite> || std::is_same_v<T, Kick>) return 2;  // it reaches someone
            else if constexpr (std::is_same_v<T, ModeRequest>) return msg.change.empty() ? 1 : 2;
            else if constexpr (std::is_same_v<T, ChangeNick>) return 10;
            else if constexpr (std::is_same_v<T, Who> || std::is_same_v<T, SetIgnore> ||
                               std::is_same_v<T, Join> || std::is_same_v<T, ListRooms> ||
                               std::is_same_v<T, HistoryRequest>)
                return 2;
            else if constexpr (std::is_same_v<T, TopicRequest>) return msg.text ? 3 : 1;
            else if constexpr (std::is_same_v<T, Search>) return 3;
            else if constexpr (std::is_same_v<T, Pong> || std::is_same_v<T, Quit>) return 0;
            else return 1;  // hello, help, ping; and anything the core refuses anyway
        },
        m);
}

}  // namespace natter
