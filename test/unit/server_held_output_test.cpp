// Persist, then acknowledge: what the server holds while a history batch is open, and what it
// releases after the commit, or after a failed one.
#include "server/held_output.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace natter::server;
using Kind = HeldOutput::Entry::Kind;

namespace {

HeldChunk chunk(const std::string& s) { return std::make_shared<const std::string>(s); }

// Stand-ins for connections: HeldOutput only keeps the pointers.
Connection* conn(std::uintptr_t n) { return reinterpret_cast<Connection*>(n * 64); }

}  // namespace

TEST(HeldOutput, ReleasesEverythingInOrderAfterACommit) {
    HeldOutput h;
    EXPECT_TRUE(h.empty());
    auto msg = chunk("ann: bye");
    h.chunk(conn(1), msg, true, true);
    h.chunk(conn(2), msg, true, false);
    h.chunk(conn(2), chunk("ann left"), false, false);
    h.close(conn(1), "quit");
    EXPECT_EQ(h.size(), 3u) << "the recipients of one chunk share an entry";
    auto out = h.release(true);
    EXPECT_TRUE(h.empty());
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].kind, Kind::Chunk);
    EXPECT_EQ(out[0].chunk, msg);
    EXPECT_EQ(out[0].to, (std::vector<Connection*>{conn(1), conn(2)}));
    EXPECT_EQ(*out[1].chunk, "ann left");
    EXPECT_EQ(out[2].kind, Kind::Close);
    EXPECT_EQ(out[2].to, std::vector<Connection*>{conn(1)});
    EXPECT_EQ(out[2].reason, "quit");
}

TEST(HeldOutput, AFailedCommitTellsTheAuthorAndNobodyElse) {
    HeldOutput h;
    auto stored = chunk("ann: lost");
    h.chunk(conn(2), chunk("bob: private, not stored"), false, false);
    h.chunk(conn(2), stored, true, false);
    h.chunk(conn(1), stored, true, true);  // the echo
    h.chunk(conn(3), stored, true, false);
    h.chunk(conn(3), chunk("cyd joined"), false, false);
    h.chunk(conn(4), chunk("an IRC client's own rendering of a stored message"), true, false);
    h.close(conn(3), "quit");
    auto out = h.release(false);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].kind, Kind::Chunk);
    EXPECT_EQ(*out[0].chunk, "bob: private, not stored");
    EXPECT_EQ(out[1].kind, Kind::NotStored);
    EXPECT_EQ(out[1].to, std::vector<Connection*>{conn(1)});
    EXPECT_EQ(out[1].chunk, nullptr);
    EXPECT_EQ(*out[2].chunk, "cyd joined");
    EXPECT_EQ(out[3].kind, Kind::Close);
    // The next batch starts empty.
    EXPECT_TRUE(h.release(true).empty());
}
