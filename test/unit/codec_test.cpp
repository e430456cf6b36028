// The codec: every message round-trips; bytes in any pieces; every bad input is a clear error.
#include "shared/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace natter;

namespace {

Message roundtrip(const Message& m, Direction d) {
    std::string line = encode(m);
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one frame is one line: " << line;
    line.pop_back();
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) {
        ADD_FAILURE() << "decode failed: " << e->code << " " << e->text << " for " << line;
        return m;
    }
    return std::get<Message>(got);
}

DecodeError decode_error(std::string_view line, Direction d = Direction::ClientToServer) {
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) return *e;
    ADD_FAILURE() << "expected an error for: " << line;
    return {};
}

template <class T>
T decode_as(std::string_view line, Direction d = Direction::ClientToServer) {
    Decoded got = decode_line(line, d);
    if (auto* e = std::get_if<DecodeError>(&got)) {
        ADD_FAILURE() << e->code << ": " << e->text;
        return T{};
    }
    const Message& m = std::get<Message>(got);
    if (!std::holds_alternative<T>(m)) {
        ADD_FAILURE() << "wrong type " << type_name(m);
        return T{};
    }
    return std::get<T>(m);
}

}  // namespace

TEST(Codec, ClientMessagesRoundTrip) {
    const auto c = Direction::ClientToServer;
    EXPECT_EQ(std::get<Hello>(roundtrip(Hello{"渡辺", 1}, c)).nick, "渡辺");
    EXPECT_EQ(std::get<Say>(roundtrip(Say{"hi \"there\"\nline2 \\ ☃"}, c)).text, "hi \"there\"\nline2 \\ ☃");
    auto t = std::get<Tell>(roundtrip(Tell{"bob", "psst"}, c));
    EXPECT_EQ(t.to, "bob");
    EXPECT_EQ(t.text, "psst");
    EXPECT_EQ(std::get<Me>(roundtrip(Me{"waves"}, c)).text, "waves");
    EXPECT_EQ(std::get<ChangeNick>(roundtrip(ChangeNick{"carol"}, c)).nick, "carol");
    EXPECT_TRUE(std::holds_alternative<Who>(roundtrip(Who{}, c)));
    EXPECT_TRUE(std::get<SetIgnore>(roundtrip(SetIgnore{true}, c)).on);
    EXPECT_TRUE(std::holds_alternative<HelpRequest>(roundtrip(HelpRequest{}, c)));
    EXPECT_EQ(std::get<Quit>(roundtrip(Quit{"bye all"}, c)).reason, "bye all");
    EXPECT_EQ(std::get<Ping>(roundtrip(Ping{"t1"}, c)).token, "t1");
    EXPECT_EQ(std::get<Pong>(roundtrip(Pong{"t2"}, c)).token, "t2");
}

TEST(Codec, ServerMessagesRoundTrip) {
    const auto s = Direction::ServerToClient;
    auto w = std::get<Welcome>(roundtrip(Welcome{"ann", "natterd 1.0", "hello", 1}, s));
    EXPECT_EQ(w.nick, "ann");
    EXPECT_EQ(w.motd, "hello");
    auto e = std::get<Error>(roundtrip(Error{err::kNickTaken, "taken"}, s));
    EXPECT_EQ(e.code, "nick_taken");
    auto g = std::get<GroupMessage>(roundtrip(GroupMessage{42, 1700000000123ull, "ann", "hi"}, s));
    EXPECT_EQ(g.id, 42u);
    EXPECT_EQ(g.ts, 1700000000123ull);
    auto p = std::get<PrivateMessage>(roundtrip(PrivateMessage{1, 2, "a", "b", "x"}, s));
    EXPECT_EQ(p.to, "b");
    EXPECT_EQ(std::get<Action>(roundtrip(Action{3, 4, "a", "dances"}, s)).text, "dances");
    UserList ul{{{"ann", false}, {"bob", true}}, true};
    auto ul2 = std::get<UserList>(roundtrip(ul, s));
    EXPECT_EQ(ul2.users, ul.users);
    EXPECT_TRUE(ul2.more);
    EXPECT_TRUE(std::get<UserList>(roundtrip(UserList{}, s)).users.empty());
    EXPECT_TRUE(std::get<IgnoreState>(roundtrip(IgnoreState{true}, s)).on);
    HelpAnswer h{{{"ls", "/ls", "who is online"}}};
    EXPECT_EQ(std::get<HelpAnswer>(roundtrip(h, s)).commands, h.commands);
    EXPECT_EQ(std::get<Joined>(roundtrip(Joined{5, "ann"}, s)).nick, "ann");
    auto l = std::get<Left>(roundtrip(Left{5, "ann", "timeout"}, s));
    EXPECT_EQ(l.reason, "timeout");
    auto r = std::get<Renamed>(roundtrip(Renamed{5, "ann", "anne"}, s));
    EXPECT_EQ(r.from, "ann");
    EXPECT_EQ(r.to, "anne");
    EXPECT_TRUE(std::get<IgnoreChanged>(roundtrip(IgnoreChanged{5, "ann", true}, s)).on);
    EXPECT_EQ(std::get<Bye>(roundtrip(Bye{"shutting down"}, s)).reason, "shutting down");
    EXPECT_EQ(std::get<Ping>(roundtrip(Ping{"k"}, s)).token, "k");
}

TEST(Codec, EncodesCompactJson) {
    EXPECT_EQ(encode(Say{"hi"}), "{\"type\": \"say\",\"room\": \"#lobby\",\"text\": \"hi\"}\n");
}

TEST(Codec, AcceptsHandWrittenJsonInAnyOrderWithOptionalFields) {
    auto h = decode_as<Hello>(R"({ "nick" : "ann", "type":"hello" })");
    EXPECT_EQ(h.nick, "ann");
    EXPECT_EQ(h.version, kProtocolVersion);
    EXPECT_EQ(decode_as<Quit>(R"({"type":"quit"})").reason, "");
    EXPECT_EQ(decode_as<Say>(R"({"type":"say","text":"caf\u00e9 \ud83d\ude00","extra":1})").text,
              "café 😀");
}

TEST(Codec, DirectionDecidesWhichTypesExist) {
    EXPECT_EQ(decode_error(R"({"type":"welcome","nick":"a","server":"s","motd":"m","version":1})").code,
              err::kUnknownType);
    EXPECT_EQ(decode_error(R"({"type":"say","text":"x"})", Direction::ServerToClient).code,
              err::kUnknownType);
    // "help" is a request one way and an answer the other.
    decode_as<HelpRequest>(R"({"type":"help"})");
    decode_as<HelpAnswer>(R"({"type":"help","commands":[]})", Direction::ServerToClient);
}

TEST(Codec, BadInputsGetClearErrors) {
    EXPECT_EQ(decode_error("").code, err::kBadJson);
    EXPECT_EQ(decode_error("hello").code, err::kBadJson);
    EXPECT_EQ(decode_error("{\"type\":\"say\"").code, err::kBadJson);
    EXPECT_EQ(decode_error("[1,2]").code, err::kBadJson);
    EXPECT_EQ(decode_error("42").code, err::kBadJson);
    EXPECT_EQ(decode_error("{\"type\":\"say\",\"text\":\"x\"} trailing").code, err::kBadJson);
    EXPECT_EQ(decode_error("{}").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":5})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"dance"})").code, err::kUnknownType);
    auto missing = decode_error(R"({"type":"say"})");
    EXPECT_EQ(missing.code, err::kBadField);
    EXPECT_NE(missing.text.find("text"), std::string::npos) << missing.text;
    EXPECT_EQ(decode_error(R"({"type":"say","text":5})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"say","text":["a"]})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"say","text":{"a":1}})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"ignore","on":"yes"})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"hello","nick":"a","version":"1"})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"users","users":"x"})", Direction::ServerToClient).code,
              err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"users","users":[1]})", Direction::ServerToClient).code,
              err::kBadField);
}

TEST(Codec, RefusesInvalidUtf8AndNul) {
    EXPECT_EQ(decode_error("{\"type\":\"say\",\"text\":\"\xff\"}").code, err::kBadUtf8);
    EXPECT_EQ(decode_error("{\"type\":\"say\",\"text\":\"\xc0\xaf\"}").code, err::kBadUtf8);  // overlong
    EXPECT_EQ(decode_error("{\"type\":\"say\",\"text\":\"\xed\xa0\x80\"}").code, err::kBadUtf8);  // surrogate
    EXPECT_EQ(decode_error(R"({"type":"say","text":"a\u0000b"})").code, err::kBadUtf8);
    EXPECT_EQ(decode_error(std::string("{\"type\":\"say\",\"text\":\"a\0b\"}", 26)).code, err::kBadUtf8);
    // A lone low surrogate escape decodes to invalid UTF-8 inside RapidJSON.
    EXPECT_EQ(decode_error(R"({"type":"say","text":"\udc00"})").code, err::kBadUtf8);
    // A lone high surrogate is refused by the parser itself.
    EXPECT_NE(decode_error(R"({"type":"say","text":"\ud800"})").code, "");
    // An escaped backslash followed by u0000 is ordinary text.
    EXPECT_EQ(decode_as<Say>(R"({"type":"say","text":"\\u0000"})").text, "\\u0000");
}

TEST(Codec, NumbersThatTrippedTheFloatParser) {
    // Found by the fuzzer: full-precision float parsing in RapidJSON hit undefined behaviour.
    EXPECT_EQ(decode_error(R"({"type":0e77})").code, err::kBadField);
    EXPECT_EQ(decode_error(R"({"type":"say","text":1e400})").code, err::kBadJson);  // out of range
    EXPECT_EQ(decode_error(R"({"type":"ignore","on":-0.0e-999})").code, err::kBadField);
}

TEST(Codec, DeepNestingDoesNotOverflowTheStack) {
    std::string deep = "{\"type\":\"say\",\"text\":\"x\",\"n\":" + std::string(kMaxFrameBytes / 2 - 40, '[') + "}";
    EXPECT_EQ(decode_error(deep).code, err::kBadJson);
    std::string deeper(100000, '[');  // beyond the frame limit: refused without parsing
    EXPECT_EQ(decode_error(deeper).code, err::kFrameTooLong);
}

TEST(Codec, OversizedLineRefusedBeforeParsing) {
    std::string line = "{\"type\":\"say\",\"text\":\"" + std::string(kMaxFrameBytes, 'a') + "\"}";
    EXPECT_EQ(decode_error(line).code, err::kFrameTooLong);
}

TEST(LineFramer, ByteByByte) {
    LineFramer f;
    std::string stream = encode(Say{"one"}) + encode(Say{"two"});
    std::vector<std::string> lines;
    for (char c : stream) {
        f.feed(std::string_view(&c, 1));
        std::string_view line;
        while (f.next(line) == LineFramer::Status::Line) lines.emplace_back(line);
    }
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(std::get<Say>(std::get<Message>(decode_line(lines[1], Direction::ClientToServer))).text, "two");
    EXPECT_EQ(f.buffered(), 0u);
}

TEST(LineFramer, ManyLinesInOneReadAndCrLf) {
    LineFramer f;
    f.feed("a\r\nb\n\nc");
    std::string_view line;
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "a");
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "b");
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "");
    EXPECT_EQ(f.next(line), LineFramer::Status::NeedMore);
    f.feed("d\n");
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "cd");
}

TEST(LineFramer, OversizedLineReportedOnceAndMemoryBounded) {
    LineFramer f(100);
    std::string_view line;
    std::string chunk(64, 'x');
    int too_long = 0;
    for (int i = 0; i < 10000; ++i) {  // 640 KB without a newline
        f.feed(chunk);
        while (true) {
            auto st = f.next(line);
            if (st == LineFramer::Status::TooLong) ++too_long;
            if (st != LineFramer::Status::Line && st != LineFramer::Status::TooLong) break;
        }
        ASSERT_LE(f.buffered(), 200u);
    }
    EXPECT_EQ(too_long, 1);
    f.feed("tail\nnext\n");
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "next");
}

TEST(LineFramer, CompleteButOversizedLineInOneRead) {
    LineFramer f(10);
    f.feed(std::string(50, 'y') + "\nok\n");
    std::string_view line;
    EXPECT_EQ(f.next(line), LineFramer::Status::TooLong);
    ASSERT_EQ(f.next(line), LineFramer::Status::Line);
    EXPECT_EQ(line, "ok");
}
