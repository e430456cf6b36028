// One client connection: its descriptor, its input framer, its output queue, its phase and its
// time stamps. It moves bytes and nothing else; what the bytes mean is the chat core's business,
// when to read or write is the server's.
//
// The output queue holds shared, immutable encoded messages: a broadcast is encoded once and the
// same bytes are queued for every recipient. The queue is a vector with a moving head rather than
// a std::deque, because an empty libstdc++ deque already costs over half a kilobyte and most
// clients are idle with nothing queued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/flood.h"
#include "server/timeouts.h"
#include "shared/codec.h"

namespace natter::server {

namespace irc {
class Session;
}

using Chunk = std::shared_ptr<const std::string>;

class Connection {
public:
    // Takes ownership of fd (non-blocking) and closes it on destruction.
    Connection(int fd, std::uint64_t id, TimePoint now, std::size_t max_output_bytes);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd() const { return fd_; }
    std::uint64_t id() const { return id_; }

    // ---- output ----
    enum class Queued { Ok, OverCap };
    // Queues a chunk unless that would take the queue past its cap; near the cap it first tries
    // to hand what is queued to the kernel. OverCap means the client is not keeping up: drop it.
    Queued enqueue(Chunk chunk);
    enum class Flushed { Empty, Pending, Failed };
    // Writes as much as the socket takes (gathered writes, several chunks per call). Pending: the
    // rest waits for POLLOUT. Failed: the peer is gone (errno in last_errno()).
    Flushed flush();
    bool has_output() const { return head_ < chunks_.size(); }
    std::size_t queued_bytes() const { return queued_bytes_; }
    std::size_t max_output_bytes() const { return max_output_; }
    // Forgets everything queued (a client dropped for not reading gets nothing more).
    void discard_output();

    // ---- input ----
    enum class ReadStatus { Data, Again, Eof, Failed };
    // One read into buf (the server's shared read buffer).
    ReadStatus read(char* buf, std::size_t cap, std::size_t& got);
    // Reads and throws away what the peer has already sent (at most `limit` bytes), so that
    // closing does not turn into a reset that could destroy our last message in flight.
    void drain_input(char* buf, std::size_t cap, std::size_t limit);
    LineFramer& framer() { return framer_; }

    int last_errno() const { return errno_; }

    // ---- phase and time stamps (read by the timeout sweep) ----
    Phase phase = Phase::AwaitingHello;
    ConnectionTimes times;
    FloodBucket flood;           // its rate limit (see flood.h)
    bool in_write_list = false;  // already listed for the next before-sleep flush
    std::string close_reason;    // why it is closing, for the log
    irc::Session* irc = nullptr; // an IRC client's side of the translation (owned by the server)

private:
    void compact();

    int fd_;
    std::uint64_t id_;
    std::size_t max_output_;
    LineFramer framer_;
    std::vector<Chunk> chunks_;
    std::size_t head_ = 0;     // first chunk not fully written
    std::size_t offset_ = 0;   // bytes of chunks_[head_] already written
    std::size_t queued_bytes_ = 0;
    int errno_ = 0;
};

}  // namespace natter::server
