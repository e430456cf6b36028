// A connection's output queue and input over a real socketpair: gathered writes, partial writes
// kept for later, shared broadcast chunks, the output cap, end of file and errors.
#include "server/connection.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>

#include <string>

using namespace natter::server;

namespace {

class ConnectionTest : public ::testing::Test {
protected:
    void SetUp() override {
        int fds[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
        server_fd = fds[0];
        peer = fds[1];
        // Small buffers, so the queue fills with little data.
        const int small = 4096;
        ::setsockopt(server_fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        ::setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    void TearDown() override {
        if (peer >= 0) ::close(peer);
    }
    std::string read_peer(std::size_t max = 1 << 20) {
        std::string got;
        char buf[65536];
        while (got.size() < max) {
            const ssize_t n = ::recv(peer, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }

    int server_fd = -1;  // owned by the Connection under test
    int peer = -1;
};

Chunk chunk(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

}  // namespace

TEST_F(ConnectionTest, QueuedChunksGoOutInOrderInOneFlush) {
    Connection c(server_fd, 7, Clock::now(), 1 << 20);
    EXPECT_EQ(c.id(), 7u);
    EXPECT_FALSE(c.has_output());
    for (int i = 0; i < 200; ++i) ASSERT_EQ(c.enqueue(chunk("line " + std::to_string(i) + "\n")), Connection::Queued::Ok);
    EXPECT_TRUE(c.has_output());
    EXPECT_EQ(c.flush(), Connection::Flushed::Empty);
    EXPECT_FALSE(c.has_output());
    EXPECT_EQ(c.queued_bytes(), 0u);
    std::string want;
    for (int i = 0; i < 200; ++i) want += "line " + std::to_string(i) + "\n";
    EXPECT_EQ(read_peer(), want);
}

TEST_F(ConnectionTest, PartialWritesKeepTheRestAndResumeMidChunk) {
    Connection c(server_fd, 1, Clock::now(), 16 << 20);
    std::string big;
    for (int i = 0; big.size() < 1'000'000; ++i) big += "chunk-" + std::to_string(i) + ";";
    ASSERT_EQ(c.enqueue(chunk(big)), Connection::Queued::Ok);
    ASSERT_EQ(c.enqueue(chunk("tail\n")), Connection::Queued::Ok);
    std::string got;
    for (int rounds = 0; rounds < 100000 && c.has_output(); ++rounds) {
        const auto r = c.flush();
        ASSERT_NE(r, Connection::Flushed::Failed);
        if (r == Connection::Flushed::Pending) {
            EXPECT_GT(c.queued_bytes(), 0u);
            EXPECT_LT(c.queued_bytes(), big.size() + 5);
        }
        got += read_peer();
    }
    got += read_peer();
    EXPECT_EQ(got, big + "tail\n");
    EXPECT_EQ(c.queued_bytes(), 0u);
}

TEST_F(ConnectionTest, ABroadcastChunkIsSharedNotCopied) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    Connection a(server_fd, 1, Clock::now(), 1 << 20);
    Connection b(fds[0], 2, Clock::now(), 1 << 20);
    Chunk shared = chunk("{\"type\":\"message\"}\n");
    a.enqueue(shared);
    b.enqueue(shared);
    EXPECT_EQ(shared.use_count(), 3) << "one copy of the bytes, three owners";
    EXPECT_EQ(a.flush(), Connection::Flushed::Empty);
    EXPECT_EQ(shared.use_count(), 2) << "a written chunk is released at once";
    EXPECT_EQ(b.flush(), Connection::Flushed::Empty);
    EXPECT_EQ(shared.use_count(), 1);
    ::close(fds[1]);
}

TEST_F(ConnectionTest, OutputCapRefusesOnceTheKernelIsFullToo) {
    const std::size_t cap = 64 * 1024;
    Connection c(server_fd, 1, Clock::now(), cap);
    const Chunk line = chunk(std::string(1000, 'x') + "\n");
    std::size_t accepted = 0;
    Connection::Queued r = Connection::Queued::Ok;
    for (int i = 0; i < 100000 && r == Connection::Queued::Ok; ++i) {
        r = c.enqueue(line);
        if (r == Connection::Queued::Ok) ++accepted;
    }
    ASSERT_EQ(r, Connection::Queued::OverCap) << "a peer that never reads must hit the cap";
    EXPECT_LE(c.queued_bytes(), cap) << "never buffered past the cap";
    EXPECT_GT(c.queued_bytes(), cap - line->size() - 1);
    // The kernel took its share before the cap counted.
    EXPECT_GT(accepted * line->size(), c.queued_bytes());
    c.discard_output();
    EXPECT_FALSE(c.has_output());
    EXPECT_EQ(c.queued_bytes(), 0u);
}

TEST_F(ConnectionTest, ReaderThatCatchesUpIsNotDropped) {
    const std::size_t cap = 64 * 1024;
    Connection c(server_fd, 1, Clock::now(), cap);
    const Chunk line = chunk(std::string(1000, 'y') + "\n");
    std::size_t received = 0;
    for (int i = 0; i < 2000; ++i) {
        ASSERT_EQ(c.enqueue(line), Connection::Queued::Ok) << "after " << i << " lines";
        received += read_peer().size();  // a peer that keeps reading
    }
    while (c.has_output()) {
        ASSERT_NE(c.flush(), Connection::Flushed::Failed);
        received += read_peer().size();
    }
    received += read_peer().size();
    EXPECT_EQ(received, 2000 * line->size());
}

TEST_F(ConnectionTest, ReadGivesDataThenAgainThenEof) {
    Connection c(server_fd, 1, Clock::now(), 1 << 20);
    char buf[256];
    std::size_t got = 0;
    EXPECT_EQ(c.read(buf, sizeof buf, got), Connection::ReadStatus::Again);
    ASSERT_EQ(::write(peer, "hello\n", 6), 6);
    EXPECT_EQ(c.read(buf, sizeof buf, got), Connection::ReadStatus::Data);
    EXPECT_EQ(std::string(buf, got), "hello\n");
    ::close(peer);
    peer = -1;
    EXPECT_EQ(c.read(buf, sizeof buf, got), Connection::ReadStatus::Eof);
}

TEST_F(ConnectionTest, WritingToAVanishedPeerFailsWithoutSigpipe) {
    Connection c(server_fd, 1, Clock::now(), 1 << 20);
    ::close(peer);
    peer = -1;
    c.enqueue(chunk("anyone there?\n"));
    // MSG_NOSIGNAL: an EPIPE, not a dead test process.
    EXPECT_EQ(c.flush(), Connection::Flushed::Failed);
    EXPECT_EQ(c.last_errno(), EPIPE);
}

TEST_F(ConnectionTest, DrainInputDiscardsWhatThePeerSent) {
    Connection c(server_fd, 1, Clock::now(), 1 << 20);
    ASSERT_EQ(::write(peer, "unread junk", 11), 11);
    char buf[64];
    c.drain_input(buf, sizeof buf, 1 << 20);
    std::size_t got = 0;
    EXPECT_EQ(c.read(buf, sizeof buf, got), Connection::ReadStatus::Again);
}

TEST_F(ConnectionTest, DestructorClosesTheDescriptor) {
    { Connection c(server_fd, 1, Clock::now(), 1024); }
    EXPECT_EQ(::fcntl(server_fd, F_GETFD), -1);
    char b;
    EXPECT_EQ(::recv(peer, &b, 1, MSG_DONTWAIT), 0) << "peer sees end of file";
}
