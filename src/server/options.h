// natterd's command line: a pure parser from argv to Options, so every accepted and refused
// option is a unit test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "server/flood.h"
#include "shared/protocol.h"

namespace natter::server {

struct Options {
    std::string bind = "127.0.0.1";
    std::uint16_t port = kDefaultPort;
    // 0 means "choose from the descriptor limit" (see default_max_clients).
    std::size_t max_clients = 0;
    std::string motd = "Welcome to natter. Send {\"type\":\"help\"} or type /help for the commands.";
    double login_timeout_s = 30;   // not logged in after this: closed
    double ping_interval_s = 60;   // logged in and silent for this: pinged
    double ping_timeout_s = 30;    // no input this long after a ping: closed
    std::size_t max_output_kib = 1024;  // a client whose queued output passes this is dropped
    std::size_t presence_limit = 500;   // past this many online, presence goes quiet (CoreConfig)
    FloodConfig flood;                  // per-client rate limit (--flood-rate, --flood-burst)
    // The IRC listener (--irc-port; off without it), its address, its PASS and the server name
    // IRC numerics carry.
    bool irc = false;
    std::uint16_t irc_port = 0;
    std::string irc_bind = "127.0.0.1";
    std::string irc_password;
    std::string irc_oper_file;  // --irc-oper-file: who may OPER (oper_file.h); "": nobody
    std::string server_name = "natter.local";
    // Room history (natterd(1) FILES): where, how much on join, how long, how durable.
    bool history = true;                  // --no-history: nothing stored, no history
    std::string data_dir;                 // --data; "" means the default (data_dir.h)
    std::size_t history_on_join = 50;     // --history N: messages sent on joining a room
    unsigned history_days = 0;            // --history-days N: delete older messages (0: keep)
    std::uint64_t history_max = 0;        // --history-max N: per room (0: no limit)
    bool history_sync_full = true;        // --history-sync full|normal
};

// What the command line asks for: run with options, or print something and exit.
struct Exit {
    int status;        // 0 for --help/--version, 2 for a usage error
    std::string text;  // for stdout (status 0) or stderr (status 2), newline-terminated
};
using ParsedOptions = std::variant<Options, Exit>;

// args excludes the program name. Accepts "--opt value" and "--opt=value".
ParsedOptions parse_options(const std::vector<std::string>& args);

// The --help text.
std::string usage_text();

// The default --max-clients for a descriptor limit: leaves room for the listener, the signal
// pipe, the spare descriptor, stdio and a margin, and caps at 100000.
std::size_t default_max_clients(std::uint64_t fd_limit);

}  // namespace natter::server
