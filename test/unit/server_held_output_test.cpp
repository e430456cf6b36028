// Persist, then acknowledge: what the server holds while history batches are open or not yet
// on disk, and what it releases, in order, as they become durable or fail.
#include "server/held_output.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace natter::server;
using Kind = HeldOutput::Entry::Kind;

namespace {

HeldChunk chunk(const std::string& s) { return std::make_shared<const std::string>(s); }

// Stand-ins for connections: HeldOutput only keeps the pointers.
Connection* conn(std::uintptr_t n) { return reinterpret_cast<Connection*>(n * 64); }

std::vector<std::string> texts(const std::vector<HeldOutput::Entry>& es) {
    std::vector<std::string> t;
    for (const auto& e : es) {
        if (e.kind == Kind::Chunk) t.push_back(*e.chunk);
        if (e.kind == Kind::Close) t.push_back("close: " + e.reason);
        if (e.kind == Kind::NotStored) t.push_back("not stored");
    }
    return t;
}

}  // namespace

TEST(HeldOutput, ASegmentGoesOnceItsBatchIsOnDisk) {
    HeldOutput h;
    EXPECT_TRUE(h.empty());
    auto msg = chunk("ann: bye");
    h.chunk(conn(1), msg, true, true);
    h.chunk(conn(2), msg, true, false);
    h.chunk(conn(2), chunk("ann left"), false, false);
    h.close(conn(1), "quit");
    EXPECT_EQ(h.size(), 3u) << "the recipients of one chunk share an entry";
    EXPECT_TRUE(h.release(0).empty()) << "not sealed: the batch is still open";
    h.seal(1, false);
    EXPECT_TRUE(h.release(0).empty()) << "batch 1 is not on disk yet";
    auto out = h.release(1);
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

TEST(HeldOutput, SegmentsLeaveInOrder) {
    HeldOutput h;
    h.chunk(conn(1), chunk("a"), true, true);
    h.seal(1, false);
    h.chunk(conn(1), chunk("b: no batch of its own"), false, false);
    h.seal(0, false);
    h.chunk(conn(1), chunk("c"), true, true);
    h.seal(2, false);
    h.seal(3, false);  // nothing held since: no segment
    // Batch 2 is durable before batch 1 is known to be: nothing overtakes batch 1.
    EXPECT_TRUE(h.release(0).empty());
    EXPECT_EQ(texts(h.release(1)), (std::vector<std::string>{"a", "b: no batch of its own"}));
    EXPECT_EQ(texts(h.release(2)), std::vector<std::string>{"c"});
    EXPECT_TRUE(h.empty());
}

TEST(HeldOutput, AFailedBatchTellsTheAuthorAndNobodyElse) {
    HeldOutput h;
    auto stored = chunk("ann: lost");
    h.chunk(conn(2), chunk("bob: private, not stored"), false, false);
    h.chunk(conn(2), stored, true, false);
    h.chunk(conn(1), stored, true, true);  // the echo
    h.chunk(conn(3), stored, true, false);
    h.chunk(conn(3), chunk("cyd joined"), false, false);
    h.chunk(conn(4), chunk("an IRC client's own rendering of a stored message"), true, false);
    h.close(conn(3), "quit");
    h.seal(0, true);  // the commit failed
    auto out = h.release(0);
    EXPECT_EQ(texts(out), (std::vector<std::string>{"bob: private, not stored", "not stored", "cyd joined",
                                                   "close: quit"}));
    EXPECT_EQ(out[1].to, std::vector<Connection*>{conn(1)});
    EXPECT_EQ(out[1].chunk, nullptr);
}

TEST(HeldOutput, LostBatchesLoseTheirStoredThings) {
    HeldOutput h;
    h.chunk(conn(1), chunk("one"), true, true);
    h.seal(1, false);
    h.chunk(conn(1), chunk("two"), true, true);
    h.chunk(conn(2), chunk("a private"), false, false);
    h.seal(2, false);
    h.lost(1);
    h.lost(2);
    EXPECT_EQ(texts(h.release(2)), (std::vector<std::string>{"not stored", "not stored", "a private"}));
}

TEST(HeldOutput, AClosedConnectionOutlivesTheSegmentsThatMayNameIt) {
    HeldOutput h;
    EXPECT_FALSE(h.holds_since(h.mark()));
    h.chunk(conn(1), chunk("to a client that closes now"), true, false);
    const auto closed_at = h.mark();
    EXPECT_TRUE(h.holds_since(closed_at));
    h.seal(1, false);
    h.chunk(conn(2), chunk("later"), true, true);
    h.seal(2, false);
    h.release(1);
    EXPECT_FALSE(h.holds_since(closed_at)) << "only later segments remain";
    EXPECT_TRUE(h.holds_since(h.mark()));
}
