// natterd: parse the command line, listen, serve. Everything else lives in the server library.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

#include "server/data_dir.h"
#include "server/history_db.h"
#include "server/log.h"
#include "server/net.h"
#include "server/oper_file.h"
#include "server/options.h"
#include "server/server.h"
#include "server/signals.h"
#include "server/version.h"

using namespace natter::server;

namespace {

Duration seconds(double s) {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace

int main(int argc, char** argv) {
    const ParsedOptions parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (const auto* exit = std::get_if<Exit>(&parsed)) {
        std::fputs(exit->text.c_str(), exit->status == 0 ? stdout : stderr);
        return exit->status;
    }
    const Options& o = std::get<Options>(parsed);
    try {
        SignalPipe signals;  // before anything can write to a socket: SIGPIPE is ignored from here
        // A file-size limit (ulimit -f) must fail a write, which the history reports, rather
        // than kill the server.
        ::signal(SIGXFSZ, SIG_IGN);
        const std::uint64_t fd_limit = raise_fd_limit();

        // History first: natterd refuses to start (before listening) rather than start without
        // the history it should have, or over one it cannot read.
        std::unique_ptr<HistoryDb> history;
        if (o.history) {
            HistoryConfig hc;
            hc.dir = !o.data_dir.empty() ? o.data_dir
                                         : default_data_dir(std::getenv("XDG_STATE_HOME"), std::getenv("HOME"));
            hc.sync_full = o.history_sync_full;
            hc.keep_days = o.history_days;
            hc.max_per_room = o.history_max;
            std::string why;
            history = HistoryDb::open(hc, why);
            if (!history) {
                std::fprintf(stderr, "natterd: history: %s\n", why.c_str());
                return 1;
            }
            log_event(0, "history in " + hc.dir + "/natter.db (synchronous " + (hc.sync_full ? "full" : "normal") + ")");
        }

        const auto listened = listen_on(o.bind, o.port);
        if (const auto* why = std::get_if<std::string>(&listened)) {
            std::fprintf(stderr, "natterd: %s\n", why->c_str());
            return 1;
        }
        const int listen_fd = std::get<int>(listened);
        int irc_fd = -1;
        if (o.irc) {
            const auto irc_listened = listen_on(o.irc_bind, o.irc_port);
            if (const auto* why = std::get_if<std::string>(&irc_listened)) {
                std::fprintf(stderr, "natterd: IRC listener: %s\n", why->c_str());
                return 1;
            }
            irc_fd = std::get<int>(irc_listened);
        }

        ServerConfig config;
        config.max_clients = o.max_clients != 0 ? o.max_clients : default_max_clients(fd_limit);
        config.max_output_bytes = o.max_output_kib * 1024;
        config.timeouts.login = seconds(o.login_timeout_s);
        config.timeouts.ping_interval = seconds(o.ping_interval_s);
        config.timeouts.ping_timeout = seconds(o.ping_timeout_s);
        config.core.server_name = std::string("natterd ") + kVersion;
        config.core.motd = o.motd;
        config.flood = o.flood;
        config.core.presence_limit = o.presence_limit;
        if (history) {
            config.core.store = history.get();
            config.core.first_message_id = history->next_message_id();
            config.core.restore = history->load_rooms();
        }
        config.core.started = static_cast<natter::server::Millis>(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
        config.core.history_on_join = o.history_on_join;
        // A page must fit a client's output queue next to what else is queued.
        config.core.history_page_bytes = std::min(natter::kHistoryPageBytes, config.max_output_bytes / 4);
        config.irc.server_name = o.server_name;
        config.irc.version = std::string("natterd-") + kVersion;
        config.irc.password = o.irc_password;
        config.irc.motd = o.motd;
        if (!o.irc_oper_file.empty()) {
            auto opers = load_oper_file(o.irc_oper_file);
            if (const auto* why = std::get_if<std::string>(&opers)) {
                std::fprintf(stderr, "natterd: --irc-oper-file: %s\n", why->c_str());
                return 1;
            }
            config.irc.opers = std::get<Opers>(std::move(opers));
        }
        {
            const std::time_t started = std::time(nullptr);
            std::tm tm{};
            gmtime_r(&started, &tm);
            char when[64];
            std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
            config.irc.created = when;
        }

        const std::string where = local_address(listen_fd);
        const std::string irc_where = irc_fd >= 0 ? local_address(irc_fd) : std::string();
        Server server(std::move(config), listen_fd, signals, irc_fd);
        // The lines on stdout, the contract with scripts and tests that start natterd; the IRC
        // one first, so that whoever has read the other has both.
        if (irc_fd >= 0) std::printf("natterd IRC listening on %s\n", irc_where.c_str());
        std::printf("natterd listening on %s\n", where.c_str());
        std::fflush(stdout);
        log_event(0, "natterd " + std::string(kVersion) + " listening on " + where + ", max " +
                         std::to_string(config.max_clients) + " clients, descriptor limit " +
                         std::to_string(fd_limit));
        if (irc_fd >= 0) log_event(0, "IRC listener on " + irc_where + " as " + o.server_name);
        return server.run();  // the log's last lines are flushed at exit (log.h)
    } catch (const std::exception& e) {
        std::fprintf(stderr, "natterd: %s\n", e.what());
        return 1;
    }
}
