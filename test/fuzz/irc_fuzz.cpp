// Fuzz target: arbitrary bytes from two IRC clients (interleaved, in chunks of any size) through
// the IRC framer, sessions and the real chat core, beside a natter client, as natterd's server
// runs them (test/support/irc_hub.h). Properties: nothing crashes; the framer holds no more than
// a line plus a chunk; every byte sent to an IRC client forms lines that end in CRLF, hold no
// other CR, LF or NUL and fit 512 bytes (tags apart); every nickname the core accepted from IRC
// follows the nickname rule.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../support/irc_hub.h"
#include "server/irc_line.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::server;

namespace {

void check_lines(const std::string& bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto end = bytes.find("\r\n", i);
        if (end == std::string::npos) std::abort();
        const std::string_view line(bytes.data() + i, end - i);
        if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos ||
            line.find('\0') != std::string_view::npos)
            std::abort();
        std::size_t tags = 0;
        if (!line.empty() && line[0] == '@') tags = line.find(' ') + 1;
        if (line.size() - tags + 2 > irc::kMaxLineBytes) std::abort();
        i = end + 2;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // A fresh hub per input keeps runs independent; it is cheap.
    testing::IrcHub fresh;
    testing::IrcHub* hub = &fresh;
    // An operator the input may become (OPER root pw), so KILL and the rest are reachable.
    hub->config().opers = {{"root", "pw"}};
    hub->connect_irc(1);
    hub->connect_irc(2);
    hub->connect_natter(3);
    hub->natter_sends(3, Hello{"natty", kProtocolVersion});
    hub->line(2, "NICK second");
    hub->line(2, "USER s 0 * :Second");
    hub->line(2, "JOIN #lobby,#fuzz");

    const std::size_t chunk = 1 + data[0] % 64;
    std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    irc::Framer* framers[2] = {&hub->session(1).framer(), &hub->session(2).framer()};
    int who = 0;
    while (!bytes.empty()) {
        const auto piece = bytes.substr(0, chunk);
        bytes.remove_prefix(piece.size());
        // The low bit of the piece's first byte says which client sends it.
        who = static_cast<unsigned char>(piece[0]) & 1;
        const ClientId id = static_cast<ClientId>(who + 1);
        if (hub->closed(id)) continue;
        irc::Framer& f = *framers[who];
        f.feed(piece);
        if (f.buffered() > irc::kMaxLineBytes + irc::kMaxClientTagBytes + chunk) std::abort();
        std::string_view line;
        for (auto st = f.next(line); st != irc::Framer::Status::NeedMore && !hub->closed(id); st = f.next(line)) {
            if (st == irc::Framer::Status::TooLong) hub->too_long(id);
            else hub->line(id, std::string(line));
        }
        check_lines(hub->take(1));
        check_lines(hub->take(2));
        hub->take_natter(3);
        for (ClientId c : {ClientId{1}, ClientId{2}})
            if (const std::string* n = hub->core().nick(c); n != nullptr && text::nick_problem(*n)) std::abort();
    }
    return 0;
}
