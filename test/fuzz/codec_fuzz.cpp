// Fuzz target: arbitrary bytes through the line framer and the decoder, in both directions.
// Properties: nothing crashes; the framer never holds more than a frame plus one chunk; every
// message that decodes re-encodes to one line that decodes to the same encoding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "shared/codec.h"

using namespace natter;

namespace {

void check_roundtrip(const Message& m, Direction d) {
    const std::string once = encode(m);
    if (once.empty() || once.back() != '\n' || once.find('\n') != once.size() - 1) std::abort();
    Decoded again = decode_line(std::string_view(once).substr(0, once.size() - 1), d);
    // A decoded message may re-encode over the frame limit only if escaping grew it.
    if (std::holds_alternative<DecodeError>(again)) {
        if (once.size() <= kMaxFrameBytes) std::abort();
        return;
    }
    if (encode(std::get<Message>(again)) != once) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the chunk size the bytes arrive in, as a socket would split them.
    const std::size_t chunk = 1 + data[0] % 64;
    std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    LineFramer framer(kMaxFrameBytes);
    while (!bytes.empty()) {
        const auto piece = bytes.substr(0, chunk);
        bytes.remove_prefix(piece.size());
        framer.feed(piece);
        if (framer.buffered() > kMaxFrameBytes + chunk) std::abort();
        std::string_view line;
        for (auto st = framer.next(line); st != LineFramer::Status::NeedMore; st = framer.next(line)) {
            if (st != LineFramer::Status::Line) continue;
            for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
                Decoded got = decode_line(line, d);
                if (auto* m = std::get_if<Message>(&got)) check_roundtrip(*m, d);
            }
        }
    }
    return 0;
}
