// The optional "total" of a user list: sent only when set, read when present, absent is zero.
#include <gtest/gtest.h>

#include "shared/codec.h"

using namespace natter;

namespace {

UserList decode_users(const std::string& line) {
    Decoded d = decode_line(line, Direction::ServerToClient);
    const Message* m = std::get_if<Message>(&d);
    EXPECT_NE(m, nullptr) << line;
    if (m == nullptr || !std::holds_alternative<UserList>(*m)) return {};
    return std::get<UserList>(*m);
}

}  // namespace

TEST(CodecUserListTotal, RoundTripsWhenSet) {
    UserList u;
    u.users = {{"alice", false}, {"bob", true}};
    u.total = 1234;
    const std::string line = encode(u);
    EXPECT_NE(line.find("\"total\": 1234"), std::string::npos) << line;
    UserList back = decode_users(line.substr(0, line.size() - 1));
    EXPECT_EQ(back.users, u.users);
    EXPECT_EQ(back.total, 1234u);
}

TEST(CodecUserListTotal, AbsentWhenZeroAndReadAsZero) {
    UserList u;
    u.users = {{"alice", false}};
    const std::string line = encode(u);
    EXPECT_EQ(line.find("total"), std::string::npos) << line;
    EXPECT_EQ(decode_users(R"({"type":"users","users":[{"nick":"a","ignoring":false}]})").total, 0u);
}

TEST(CodecUserListTotal, AWrongTypeIsABadField) {
    for (const char* line : {R"({"type":"users","users":[],"total":"many"})",
                             R"({"type":"users","users":[],"total":-1})"}) {
        Decoded d = decode_line(line, Direction::ServerToClient);
        const DecodeError* e = std::get_if<DecodeError>(&d);
        ASSERT_NE(e, nullptr) << line;
        EXPECT_EQ(e->code, err::kBadField) << line;
    }
}
