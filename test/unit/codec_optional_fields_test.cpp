// Optional fields are read whether they are spelled plainly or with escapes, and are absent
// (their default) only when really absent: the codec skips looking for a key the line cannot hold.
#include <gtest/gtest.h>

#include "shared/codec.h"

using namespace natter;

namespace {

template <class T>
T decode_as(const std::string& line, Direction from) {
    Decoded d = decode_line(line, from);
    const Message* m = std::get_if<Message>(&d);
    EXPECT_NE(m, nullptr) << line;
    if (m == nullptr || !std::holds_alternative<T>(*m)) {
        ADD_FAILURE() << "not the expected type: " << line;
        return T{};
    }
    return std::get<T>(*m);
}

}  // namespace

TEST(CodecOptionalFields, AbsentMeansTheDefault) {
    EXPECT_EQ(decode_as<Quit>(R"({"type":"quit"})", Direction::ClientToServer).reason, "");
    EXPECT_EQ(decode_as<Ping>(R"({"type":"ping"})", Direction::ClientToServer).token, "");
    // The key's name inside a value is not the key.
    EXPECT_EQ(decode_as<Quit>(R"({"type":"quit","x":"reason"})", Direction::ClientToServer).reason, "");
}

TEST(CodecOptionalFields, PresentIsReadHoweverItIsSpelled) {
    EXPECT_EQ(decode_as<Quit>(R"({"type":"quit","reason":"lunch"})", Direction::ClientToServer).reason,
              "lunch");
    EXPECT_EQ(decode_as<Quit>(R"({"reason" : "tea", "type":"quit"})", Direction::ClientToServer).reason,
              "tea");
    // An escaped key is the same key.
    EXPECT_EQ(decode_as<Quit>(R"({"type":"quit","\u0072eason":"bed"})", Direction::ClientToServer).reason,
              "bed");
    EXPECT_EQ(decode_as<Ping>(R"({"type":"ping","tok\u0065n":"t1"})", Direction::ClientToServer).token,
              "t1");
    // A wrong type is still an error, not an absence.
    Decoded d = decode_line(R"({"type":"quit","reason":5})", Direction::ClientToServer);
    ASSERT_TRUE(std::holds_alternative<DecodeError>(d));
    EXPECT_EQ(std::get<DecodeError>(d).code, err::kBadField);
}

// "notice" (added after version 1) is on the wire only when true, so the lines of ordinary
// messages are what they always were; both directions carry it.
TEST(CodecOptionalFields, NoticeOnlyWhenTrue) {
    EXPECT_EQ(encode(GroupMessage{7, 8, "ann", "hi", "#rust"}).find("notice"), std::string::npos);
    EXPECT_EQ(encode(Say{"hi", "#rust"}).find("notice"), std::string::npos);
    EXPECT_EQ(encode(PrivateMessage{7, 8, "ann", "bob", "hi"}).find("notice"), std::string::npos);
    EXPECT_NE(encode(GroupMessage{7, 8, "bot", "built", "#ci", false, true}).find("\"notice\": true"),
              std::string::npos);
    const auto c = Direction::ClientToServer;
    const auto s = Direction::ServerToClient;
    EXPECT_TRUE(decode_as<Say>(R"({"type":"say","text":"hi","notice":true})", c).notice);
    EXPECT_FALSE(decode_as<Say>(R"({"type":"say","text":"hi"})", c).notice);
    EXPECT_TRUE(decode_as<Tell>(R"({"type":"tell","to":"bob","text":"hi","notice":true})", c).notice);
    EXPECT_TRUE(decode_as<GroupMessage>(
                    R"({"type":"message","id":1,"ts":2,"from":"bot","text":"x","notice":true})", s)
                    .notice);
    EXPECT_TRUE(decode_as<PrivateMessage>(
                    R"({"type":"private","id":1,"ts":2,"from":"bot","to":"ann","text":"x","notice":true})", s)
                    .notice);
    EXPECT_TRUE(decode_as<Found>(
                    R"({"type":"found","id":1,"ts":2,"room":"#r","from":"bot","text":"x","notice":true})", s)
                    .notice);
    EXPECT_FALSE(decode_as<PrivateMessage>(R"({"type":"private","id":1,"ts":2,"from":"a","to":"b","text":"x"})", s)
                     .notice);
    Decoded d = decode_line(R"({"type":"say","text":"hi","notice":"yes"})", c);
    ASSERT_TRUE(std::holds_alternative<DecodeError>(d));
    EXPECT_EQ(std::get<DecodeError>(d).code, err::kBadField);
}

// A member's "op" and "voice" (added after version 1) are on the wire only when true, and each is
// read without the other.
TEST(CodecOptionalFields, OpAndVoiceOnlyWhenTrue) {
    UserList u;
    u.room = "#r";
    u.users = {{"ann", false}};
    EXPECT_EQ(encode(u).find("voice"), std::string::npos);
    EXPECT_EQ(encode(u).find("\"op\""), std::string::npos);
    const auto s = Direction::ServerToClient;
    const UserList got = decode_as<UserList>(
        R"({"type":"users","room":"#r","users":[{"nick":"ann","ignoring":false,"voice":true},)"
        R"({"nick":"bob","ignoring":false,"op":true},{"nick":"cyd","ignoring":false}],"more":false})",
        s);
    ASSERT_EQ(got.users.size(), 3u);
    EXPECT_TRUE(got.users[0].voice);
    EXPECT_FALSE(got.users[0].op);
    EXPECT_TRUE(got.users[1].op);
    EXPECT_FALSE(got.users[1].voice);
    EXPECT_FALSE(got.users[2].op || got.users[2].voice);
}
