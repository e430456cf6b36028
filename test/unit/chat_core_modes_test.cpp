// The chat core's room modes beyond operators, without a socket: a room's creation time.
#include "server/chat_core.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kStart = 1'700'000'000'000;
constexpr Millis kNow = kStart + 60'000;

class RoomModesTest : public ::testing::Test {
protected:
    RoomModesTest() : core(config()) {}
    static CoreConfig config() {
        CoreConfig c;
        c.started = kStart;
        return c;
    }
    void login(ClientId id, const std::string& nick) {
        core.connect(id, kNow);
        Outputs o;
        core.handle(id, Hello{nick, kProtocolVersion}, kNow, o);
        ASSERT_TRUE(core.logged_in(id));
    }
    Outputs handle(ClientId id, const Message& m, Millis now = kNow) {
        Outputs o;
        core.handle(id, m, now, o);
        return o;
    }
    ChatCore core;
};

TEST_F(RoomModesTest, ARoomKnowsWhenItWasCreated) {
    EXPECT_EQ(core.room_created("#lobby"), kStart);
    EXPECT_EQ(core.room_created("#nowhere"), 0u);
    login(1, "ann");
    handle(1, Join{"#New"}, kNow + 5);
    EXPECT_EQ(core.room_created("#new"), kNow + 5);
    // Joining it later changes nothing.
    login(2, "bob");
    handle(2, Join{"#new"}, kNow + 9);
    EXPECT_EQ(core.room_created("#new"), kNow + 5);
    // A room forgotten when it emptied is a new room when joined again.
    handle(1, Part{"#New", ""});
    handle(2, Part{"#new", ""});
    EXPECT_EQ(core.room_created("#new"), 0u);
    handle(2, Join{"#new"}, kNow + 20);
    EXPECT_EQ(core.room_created("#new"), kNow + 20);
    // A room from the store has been known since the start (the store keeps no creation time).
    core.restore_room(StoredRoom{"#old", "a topic", "ann", 42, true});
    EXPECT_EQ(core.room_created("#old"), kStart);
}

}  // namespace
