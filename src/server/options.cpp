#include "server/options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "server/version.h"
#include "shared/text.h"

namespace natter::server {

namespace {

// Longest accepted timeout: a day. Longer values are surely typos, and keeping them small keeps
// the arithmetic on steady_clock far from overflow.
constexpr double kMaxSeconds = 86400;
constexpr std::size_t kMaxOutputKib = 1024 * 1024;  // 1 GiB per client is already absurd
// Flood limits past these are no limit at all: --no-flood-limit says so more honestly.
constexpr double kMaxFloodRate = 1000000;
constexpr double kMaxFloodBurst = 1000000;
constexpr std::size_t kMaxPresenceLimit = 10000000;

Exit usage_error(const std::string& why) {
    return Exit{2, "natterd: " + why + "\nTry 'natterd --help' for more information.\n"};
}

std::optional<std::uint64_t> parse_unsigned(const std::string& s, std::uint64_t max) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        if (v > (max - static_cast<std::uint64_t>(c - '0')) / 10) return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

// A decimal number with an optional fraction, as for seconds, within [min, max].
std::optional<double> parse_decimal(const std::string& s, double min, double max) {
    if (s.empty() || s.find_first_not_of("0123456789.") != std::string::npos ||
        s.find('.') != s.rfind('.') || s == ".")
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v) || v < min || v > max)
        return std::nullopt;
    return v;
}

std::optional<double> parse_seconds(const std::string& s) {
    // Digits with an optional fraction only: strtod alone would take "inf", "0x1p3" or " 5".
    if (s.empty() || s.find_first_not_of("0123456789.") != std::string::npos ||
        s.find('.') != s.rfind('.') || s == ".")
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    if (v <= 0 || v > kMaxSeconds) return std::nullopt;
    return v;
}

}  // namespace

std::string usage_text() {
    return std::string(
               "Usage: natterd [OPTION]...\n"
               "The natter chat server: one poll() loop, newline-delimited JSON over TCP.\n"
               "\n"
               "  --bind ADDR            listen on ADDR, IPv4 or IPv6 (default 127.0.0.1;\n"
               "                         0.0.0.0 or :: to serve a network)\n"
               "  --port N               listen on port N (default ") +
           std::to_string(kDefaultPort) +
           "; 0 picks a free port)\n"
           "  --max-clients N        refuse connections past N clients (default: from the\n"
           "                         descriptor limit, at most 100000)\n"
           "  --motd TEXT            greeting sent in every welcome\n"
           "  --login-timeout S      close connections not logged in after S seconds (30)\n"
           "  --ping-interval S      ping logged-in clients silent for S seconds (60)\n"
           "  --ping-timeout S       close clients that stay silent S seconds after a ping (30)\n"
           "  --max-output-kib N     drop a client whose unsent output passes N KiB (1024)\n"
           "  --presence-limit N     past N users online, stop telling everyone about joins,\n"
           "                         leaves, renames and ignore changes (500; 0: never)\n"
           "  --flood-rate R         let each client send R messages per second, sustained (3)\n"
           "  --flood-burst N        and up to N at once after a pause (30)\n"
           "  --no-flood-limit       no rate limit at all (benchmarks, trusted bots)\n"
           "  --irc-port N           also serve IRC clients on port N (off by default;\n"
           "                         0 picks a free port)\n"
           "  --irc-bind ADDR        the IRC listener's address (default 127.0.0.1)\n"
           "  --irc-password PW      IRC clients must send PASS PW\n"
           "  --irc-oper-file FILE   who may become a server operator (OPER name password;\n"
           "                         lines \"name password\", the file mode 600)\n"
           "  --server-name NAME     the server name in IRC replies (default natter.local)\n"
           "  --data DIR             keep room history in DIR (default $XDG_STATE_HOME/natter,\n"
           "                         else ~/.local/state/natter; created if missing)\n"
           "  --history N            send the last N messages of a room on joining it (50;\n"
           "                         at most 100)\n"
           "  --history-days N       delete room messages older than N days (default: keep)\n"
           "  --history-max N        keep at most N messages per room (default: all)\n"
           "  --history-sync MODE    full: a message is on disk before anyone sees it (the\n"
           "                         default); normal: in the OS (survives a natterd crash,\n"
           "                         not a power cut)\n"
           "  --no-history           store nothing: no history, no data directory\n"
           "  --help                 show this help and exit\n"
           "  --version              show the version and exit\n"
           "\n"
           "Seconds may have a fraction (0.5). At start natterd prints\n"
           "'natterd listening on ADDR:PORT' on stdout; its log goes to stderr.\n"
           "See natterd(1) and natter-protocol(7).\n";
}

std::size_t default_max_clients(std::uint64_t fd_limit) {
    constexpr std::uint64_t kReserved = 32;
    constexpr std::uint64_t kCap = 100000;
    if (fd_limit <= kReserved + 1) return 1;
    const std::uint64_t n = fd_limit - kReserved;
    return static_cast<std::size_t>(n < kCap ? n : kCap);
}

ParsedOptions parse_options(const std::vector<std::string>& args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i];
        std::optional<std::string> value;
        if (name.rfind("--", 0) == 0) {
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
        }
        if (name == "--help" || name == "-h") {
            if (value) return usage_error("option '" + name + "' takes no value");
            return Exit{0, usage_text()};
        }
        if (name == "--version") {
            if (value) return usage_error("option '" + name + "' takes no value");
            return Exit{0, std::string("natterd ") + kVersion + " (natter protocol " +
                               std::to_string(kProtocolVersion) + ")\n"};
        }
        if (name == "--no-flood-limit") {
            if (value) return usage_error("option '" + name + "' takes no value");
            o.flood.enabled = false;
            continue;
        }
        if (name == "--no-history") {
            if (value) return usage_error("option '" + name + "' takes no value");
            o.history = false;
            continue;
        }
        static const char* const kWithValue[] = {"--bind",          "--port",          "--max-clients",
                                                 "--motd",          "--login-timeout", "--ping-interval",
                                                 "--ping-timeout",  "--max-output-kib",
                                                 "--presence-limit", "--flood-rate",
                                                 "--flood-burst",   "--irc-port",
                                                 "--irc-bind",      "--irc-password",
                                                 "--irc-oper-file",
                                                 "--server-name",   "--data",
                                                 "--history",       "--history-days",
                                                 "--history-max",   "--history-sync"};
        bool known = false;
        for (const char* k : kWithValue) known = known || name == k;
        if (!known) {
            // Never echo a raw argument to a terminal.
            return usage_error("unknown option '" + text::sanitize_for_terminal(args[i]) + "'");
        }
        if (!value) {
            if (i + 1 >= args.size()) return usage_error("option '" + name + "' needs a value");
            value = args[++i];
        }
        const std::string& v = *value;
        const std::string shown = "'" + text::sanitize_for_terminal(v) + "'";
        if (name == "--bind") {
            if (v.empty()) return usage_error("--bind needs an address");
            o.bind = v;
        } else if (name == "--irc-bind") {
            if (v.empty()) return usage_error("--irc-bind needs an address");
            o.irc_bind = v;
        } else if (name == "--irc-port") {
            auto n = parse_unsigned(v, 65535);
            if (!n) return usage_error("--irc-port wants a number from 0 to 65535, not " + shown);
            o.irc = true;
            o.irc_port = static_cast<std::uint16_t>(*n);
        } else if (name == "--irc-password") {
            // It travels in one IRC line: no spaces or controls, and a sane length.
            if (v.empty() || v.size() > 128 || v.find_first_of(" \r\n") != std::string::npos ||
                !text::valid_utf8(v) || v.find('\0') != std::string::npos)
                return usage_error("--irc-password wants 1 to 128 bytes without spaces");
            o.irc_password = v;
        } else if (name == "--irc-oper-file") {
            if (v.empty()) return usage_error("--irc-oper-file needs a file");
            o.irc_oper_file = v;
        } else if (name == "--server-name") {
            // A host-like name: it is the prefix of every numeric, where a space or a '!' would
            // break the line for clients.
            bool ok = !v.empty() && v.size() <= 63;
            for (char c : v)
                ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '.' || c == '-' || c == '_');
            if (!ok) return usage_error("--server-name wants a host name (letters, digits, '.', '-', '_'), not " + shown);
            o.server_name = v;
        } else if (name == "--data") {
            if (v.empty()) return usage_error("--data needs a directory");
            o.data_dir = v;
        } else if (name == "--history") {
            auto n = parse_unsigned(v, kMaxHistoryPage);
            if (!n)
                return usage_error("--history wants a number from 0 to " + std::to_string(kMaxHistoryPage) +
                                   ", not " + shown);
            o.history_on_join = static_cast<std::size_t>(*n);
        } else if (name == "--history-days") {
            auto n = parse_unsigned(v, 100000);
            if (!n || *n == 0) return usage_error("--history-days wants a number from 1 to 100000, not " + shown);
            o.history_days = static_cast<unsigned>(*n);
        } else if (name == "--history-max") {
            auto n = parse_unsigned(v, 1'000'000'000'000ull);
            if (!n || *n == 0) return usage_error("--history-max wants a number from 1 to 10^12, not " + shown);
            o.history_max = *n;
        } else if (name == "--history-sync") {
            if (v != "full" && v != "normal")
                return usage_error("--history-sync wants full or normal, not " + shown);
            o.history_sync_full = v == "full";
        } else if (name == "--port") {
            auto n = parse_unsigned(v, 65535);
            if (!n) return usage_error("--port wants a number from 0 to 65535, not " + shown);
            o.port = static_cast<std::uint16_t>(*n);
        } else if (name == "--max-clients") {
            auto n = parse_unsigned(v, 10000000);
            if (!n || *n == 0)
                return usage_error("--max-clients wants a number from 1 to 10000000, not " + shown);
            o.max_clients = static_cast<std::size_t>(*n);
        } else if (name == "--motd") {
            if (auto why = text::text_problem(v)) return usage_error("--motd: " + *why);
            o.motd = v;
        } else if (name == "--max-output-kib") {
            auto n = parse_unsigned(v, kMaxOutputKib);
            // A welcome with its first users chunk must fit, so at least 16 KiB.
            if (!n || *n < 16)
                return usage_error("--max-output-kib wants a number from 16 to " +
                                   std::to_string(kMaxOutputKib) + ", not " + shown);
            o.max_output_kib = static_cast<std::size_t>(*n);
        } else if (name == "--presence-limit") {
            auto n = parse_unsigned(v, kMaxPresenceLimit);
            if (!n)
                return usage_error("--presence-limit wants a number from 0 to " +
                                   std::to_string(kMaxPresenceLimit) + ", not " + shown);
            o.presence_limit = static_cast<std::size_t>(*n);
        } else if (name == "--flood-rate") {
            auto r = parse_decimal(v, 0.01, kMaxFloodRate);
            if (!r) return usage_error("--flood-rate wants messages per second, from 0.01 to 1000000, not " + shown);
            o.flood.rate = *r;
        } else if (name == "--flood-burst") {
            auto b = parse_decimal(v, 1, kMaxFloodBurst);
            if (!b) return usage_error("--flood-burst wants a number of messages, from 1 to 1000000, not " + shown);
            o.flood.burst = *b;
        } else {
            auto s = parse_seconds(v);
            if (!s)
                return usage_error(name + " wants seconds, more than 0 and at most " +
                                   std::to_string(static_cast<int>(kMaxSeconds)) + ", not " + shown);
            if (name == "--login-timeout") o.login_timeout_s = *s;
            else if (name == "--ping-interval") o.ping_interval_s = *s;
            else o.ping_timeout_s = *s;
        }
    }
    return o;
}

}  // namespace natter::server
