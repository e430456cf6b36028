#include "server/connection.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace natter::server {

namespace {
// Chunks per sendmsg(): IOV_MAX, so a busy client's queue goes out in one call. Each call pushes
// its own packets through the stack: with 64, a saturated client took ten calls a turn and natterd
// managed 45% fewer deliveries/s (docs/PERFORMANCE-natterd.md).
constexpr std::size_t kIovPerWrite = IOV_MAX;
// An emptied queue keeps a vector this small (128 bytes) and gives back a larger one that a burst
// left: most clients are idle, and an idle client should cost little.
constexpr std::size_t kKeepCapacity = 8;
// A queue whose written prefix is at least this long and half of it is compacted.
constexpr std::size_t kCompactAfter = 64;
}  // namespace

Connection::Connection(int fd, std::uint64_t id, TimePoint now, std::size_t max_output_bytes)
    : fd_(fd), id_(id), max_output_(max_output_bytes) {
    times.connected = now;
    times.last_input = now;
    times.close_by = now;
}

Connection::~Connection() {
    if (fd_ >= 0) ::close(fd_);
}

Connection::Queued Connection::enqueue(Chunk chunk) {
    if (chunk->empty()) return Queued::Ok;
    if (queued_bytes_ + chunk->size() > max_output_) {
        // Over the cap only counts once the kernel has had its chance to take what is queued.
        if (flush() == Flushed::Failed || queued_bytes_ + chunk->size() > max_output_)
            return Queued::OverCap;
    }
    queued_bytes_ += chunk->size();
    chunks_.push_back(std::move(chunk));
    return Queued::Ok;
}

Connection::Flushed Connection::flush() {
    iovec iov[kIovPerWrite];
    while (head_ < chunks_.size()) {
        std::size_t n = 0;
        std::size_t asked = 0;
        for (std::size_t i = head_; i < chunks_.size() && n < kIovPerWrite; ++i, ++n) {
            const std::string& s = *chunks_[i];
            const std::size_t skip = i == head_ ? offset_ : 0;
            iov[n].iov_base = const_cast<char*>(s.data() + skip);
            iov[n].iov_len = s.size() - skip;
            asked += iov[n].iov_len;
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = n;
        const ssize_t w = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return Flushed::Pending;
            errno_ = errno;
            return Flushed::Failed;
        }
        std::size_t written = static_cast<std::size_t>(w);
        queued_bytes_ -= written;
        while (written > 0) {
            const std::size_t left = chunks_[head_]->size() - offset_;
            if (written < left) {
                offset_ += written;
                break;
            }
            written -= left;
            chunks_[head_].reset();  // the last recipient to write a broadcast frees it
            ++head_;
            offset_ = 0;
        }
        compact();
        // A short write means the socket buffer is full: asking again now would only get EAGAIN.
        if (static_cast<std::size_t>(w) < asked) return Flushed::Pending;
    }
    return Flushed::Empty;
}

void Connection::compact() {
    if (head_ == chunks_.size()) {
        chunks_.clear();
        head_ = 0;
        if (chunks_.capacity() > kKeepCapacity) std::vector<Chunk>().swap(chunks_);
    } else if (head_ >= kCompactAfter && head_ * 2 >= chunks_.size()) {
        chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

void Connection::discard_output() {
    std::vector<Chunk>().swap(chunks_);
    head_ = offset_ = queued_bytes_ = 0;
}

Connection::ReadStatus Connection::read(char* buf, std::size_t cap, std::size_t& got) {
    got = 0;
    for (;;) {
        const ssize_t r = ::recv(fd_, buf, cap, MSG_DONTWAIT);
        if (r > 0) {
            got = static_cast<std::size_t>(r);
            return ReadStatus::Data;
        }
        if (r == 0) return ReadStatus::Eof;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadStatus::Again;
        errno_ = errno;
        return ReadStatus::Failed;
    }
}

void Connection::drain_input(char* buf, std::size_t cap, std::size_t limit) {
    std::size_t total = 0;
    while (total < limit) {
        std::size_t got = 0;
        if (read(buf, cap, got) != ReadStatus::Data) return;
        total += got;
    }
}

}  // namespace natter::server
