// Persist, then acknowledge: what the server holds while a history batch is open, and what it
// releases after the commit, or after a failed one.
#include "server/held_output.h"

#include <gtest/gtest.h>

using namespace natter::server;
using Kind = HeldOutput::Entry::Kind;

namespace {

HeldChunk chunk(const std::string& s) { return std::make_shared<const std::string>(s); }

}  // namespace

TEST(HeldOutput, ReleasesEverythingInOrderAfterACommit) {
    HeldOutput h;
    EXPECT_TRUE(h.empty());
    auto msg = chunk("ann: bye");
    h.chunk(1, msg, 1);
    h.chunk(2, msg, 1);
    h.chunk(2, chunk("ann left"), 0);
    h.close(1, "quit");
    EXPECT_EQ(h.size(), 4u);
    auto out = h.release(true);
    EXPECT_TRUE(h.empty());
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].kind, Kind::Chunk);
    EXPECT_EQ(out[0].chunk, msg);
    EXPECT_EQ(out[1].to, 2u);
    EXPECT_EQ(*out[2].chunk, "ann left");
    EXPECT_EQ(out[3].kind, Kind::Close);
    EXPECT_EQ(out[3].reason, "quit");
}

TEST(HeldOutput, AFailedCommitTellsTheAuthorAndNobodyElse) {
    HeldOutput h;
    auto stored = chunk("ann: lost");
    h.chunk(2, chunk("bob: private, not stored"), 0);
    h.chunk(1, stored, 1);  // the echo
    h.chunk(2, stored, 1);
    h.chunk(3, stored, 1);
    h.chunk(3, chunk("cyd joined"), 0);
    h.close(3, "quit");
    auto out = h.release(false);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].kind, Kind::Chunk);
    EXPECT_EQ(*out[0].chunk, "bob: private, not stored");
    EXPECT_EQ(out[1].kind, Kind::NotStored);
    EXPECT_EQ(out[1].to, 1u);
    EXPECT_EQ(out[1].chunk, nullptr);
    EXPECT_EQ(*out[2].chunk, "cyd joined");
    EXPECT_EQ(out[3].kind, Kind::Close);
    // The next batch starts empty.
    EXPECT_TRUE(h.release(true).empty());
}
