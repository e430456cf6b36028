// natter-bench's byte-level scanning agrees with the shared codec on everything the codec writes,
// and is not fooled by message content.
#include "bench/wire_scan.h"

#include <gtest/gtest.h>

#include "shared/codec.h"
#include "shared/text.h"

using namespace natter;
using namespace natter::bench;

namespace {
std::string line_of(const Message& m) {
    std::string s = encode(m);
    s.pop_back();  // the newline
    return s;
}
}  // namespace

TEST(WireScan, ClassifiesEveryServerLineTheCodecWrites) {
    EXPECT_EQ(line_type(line_of(GroupMessage{1, 2, "bob", "hi"})), LineType::Message);
    EXPECT_EQ(line_type(line_of(Joined{1, "bob"})), LineType::Joined);
    EXPECT_EQ(line_type(line_of(Left{1, "bob", "quit"})), LineType::Left);
    EXPECT_EQ(line_type(line_of(UserList{{{"a", false}}, true})), LineType::Users);
    EXPECT_EQ(line_type(line_of(Welcome{"bob", "natterd", "hi", 1})), LineType::Welcome);
    EXPECT_EQ(line_type(line_of(Error{"bad_text", "no"})), LineType::Error);
    EXPECT_EQ(line_type(line_of(Ping{"t"})), LineType::Ping);
    EXPECT_EQ(line_type(line_of(Bye{"x"})), LineType::Bye);
    EXPECT_EQ(line_type(line_of(Renamed{1, "a", "b"})), LineType::Other);
    EXPECT_EQ(line_type(line_of(Action{1, 2, "bob", "waves"})), LineType::Other);
}

TEST(WireScan, ClassifiesCompactAndReorderedJson) {
    EXPECT_EQ(line_type(R"({"type":"message","text":"x"})"), LineType::Message);
    EXPECT_EQ(line_type(R"({"id":3, "type" : "joined"})"), LineType::Joined);
    EXPECT_EQ(line_type(R"({"text":"x"})"), LineType::Other);
    EXPECT_EQ(line_type(""), LineType::Other);
    EXPECT_EQ(line_type(R"({"type":)"), LineType::Other);
    EXPECT_EQ(line_type(R"({"type":"mess)"), LineType::Other);
}

TEST(WireScan, TextCannotForgeTheType) {
    // A text holding `"type": "message"` is escaped on the wire, so it is not a key.
    const std::string forged = line_of(Action{1, 2, "bob", "\"type\": \"message\""});
    EXPECT_EQ(line_type(R"({"text": "\"type\": \"message\"", "type": "action"})"), LineType::Other);
    EXPECT_EQ(line_type(forged), LineType::Other);
}

TEST(WireScan, SayLineIsASayTheCodecReads) {
    // Not byte for byte the encoder's output (optional fields such as the room are left to their
    // defaults), but exactly that say once decoded, as natterd decodes it.
    const Stamp s{123456789012345ull, 7, 42};
    for (std::size_t len : {0u, 10u, 64u, 300u}) {
        const std::string text = stamp_text(s, len);
        std::string line = say_line(s, len);
        ASSERT_EQ(line.back(), '\n');
        EXPECT_EQ(line.find('\n'), line.size() - 1);
        line.pop_back();
        const Decoded d = decode_line(line, Direction::ClientToServer);
        ASSERT_TRUE(std::holds_alternative<Message>(d)) << std::get<DecodeError>(d).text;
        const Message& m = std::get<Message>(d);
        ASSERT_TRUE(std::holds_alternative<Say>(m));
        EXPECT_EQ(std::get<Say>(m).text, text);
        EXPECT_EQ(std::get<Say>(m).room, Say{}.room) << "the default room, as a say without one";
        if (len > 30) {
            EXPECT_EQ(text.size(), len);
        }
        EXPECT_FALSE(text::text_problem(text).has_value()) << "natterd would refuse it";
    }
    std::string batch;
    append_say_line(batch, s, 64);
    append_say_line(batch, s, 64);
    EXPECT_EQ(batch, say_line(s, 64) + say_line(s, 64));
}

TEST(WireScan, FindsTheStampInAMessageLine) {
    const Stamp s{987654321, 3, 17};
    const auto got = find_stamp(line_of(GroupMessage{5, 1700000000000ull, "nb3", stamp_text(s, 64)}));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->send_ns, s.send_ns);
    EXPECT_EQ(got->sender, s.sender);
    EXPECT_EQ(got->seq, s.seq);
}

TEST(WireScan, NoStampWhereThereIsNone) {
    EXPECT_FALSE(find_stamp(line_of(GroupMessage{5, 1, "nb3", "hello nb|1|2|3|"})));  // not at the start
    EXPECT_FALSE(find_stamp(line_of(GroupMessage{5, 1, "nb3", "nb|12|x|3|"})));
    EXPECT_FALSE(find_stamp(line_of(GroupMessage{5, 1, "nb3", "nb|12|3"})));
    EXPECT_FALSE(find_stamp(line_of(GroupMessage{5, 1, "nb3", "nb|99999999999999999999999|3|4|"})));
    EXPECT_FALSE(find_stamp(""));
}

TEST(WireScan, UsersMore) {
    EXPECT_TRUE(users_more(line_of(UserList{{{"a", false}}, true})));
    EXPECT_FALSE(users_more(line_of(UserList{{{"a", false}}, false})));
    EXPECT_FALSE(users_more(R"({"type":"users","users":[]})"));
    EXPECT_TRUE(users_more(R"({"type":"users","more":true,"users":[]})"));
}

TEST(WireScan, RawStringFieldKeepsEscapes) {
    EXPECT_EQ(raw_string_field(line_of(Ping{"a\"b"}), "token").value_or(""), "\"a\\\"b\"");
    EXPECT_EQ(raw_string_field(R"({"type":"ping","token":"t1"})", "token").value_or(""), "\"t1\"");
    EXPECT_FALSE(raw_string_field(R"({"type":"ping"})", "token"));
    EXPECT_FALSE(raw_string_field(R"({"type":"ping","token":5})", "token"));
    EXPECT_FALSE(raw_string_field(R"({"type":"ping","token":"open)", "token"));
    // The pong natter-bench builds from it decodes to the same token.
    const std::string pong = std::string("{\"type\": \"pong\",\"token\": ") +
                             std::string(*raw_string_field(line_of(Ping{"x\\y"}), "token")) + "}";
    const auto d = decode_line(pong, Direction::ClientToServer);
    ASSERT_TRUE(std::holds_alternative<Message>(d));
    EXPECT_EQ(std::get<Pong>(std::get<Message>(d)).token, "x\\y");
}
