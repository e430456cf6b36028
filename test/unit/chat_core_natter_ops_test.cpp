// Room operators on the natter protocol, without a socket: "kick" and "mode" reach the same
// core operations IRC's KICK and MODE do, a mode query answers "modes" (the key told to members
// only, a secret room hidden from outsiders), and a malformed change is refused before anything
// changes.
#include "server/chat_core.h"
#include "server/memory_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace natter;
using namespace natter::server;

namespace {

constexpr Millis kNow = 1'700'000'060'000;

// A core (with an in-memory store when asked) and the steps every test here takes.
class CoreTest : public ::testing::Test {
protected:
    explicit CoreTest(bool with_store) : core(config(with_store ? &store : nullptr)) {}
    static CoreConfig config(MemoryStore* s) {
        CoreConfig c;
        c.store = s;
        c.max_errors = 1000;  // these tests earn many refusals on purpose
        return c;
    }
    static void login(ChatCore& into, ClientId id, const std::string& nick) {
        into.connect(id, kNow);
        Outputs o;
        into.handle(id, Hello{nick, kProtocolVersion}, kNow, o);
        ASSERT_TRUE(into.logged_in(id));
    }
    void login(ClientId id, const std::string& nick) { login(core, id, nick); }
    Outputs handle(ClientId id, const Message& m) {
        Outputs o;
        core.handle(id, m, kNow, o);
        return o;
    }
    static std::string error_code(const Outputs& o) {
        for (const Delivery& d : o.deliveries)
            if (const auto* e = std::get_if<Error>(&d.msg)) return e->code;
        return "";
    }
    MemoryStore store;  // before core, which keeps a pointer to it
    ChatCore core;
};

class NatterOpsTest : public CoreTest {
protected:
    NatterOpsTest() : CoreTest(false) {}
    static const RoomModesInfo* modes_answer(const Outputs& o) {
        for (const Delivery& d : o.deliveries)
            if (const auto* m = std::get_if<RoomModesInfo>(&d.msg)) return m;
        return nullptr;
    }
    // ann (1) creates #r and operates it; bob (2) joins it; cyd (3) stays outside.
    void setup() {
        login(1, "ann");
        login(2, "bob");
        login(3, "cyd");
        handle(1, Join{"#r"});
        handle(2, Join{"#r"});
    }
};

}  // namespace

TEST_F(NatterOpsTest, AnOperatorKicksAndEveryoneHearsWhoAndWhy) {
    setup();
    EXPECT_EQ(error_code(handle(2, Kick{"#r", "ann", "mutiny"})), err::kNotOperator);
    EXPECT_EQ(error_code(handle(1, Kick{"#r", "cyd", ""})), err::kUserNotInRoom);
    EXPECT_EQ(error_code(handle(1, Kick{"#r", "nobody", ""})), err::kNoSuchNick);
    EXPECT_EQ(error_code(handle(3, Kick{"#r", "bob", ""})), err::kNotInRoom);
    const Outputs o = handle(1, Kick{"#r", "bob", "too noisy"});
    ASSERT_EQ(o.deliveries.size(), 1u);
    const auto& left = std::get<Left>(o.deliveries[0].msg);
    EXPECT_EQ(left.nick, "bob");
    EXPECT_EQ(left.by, "ann");
    EXPECT_EQ(left.reason, "too noisy");
    EXPECT_EQ(left.room, "#r");
    std::vector<ClientId> to = o.deliveries[0].to;
    std::sort(to.begin(), to.end());
    EXPECT_EQ(to, (std::vector<ClientId>{1, 2}));
    EXPECT_FALSE(core.is_operator("#r", 2));
    EXPECT_EQ(error_code(handle(2, Say{"still here?", "#r"})), err::kNotInRoom);
}

TEST_F(NatterOpsTest, ModeChangesGoToTheMembersOneByOne) {
    setup();
    Outputs o = handle(1, ModeRequest{"#r", "+k", "s3cret"});
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].mode, 'k');
    EXPECT_TRUE(o.mode_changes[0].on);
    EXPECT_EQ(o.mode_changes[0].nick, "s3cret");
    EXPECT_EQ(o.mode_changes[0].by, "ann");
    EXPECT_EQ(core.room_modes("#r")->key, "s3cret");
    o = handle(1, ModeRequest{"#r", "+m", ""});
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_TRUE(core.room_modes("#r")->moderated);
    EXPECT_EQ(error_code(handle(2, Say{"may I?", "#r"})), err::kNotOperator);
    o = handle(1, ModeRequest{"#r", "+v", "bob"});
    EXPECT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(error_code(handle(2, Say{"thanks", "#r"})), "");
    o = handle(1, ModeRequest{"#r", "-k", ""});
    ASSERT_EQ(o.mode_changes.size(), 1u);
    EXPECT_EQ(o.mode_changes[0].nick, "*");
    // Setting what is set already changes nothing and tells nobody.
    EXPECT_TRUE(handle(1, ModeRequest{"#r", "+m", ""}).empty());
}

TEST_F(NatterOpsTest, OnlyOperatorsChangeModes) {
    setup();
    EXPECT_EQ(error_code(handle(2, ModeRequest{"#r", "+t", ""})), err::kNotOperator);
    EXPECT_EQ(error_code(handle(3, ModeRequest{"#r", "+t", ""})), err::kNotInRoom);
    EXPECT_FALSE(core.room_modes("#r")->topic_lock);
    handle(1, ModeRequest{"#r", "+o", "bob"});
    EXPECT_TRUE(core.is_operator("#r", 2));
    EXPECT_EQ(error_code(handle(2, ModeRequest{"#r", "+t", ""})), "");
    EXPECT_TRUE(core.room_modes("#r")->topic_lock);
}

TEST_F(NatterOpsTest, MalformedChangesAreRefusedBeforeAnythingChanges) {
    setup();
    for (const char* change : {"m", "+", "++m", "+mt", "*m", " +m"})
        EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", change, ""})), err::kUnknownMode) << change;
    EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", "+q", ""})), err::kUnknownMode);
    for (const char* change : {"+k", "+l", "+o", "-o", "+v", "-v", "+b", "-b"})
        EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", change, ""})), err::kInvalidModeParam) << change;
    EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", "+k", "has space"})), err::kInvalidModeParam);
    EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", "+l", "0"})), err::kInvalidModeParam);
    EXPECT_EQ(error_code(handle(1, ModeRequest{"#r", "+l", "many"})), err::kInvalidModeParam);
    EXPECT_EQ(error_code(handle(1, ModeRequest{"#bad room", "+m", ""})), err::kRoomInvalid);
    const RoomModes& m = *core.room_modes("#r");
    EXPECT_EQ(mode_letters(m), "+n") << "nothing changed";
}

TEST_F(NatterOpsTest, AQueryTellsTheKeyToMembersOnly) {
    setup();
    handle(1, ModeRequest{"#r", "+k", "s3cret"});
    handle(1, ModeRequest{"#r", "+l", "20"});
    handle(1, ModeRequest{"#r", "+t", ""});
    handle(1, ModeRequest{"#r", "+b", "dan"});
    Outputs o = handle(2, ModeRequest{"#r", "", ""});
    const RoomModesInfo* member = modes_answer(o);
    ASSERT_NE(member, nullptr);
    EXPECT_EQ(o.deliveries[0].to, std::vector<ClientId>{2});
    EXPECT_EQ(member->room, "#r");
    EXPECT_EQ(member->modes, "+klnt");
    EXPECT_EQ(member->key, "s3cret");
    EXPECT_EQ(member->limit, 20u);
    EXPECT_EQ(member->bans, std::vector<std::string>{"dan!*@*"});
    o = handle(3, ModeRequest{"#R", "", ""});
    const RoomModesInfo* outsider = modes_answer(o);
    ASSERT_NE(outsider, nullptr);
    EXPECT_EQ(outsider->modes, "+klnt");
    EXPECT_EQ(outsider->key, "") << "the key opens the room: outsiders do not get it";
}

TEST_F(NatterOpsTest, ASecretRoomIsUnknownToOutsiders) {
    setup();
    EXPECT_EQ(error_code(handle(3, ModeRequest{"#nowhere", "", ""})), err::kNoSuchRoom);
    handle(1, ModeRequest{"#r", "+s", ""});
    EXPECT_EQ(error_code(handle(3, ModeRequest{"#r", "", ""})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(3, ModeRequest{"#r", "-s", ""})), err::kNoSuchRoom);
    ASSERT_NE(modes_answer(handle(2, ModeRequest{"#r", "", ""})), nullptr);
    EXPECT_EQ(modes_answer(handle(2, ModeRequest{"#r", "", ""}))->modes, "+ns");
    // Nor its members, its topic, or its existence through an invitation.
    handle(1, TopicRequest{"#r", std::string("plans")});
    EXPECT_EQ(error_code(handle(3, Who{"#r"})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(3, TopicRequest{"#r", std::nullopt})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(3, TopicRequest{"#r", std::string("mine now")})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(3, Invite{"#r", "ann"})), err::kNoSuchRoom);
    EXPECT_EQ(error_code(handle(2, Who{"#r"})), "");
    EXPECT_EQ(error_code(handle(2, TopicRequest{"#r", std::nullopt})), "");
    // Once it is not secret, outsiders may look again.
    handle(1, ModeRequest{"#r", "-s", ""});
    EXPECT_EQ(error_code(handle(3, Who{"#r"})), "");
    EXPECT_EQ(error_code(handle(3, TopicRequest{"#r", std::nullopt})), "");
}

// ---- settings kept with the room ----------------------------------------------------------------

namespace {

class KeptSettingsTest : public CoreTest {
protected:
    KeptSettingsTest() : CoreTest(true) {}
};

}  // namespace

TEST_F(KeptSettingsTest, AKeyedRoomKeepsItsKeyAndHistoryAcrossARestart) {
    login(core, 1, "ann");
    handle(1, Join{"#vault"});
    handle(1, Say{"the plan", "#vault"});
    handle(1, ModeRequest{"#vault", "+k", "s3cret"});
    handle(1, ModeRequest{"#vault", "+s", ""});
    handle(1, ModeRequest{"#vault", "+i", ""});
    ASSERT_EQ(store.rooms().count("#vault"), 1u);
    EXPECT_EQ(store.rooms().at("#vault").modes.key, "s3cret");
    EXPECT_TRUE(store.rooms().at("#vault").modes.secret);
    handle(1, Part{"#vault", ""});
    store.commit();

    // A new core over the same store: natterd after a restart.
    ChatCore after(config(&store));
    for (const auto& [name, room] : store.rooms()) after.restore_room(room);
    ASSERT_NE(after.room_modes("#vault"), nullptr);
    EXPECT_EQ(after.room_modes("#vault")->key, "s3cret");
    EXPECT_TRUE(after.room_modes("#vault")->secret);
    EXPECT_FALSE(after.room_modes("#vault")->invite_only) << "nobody is left to invite anyone";
    login(after, 2, "eve");
    Outputs o;
    after.handle(2, Join{"#vault"}, kNow, o);
    EXPECT_EQ(error_code(o), err::kBadKey) << "the history stays behind the key";
    o.clear();
    after.handle(2, Join{"#vault", "s3cret"}, kNow, o);
    EXPECT_EQ(error_code(o), "");
}

TEST_F(KeptSettingsTest, AForgottenRoomLeavesNoSettingsBehind) {
    login(core, 1, "ann");
    handle(1, Join{"#brief"});
    handle(1, ModeRequest{"#brief", "+k", "s3cret"});
    EXPECT_EQ(store.rooms().at("#brief").modes.key, "s3cret");
    handle(1, Part{"#brief", ""});  // no topic, no history: forgotten
    EXPECT_EQ(core.room_modes("#brief"), nullptr);
    EXPECT_TRUE(store.rooms().at("#brief").modes == RoomModes{}) << "a new #brief must not find the key";
}

TEST_F(KeptSettingsTest, AChangeTheStoreRefusesIsNotMade) {
    login(core, 1, "ann");
    handle(1, Join{"#r"});
    store.fail_appends = true;
    const Outputs o = handle(1, ModeRequest{"#r", "+k", "s3cret"});
    EXPECT_EQ(error_code(o), err::kNotStored);
    EXPECT_TRUE(o.mode_changes.empty());
    EXPECT_EQ(core.room_modes("#r")->key, "");
}
