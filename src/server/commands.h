// The table of messages a client may send: one row per type, saying whether it is allowed before
// login and how to use it. The help answer is built from it, so help and behaviour cannot drift.
#pragma once

#include <cstddef>
#include <type_traits>
#include <variant>
#include <vector>

#include "shared/protocol.h"

namespace natter::server {

struct CommandRow {
    std::size_t index;     // the alternative of natter::Message this row describes
    const char* name;      // its wire "type"
    const char* usage;     // a complete JSON example
    const char* summary;   // one line for people
    bool before_login;     // may be sent before a successful hello
};

// Every client-to-server message (including ping and pong), in the order help lists them.
const std::vector<CommandRow>& command_table();

// The row for a message, or nullptr for a type clients may not send.
const CommandRow* command_row(const Message& m);

// The help answer, built once from the table.
const HelpAnswer& help_answer();

// The index of alternative T in natter::Message.
template <class T, class V = Message>
struct message_index;
template <class T, class... Ts>
struct message_index<T, std::variant<Ts...>> {
    static constexpr std::size_t value = [] {
        std::size_t i = 0;
        const bool found = ((std::is_same_v<T, Ts> ? true : (++i, false)) || ...);
        return found ? i : sizeof...(Ts);
    }();
};
template <class T>
constexpr std::size_t message_index_v = message_index<T>::value;

}  // namespace natter::server
