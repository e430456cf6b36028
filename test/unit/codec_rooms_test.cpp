// The room and history messages on the wire: every one round-trips, fields added after version 1
// are optional with the documented defaults (and absent when they say nothing), and bad fields
// are clear errors.
#include "shared/codec.h"

#include <gtest/gtest.h>

#include <string>

using namespace natter;

namespace {

template <class T>
T roundtrip(const T& m, Direction d) {
    std::string line = encode(m);
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    line.pop_back();
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) {
        ADD_FAILURE() << e->code << ": " << e->text << " for " << line;
        return T{};
    }
    const Message& msg = std::get<Message>(got);
    if (!std::holds_alternative<T>(msg)) {
        ADD_FAILURE() << "came back as " << type_name(msg);
        return T{};
    }
    return std::get<T>(msg);
}

template <class T>
T decode_as(std::string_view line, Direction d) {
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) {
        ADD_FAILURE() << e->code << ": " << e->text << " for " << line;
        return T{};
    }
    const Message& m = std::get<Message>(got);
    if (!std::holds_alternative<T>(m)) {
        ADD_FAILURE() << "wrong type " << type_name(m);
        return T{};
    }
    return std::get<T>(m);
}

std::string error_code(std::string_view line, Direction d = Direction::ClientToServer) {
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) return e->code;
    ADD_FAILURE() << "expected an error for " << line;
    return {};
}

constexpr auto kC = Direction::ClientToServer;
constexpr auto kS = Direction::ServerToClient;

}  // namespace

TEST(CodecRooms, ClientMessagesRoundTrip) {
    EXPECT_EQ(roundtrip(Say{"hi", "#rust"}, kC).room, "#rust");
    EXPECT_EQ(roundtrip(Me{"waves", "#Ünïcode"}, kC).room, "#Ünïcode");
    EXPECT_EQ(roundtrip(Who{"#rust"}, kC).room, "#rust");
    EXPECT_EQ(roundtrip(Join{"#rust"}, kC).room, "#rust");
    const Part p = roundtrip(Part{"#rust", "lunch"}, kC);
    EXPECT_EQ(p.room, "#rust");
    EXPECT_EQ(p.reason, "lunch");
    EXPECT_TRUE(std::holds_alternative<ListRooms>(std::get<Message>(decode_line(R"({"type":"rooms"})", kC))));
    const TopicRequest set = roundtrip(TopicRequest{"#rust", std::string("borrowck")}, kC);
    ASSERT_TRUE(set.text.has_value());
    EXPECT_EQ(*set.text, "borrowck");
    const TopicRequest clear = roundtrip(TopicRequest{"#rust", std::string()}, kC);
    ASSERT_TRUE(clear.text.has_value()) << "an empty text clears; it is not the same as asking";
    EXPECT_EQ(*clear.text, "");
    EXPECT_FALSE(roundtrip(TopicRequest{"#rust", std::nullopt}, kC).text.has_value());
    const HistoryRequest h = roundtrip(HistoryRequest{"#rust", 1234, 20}, kC);
    EXPECT_EQ(h.room, "#rust");
    EXPECT_EQ(h.before, 1234u);
    EXPECT_EQ(h.limit, 20u);
    const Search s = roundtrip(Search{"#rust", "borrow checker", 99}, kC);
    EXPECT_EQ(s.words, "borrow checker");
    EXPECT_EQ(s.before, 99u);
}

TEST(CodecRooms, ServerMessagesRoundTrip) {
    GroupMessage g{7, 1764115200000ull, "ann", "hi", "#rust", true};
    GroupMessage g2 = roundtrip(g, kS);
    EXPECT_EQ(g2.room, "#rust");
    EXPECT_TRUE(g2.history);
    EXPECT_EQ(g2.id, 7u);
    Action a = roundtrip(Action{8, 9, "ann", "waves", "#rust", true}, kS);
    EXPECT_EQ(a.room, "#rust");
    EXPECT_TRUE(a.history);
    UserList u;
    u.users = {{"ann", false, true, true}, {"bob", true, false}, {"cyd", false, false, true}};
    u.room = "#rust";
    UserList u2 = roundtrip(u, kS);
    EXPECT_EQ(u2.users, u.users);
    EXPECT_EQ(u2.room, "#rust");
    Joined j = roundtrip(Joined{5, "ann", "#rust"}, kS);
    EXPECT_EQ(j.room, "#rust");
    Left l = roundtrip(Left{5, "ann", "lunch", "#rust"}, kS);
    EXPECT_EQ(l.room, "#rust");
    EXPECT_EQ(l.reason, "lunch");
    RoomList rl{{{"#lobby", 3, ""}, {"#rust", 1, "borrowck"}}, true};
    RoomList rl2 = roundtrip(rl, kS);
    EXPECT_EQ(rl2.rooms, rl.rooms);
    EXPECT_TRUE(rl2.more);
    Topic t = roundtrip(Topic{5, "#rust", "ann", "borrowck"}, kS);
    EXPECT_EQ(t.by, "ann");
    EXPECT_EQ(t.text, "borrowck");
    HistoryEnd he = roundtrip(HistoryEnd{"#rust", 50, true}, kS);
    EXPECT_EQ(he.count, 50u);
    EXPECT_TRUE(he.more);
    Found f = roundtrip(Found{3, 4, "#rust", "ann", "waves", true}, kS);
    EXPECT_TRUE(f.action);
    EXPECT_EQ(f.room, "#rust");
    SearchEnd se = roundtrip(SearchEnd{"#rust", 2, false}, kS);
    EXPECT_EQ(se.count, 2u);
    EXPECT_FALSE(se.more);
}

TEST(CodecRooms, VersionOneMessagesKeepWorking) {
    // A version-1 bot says without a room: it goes to #lobby.
    EXPECT_EQ(decode_as<Say>(R"({"type":"say","text":"hi"})", kC).room, kLobby);
    EXPECT_EQ(decode_as<Me>(R"({"type":"me","text":"waves"})", kC).room, kLobby);
    EXPECT_EQ(decode_as<Who>(R"({"type":"who"})", kC).room, "");
    // Messages from a version-1 server are in #lobby and live.
    GroupMessage g = decode_as<GroupMessage>(R"({"type":"message","id":1,"ts":2,"from":"a","text":"x"})", kS);
    EXPECT_EQ(g.room, kLobby);
    EXPECT_FALSE(g.history);
    EXPECT_EQ(decode_as<Joined>(R"({"type":"joined","ts":1,"nick":"a"})", kS).room, kLobby);
    // A left without a room is leaving the server.
    EXPECT_EQ(decode_as<Left>(R"({"type":"left","ts":1,"nick":"a","reason":"quit"})", kS).room, "");
    UserList u = decode_as<UserList>(R"({"type":"users","users":[{"nick":"a","ignoring":false}]})", kS);
    ASSERT_EQ(u.users.size(), 1u);
    EXPECT_FALSE(u.users[0].op);
    EXPECT_EQ(u.room, "");
}

TEST(CodecRooms, FieldsThatSayNothingStayOffTheWire) {
    const std::string live = encode(GroupMessage{1, 2, "ann", "hi", "#lobby", false});
    EXPECT_EQ(live.find("history"), std::string::npos) << live;
    EXPECT_NE(live.find("\"room\": \"#lobby\""), std::string::npos) << live;
    const std::string old = encode(GroupMessage{1, 2, "ann", "hi", "#lobby", true});
    EXPECT_NE(old.find("\"history\": true"), std::string::npos) << old;
    UserList u;
    u.users = {{"ann", false, false}};
    const std::string users = encode(u);
    EXPECT_EQ(users.find("\"op\""), std::string::npos) << users;
    EXPECT_EQ(users.find("\"room\""), std::string::npos) << users;
    const std::string quit = encode(Left{1, "ann", "quit", ""});
    EXPECT_EQ(quit.find("\"room\""), std::string::npos) << quit;
    const std::string ask = encode(TopicRequest{"#rust", std::nullopt});
    EXPECT_EQ(ask.find("\"text\""), std::string::npos) << ask;
    const std::string newest = encode(HistoryRequest{"#rust", 0, 0});
    EXPECT_EQ(newest.find("before"), std::string::npos) << newest;
    EXPECT_EQ(encode(Found{1, 2, "#r", "a", "x", false}).find("action"), std::string::npos);
}

TEST(CodecRooms, BadFieldsAreClearErrors) {
    EXPECT_EQ(error_code(R"({"type":"join"})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"join","room":5})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"part"})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"say","text":"x","room":["#a"]})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"topic","room":"#a","text":7})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"history","room":"#a","before":"12"})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"history","room":"#a","limit":-1})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"search","room":"#a"})"), err::kBadField);
    EXPECT_EQ(error_code("{\"type\":\"join\",\"room\":\"#\xff\"}"), err::kBadUtf8);
    EXPECT_EQ(error_code("{\"type\":\"topic\",\"room\":\"#a\",\"text\":\"\xc0\xaf\"}"), err::kBadUtf8);
    EXPECT_EQ(error_code("{\"type\":\"rooms\",\"rooms\":[{\"room\":\"#\xff\",\"members\":1,\"topic\":\"\"}]}", kS),
              err::kBadUtf8);
    EXPECT_EQ(error_code(R"({"type":"users","users":[{"nick":"a","ignoring":false,"op":"yes"}]})", kS),
              err::kBadField);
    // Direction still decides: a client cannot send the server's answers.
    EXPECT_EQ(error_code(R"({"type":"history_end","room":"#a","count":1,"more":false})"), err::kUnknownType);
    EXPECT_EQ(error_code(R"({"type":"join","room":"#a"})", kS), err::kUnknownType);
}

TEST(CodecRooms, SameNameEachWay) {
    // "rooms", "topic" and "help" are a request one way and an answer the other.
    EXPECT_TRUE(std::holds_alternative<ListRooms>(std::get<Message>(decode_line(R"({"type":"rooms"})", kC))));
    decode_as<RoomList>(R"({"type":"rooms","rooms":[]})", kS);
    decode_as<TopicRequest>(R"({"type":"topic","room":"#a"})", kC);
    decode_as<Topic>(R"({"type":"topic","ts":1,"room":"#a","by":"ann","text":"t"})", kS);
}

TEST(CodecRooms, RoomOperatorMessagesRoundTrip) {
    const Kick k = roundtrip(Kick{"#rust", "bob", "off topic"}, kC);
    EXPECT_EQ(k.room, "#rust");
    EXPECT_EQ(k.nick, "bob");
    EXPECT_EQ(k.reason, "off topic");
    EXPECT_EQ(encode(Kick{"#rust", "bob", ""}), R"({"type": "kick","room": "#rust","nick": "bob"})" "\n");
    const ModeRequest set = roundtrip(ModeRequest{"#rust", "+k", "s3cret"}, kC);
    EXPECT_EQ(set.change, "+k");
    EXPECT_EQ(set.arg, "s3cret");
    EXPECT_EQ(encode(ModeRequest{"#rust", "", ""}), R"({"type": "mode","room": "#rust"})" "\n")
        << "a query is a mode without change";
    const ModeChanged c = roundtrip(ModeChanged{1764115200000ull, "#rust", "ann", "+o", "bob"}, kS);
    EXPECT_EQ(c.ts, 1764115200000ull);
    EXPECT_EQ(c.by, "ann");
    EXPECT_EQ(c.change, "+o");
    EXPECT_EQ(c.arg, "bob");
    EXPECT_EQ(roundtrip(ModeChanged{1, "#rust", "ann", "+m", ""}, kS).arg, "");
    const RoomModesInfo i = roundtrip(RoomModesInfo{"#rust", "+klnt", "s3cret", 20, {"dan!*@*", "*!*@host"}}, kS);
    EXPECT_EQ(i.modes, "+klnt");
    EXPECT_EQ(i.key, "s3cret");
    EXPECT_EQ(i.limit, 20u);
    EXPECT_EQ(i.bans, (std::vector<std::string>{"dan!*@*", "*!*@host"}));
    EXPECT_EQ(encode(RoomModesInfo{"#rust", "+n", "", 0, {}}), R"({"type": "modes","room": "#rust","modes": "+n"})" "\n");
    // "mode" means a request from a client and a change from the server.
    EXPECT_TRUE(std::holds_alternative<ModeRequest>(std::get<Message>(decode_line(R"({"type":"mode","room":"#r"})", kC))));
    EXPECT_EQ(error_code(R"({"type":"mode","room":"#r"})", kS), err::kBadField) << "a change needs ts, by and change";
    EXPECT_EQ(error_code(R"({"type":"kick","room":"#r"})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"mode","room":"#r","change":7})"), err::kBadField);
    EXPECT_EQ(error_code(R"({"type":"modes","room":"#r","modes":"+n"})"), err::kUnknownType)
        << "modes is the server's answer, not a request";
    EXPECT_EQ(error_code(R"({"type":"modes","room":"#r","modes":"+n","bans":["\udc00"]})", kS), err::kBadUtf8);
}
