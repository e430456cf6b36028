// natter: the terminal chat client. Parses the command line and runs the app.
#include <getopt.h>
#include <langinfo.h>

#include <clocale>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "shared/protocol.h"
#include "tui/app.h"
#include "tui/terminal_session.h"

namespace {

constexpr const char* kVersion = "0.1.0";

void usage(std::FILE* to) {
    std::fprintf(to,
                 "usage: natter [--host HOST] [--port PORT] [--nick NAME]\n"
                 "       natter --help | --version\n"
                 "\n"
                 "Full-screen terminal chat with natterd.\n"
                 "  -H, --host HOST   server to connect to (default localhost)\n"
                 "  -p, --port PORT   its port (default %u)\n"
                 "  -n, --nick NAME   nickname (default: your login name, $USER)\n"
                 "  -h, --help        this help\n"
                 "  -V, --version     the version\n"
                 "Inside natter, /help lists the commands; man natter says everything.\n",
                 static_cast<unsigned>(natter::kDefaultPort));
}

bool parse_port(const char* s, std::uint16_t& port) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 65535) return false;
    port = static_cast<std::uint16_t>(v);
    return true;
}

// natter speaks UTF-8 whatever the environment says: widths (wcwidth) and ncursesw's output
// depend on LC_CTYPE, so without a UTF-8 locale fall back to C.UTF-8 (always present on glibc).
void set_utf8_locale() {
    std::setlocale(LC_ALL, "");
    const char* cs = nl_langinfo(CODESET);
    if (cs && std::strcmp(cs, "UTF-8") == 0) return;
    if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "en_US.UTF-8");
}

}  // namespace

int main(int argc, char** argv) {
    set_utf8_locale();
    natter::tui::Options o;
    o.port = natter::kDefaultPort;
    const char* user = std::getenv("USER");
    o.nick = user && *user ? user : "guest";

    static const option longs[] = {
        {"host", required_argument, nullptr, 'H'}, {"port", required_argument, nullptr, 'p'},
        {"nick", required_argument, nullptr, 'n'}, {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, 'V'},    {nullptr, 0, nullptr, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "H:p:n:hV", longs, nullptr)) != -1) {
        switch (c) {
            case 'H':
                o.host = optarg;
                if (o.host.empty()) {
                    std::fprintf(stderr, "natter: --host needs a name or address\n");
                    return 2;
                }
                break;
            case 'p':
                if (!parse_port(optarg, o.port)) {
                    std::fprintf(stderr, "natter: --port needs a number from 1 to 65535, not \"%s\"\n", optarg);
                    return 2;
                }
                break;
            case 'n':
                o.nick = optarg;
                break;
            case 'h':
                usage(stdout);
                return 0;
            case 'V':
                std::printf("natter %s (protocol %d)\n", kVersion, natter::kProtocolVersion);
                return 0;
            default:
                usage(stderr);
                return 2;
        }
    }
    if (optind < argc) {
        std::fprintf(stderr, "natter: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    // A nickname the server would refuse is still tried: natter then asks for another on screen.
    try {
        return natter::tui::run_app(o);
    } catch (const std::exception& e) {
        natter::tui::emergency_terminal_restore();
        std::fprintf(stderr, "natter: %s\n", e.what());
        return 1;
    }
}
