// The server operators' file (--irc-oper-file): what is accepted, what is refused and why.
#include "server/oper_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace natter::server;

namespace {

std::string refusal(std::string_view text) {
    auto r = parse_oper_file(text);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string("(accepted)");
}

// A file with `text` and `mode` in a fresh directory; removed with the directory by the caller.
std::string write_file(const std::string& dir, const std::string& text, mode_t mode) {
    const std::string path = dir + "/opers";
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
}

TEST(OperFile, NamePasswordPerLineWithCommentsAndBlankLines) {
    auto r = parse_oper_file("# who may OPER\n\nalice  s3cr3t\r\n  bob\tpässwörd  \n");
    ASSERT_TRUE(std::holds_alternative<Opers>(r)) << std::get<std::string>(r);
    const Opers& o = std::get<Opers>(r);
    ASSERT_EQ(o.size(), 2u);
    EXPECT_EQ(o[0].name, "alice");
    EXPECT_EQ(o[0].password, "s3cr3t");
    EXPECT_EQ(o[1].name, "bob");
    EXPECT_EQ(o[1].password, "pässwörd");
}

TEST(OperFile, BadLinesAreNamed) {
    EXPECT_EQ(refusal("alice\n"), "line 1: wants a name and a password");
    EXPECT_NE(refusal("ok pw\nbad pass word\n").find("line 2"), std::string::npos);
    EXPECT_NE(refusal("al\x01ice pw\n").find("line 1"), std::string::npos);
    EXPECT_NE(refusal("alice \xFF\xFE\n").find("line 1"), std::string::npos);
    EXPECT_NE(refusal("alice " + std::string(129, 'p') + "\n").find("line 1"), std::string::npos);
    EXPECT_EQ(refusal("# nobody\n\n"), "no operator in it");
}

TEST(OperFile, OnlyItsOwnerMayReadIt) {
    char tmpl[] = "/tmp/natter-opers-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string dir = tmpl;
    std::string path = write_file(dir, "alice pw\n", 0600);
    auto ok = load_oper_file(path);
    ASSERT_TRUE(std::holds_alternative<Opers>(ok)) << std::get<std::string>(ok);
    EXPECT_EQ(std::get<Opers>(ok)[0].name, "alice");
    path = write_file(dir, "alice pw\n", 0644);
    auto shared = load_oper_file(path);
    ASSERT_TRUE(std::holds_alternative<std::string>(shared));
    EXPECT_NE(std::get<std::string>(shared).find("chmod 600"), std::string::npos);
    auto missing = load_oper_file(dir + "/none");
    ASSERT_TRUE(std::holds_alternative<std::string>(missing));
    EXPECT_NE(std::get<std::string>(missing).find("No such file"), std::string::npos);
    std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
