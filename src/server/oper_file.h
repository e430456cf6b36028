// The server operators' credentials (--irc-oper-file): who may OPER, with which password. A file,
// not an option, so that no password shows in `ps` on a shared machine.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/irc_render.h"

namespace natter::server {

using Opers = std::vector<irc::Config::Oper>;

// One "name password" per line; blank lines and lines starting with '#' are skipped. Names and
// passwords are 1 to 128 bytes of UTF-8 without spaces or control characters. Answers the
// credentials, or what is wrong (naming the line).
std::variant<Opers, std::string> parse_oper_file(std::string_view text);

// Reads and parses `path`; refuses a file that others than its owner may read or write, as ssh
// refuses such a key.
std::variant<Opers, std::string> load_oper_file(const std::string& path);

}  // namespace natter::server
