// Text rules: UTF-8, chat text, the nickname rule and its spoof-proof skeleton, terminal safety.
#include "shared/text.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cwctype>

#include "shared/protocol.h"

using namespace natter;
using namespace natter::text;

TEST(Utf8, ValidatesStrictly) {
    EXPECT_TRUE(valid_utf8("plain ascii"));
    EXPECT_TRUE(valid_utf8("中文 日本語 😀 é"));
    EXPECT_FALSE(valid_utf8("\xff"));
    EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong
    EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(valid_utf8("\xe4\xb8"));          // truncated
    EXPECT_FALSE(valid_utf8("a\x80" "b"));         // stray continuation
    EXPECT_EQ(codepoint_count("a中😀"), 3u);
}

TEST(Utf8, AppendRoundTrips) {
    for (char32_t cp : {U'a', U'\u00e9', U'\u4e2d', U'\U0001F600'}) {
        std::string s;
        append_utf8(s, cp);
        std::size_t i = 0;
        EXPECT_EQ(decode_one(s, i), cp);
        EXPECT_EQ(i, s.size());
    }
}

TEST(ChatText, Rules) {
    EXPECT_FALSE(text_problem("hello"));
    EXPECT_FALSE(text_problem("line one\nline two\twith tab"));
    EXPECT_FALSE(text_problem("مرحبا \u200f שלום"));  // format characters allowed in text
    EXPECT_TRUE(text_problem(""));
    EXPECT_TRUE(text_problem("   \n "));
    EXPECT_TRUE(text_problem("bell\a"));
    EXPECT_TRUE(text_problem("esc\x1b[2J"));
    EXPECT_TRUE(text_problem("c1\xc2\x9b" "31m"));
    EXPECT_TRUE(text_problem("del\x7f"));
    EXPECT_TRUE(text_problem("\xff"));
    EXPECT_TRUE(text_problem(std::string(kMaxTextBytes + 1, 'a')));
    EXPECT_FALSE(text_problem(std::string(kMaxTextBytes, 'a')));
}

TEST(Nick, AcceptsOneScriptNicknames) {
    for (const char* ok : {"alice", "Bob_2", "_under", "x", "渡辺", "张伟", "さくら", "ゆうき太郎",
                           "Ёлка", "Δημήτρης", "김민수", "José", "a.b-c", "ราตรี", "नमस्ते"})
        EXPECT_FALSE(nick_problem(ok)) << ok << ": " << *nick_problem(ok);
    EXPECT_FALSE(nick_problem(std::string(kMaxNickCodepoints, 'a')));
    std::string cjk;
    for (std::size_t i = 0; i < kMaxNickCodepoints; ++i) cjk += "中";
    EXPECT_FALSE(nick_problem(cjk));
}

TEST(Nick, RefusesInvisibleControlAndMixedNicknames) {
    EXPECT_TRUE(nick_problem(""));
    EXPECT_TRUE(nick_problem(std::string(kMaxNickCodepoints + 1, 'a')));
    EXPECT_TRUE(nick_problem("two words"));
    EXPECT_TRUE(nick_problem("tab\tbed"));
    EXPECT_TRUE(nick_problem("esc\x1b[31m"));
    EXPECT_TRUE(nick_problem("bell\a"));
    EXPECT_TRUE(nick_problem(std::string("nul\0x", 5)));
    EXPECT_TRUE(nick_problem("zero\u200bwidth"));
    EXPECT_TRUE(nick_problem("rtl\u202eevil"));
    EXPECT_TRUE(nick_problem("iso\u2066late"));
    EXPECT_TRUE(nick_problem("bom\ufeff"));
    EXPECT_TRUE(nick_problem("e\u0301"));                // combining accent
    EXPECT_TRUE(nick_problem("\u0301"));                 // combining only
    EXPECT_TRUE(nick_problem("p\u0430ypal"));            // Cyrillic а among Latin letters
    EXPECT_TRUE(nick_problem("Αlice"));                  // Greek Alpha + Latin
    EXPECT_TRUE(nick_problem("中a"));
    EXPECT_TRUE(nick_problem("1abc"));                   // must start with a letter or _
    EXPECT_TRUE(nick_problem("-dash"));
    EXPECT_TRUE(nick_problem("@op"));
    EXPECT_TRUE(nick_problem("a:b"));
    EXPECT_TRUE(nick_problem("\xff"));
    EXPECT_TRUE(nick_problem("smile😀"));
    EXPECT_TRUE(nick_problem("full\u3000width"));        // ideographic space
}

TEST(Nick, CaseAndLookalikesShareASkeleton) {
    EXPECT_EQ(fold_case("BoB"), "bob");
    EXPECT_EQ(fold_case("ÉLODIE"), "élodie");
    EXPECT_EQ(fold_case("ЁЛКА"), "ёлка");
    EXPECT_EQ(fold_case("ΔΗΜΉΤΡΗΣ"), fold_case("δημήτρησ"));
    EXPECT_EQ(nick_skeleton("Bob"), nick_skeleton("bob"));
    // Whole-script Cyrillic "аре" passes the one-script rule but cannot pose as Latin "ape".
    EXPECT_FALSE(nick_problem("\u0430\u0440\u0435"));
    EXPECT_EQ(nick_skeleton("\u0430\u0440\u0435"), nick_skeleton("ape"));
    EXPECT_EQ(nick_skeleton("\u0421\u041e\u0420\u0415"), nick_skeleton("cope"));  // СОРЕ
    EXPECT_EQ(nick_skeleton("ΚΟΑ"), nick_skeleton("koa"));
    EXPECT_EQ(nick_skeleton("b0b"), nick_skeleton("bob"));
    EXPECT_EQ(nick_skeleton("Ivan"), nick_skeleton("lvan"));
    EXPECT_EQ(nick_skeleton("modern"), nick_skeleton("rnodern"));
    EXPECT_NE(nick_skeleton("alice"), nick_skeleton("alicia"));
    EXPECT_NE(nick_skeleton("渡辺"), nick_skeleton("渡边"));
}

// Case-insensitive means every case pair a nickname can hold, not just ASCII: checked against the
// C library's Unicode tables for every code point the rule admits. (Before, "\u0226lice" and
// "\u0227lice", or "\u03E2" and "\u03E3", could be online at once.)
TEST(Nick, FoldingCoversEveryCasePairTheRuleAdmits) {
    ASSERT_TRUE(std::setlocale(LC_CTYPE, "C.UTF-8"));
    int pairs = 0;
    for (char32_t cp = 0x41; cp < 0x30000; ++cp) {
        std::string a = "_";
        append_utf8(a, cp);
        if (nick_problem(a)) continue;
        for (const auto other : {static_cast<char32_t>(std::towlower(static_cast<wint_t>(cp))),
                                 static_cast<char32_t>(std::towupper(static_cast<wint_t>(cp)))}) {
            if (other == cp) continue;
            std::string b = "_";
            append_utf8(b, other);
            if (nick_problem(b)) continue;
            ++pairs;
            ASSERT_EQ(fold_case(a), fold_case(b)) << std::hex << "U+" << static_cast<unsigned>(cp) << " and U+"
                                                  << static_cast<unsigned>(other) << " fold apart";
            // Folding is idempotent, and the skeleton (the uniqueness key) follows the fold.
            ASSERT_EQ(fold_case(fold_case(a)), fold_case(a));
            ASSERT_EQ(nick_skeleton(a), nick_skeleton(b));
        }
    }
    EXPECT_GT(pairs, 1000);
    EXPECT_EQ(fold_case("\u0226lice"), fold_case("\u0227lice"));  // Ȧ ȧ
    EXPECT_EQ(fold_case("\u01C4"), fold_case("\u01C5"));          // Ǆ ǅ
    EXPECT_EQ(fold_case("\u1E9E"), fold_case("\u00DF"));          // ẞ ß
    EXPECT_EQ(fold_case("\u017Fam"), "sam");                      // long s
    EXPECT_EQ(fold_case("\u0130van"), fold_case("ivan"));         // dotted capital I
}

// Confusables the skeleton catches beyond the first list: Greek capitals drawn exactly as Latin
// ones, Armenian letters, Latin oddities, katakana drawn as kanji or hiragana. (Escapes, so the
// reader sees which script each letter is from.)
TEST(Nick, MoreLookalikesShareASkeleton) {
    for (const char* greek : {"\u039D\u0399\u039A\u039F", "\u03BD\u03B9\u03BA\u03BF"})  // ΝΙΚΟ, νικο
        EXPECT_EQ(nick_skeleton(greek), nick_skeleton("NIKO")) << greek;
    EXPECT_EQ(nick_skeleton("\u039C\u0391\u03A7"), nick_skeleton("max"));                // ΜΑΧ
    EXPECT_EQ(nick_skeleton("\u0397\u0391\u039D\u039D\u0391"), nick_skeleton("Hanna"));  // ΗΑΝΝΑ
    EXPECT_EQ(nick_skeleton("\u03A4\u03A5\u03A1\u0395"), nick_skeleton("type"));         // ΤΥΡΕ
    EXPECT_EQ(nick_skeleton("\u039D\u0399\u03F9\u039F"), nick_skeleton("nico"));         // ΝΙϹΟ
    EXPECT_FALSE(nick_problem("\u0585\u057D"));                                          // Armenian օս
    EXPECT_EQ(nick_skeleton("\u0585\u057D"), nick_skeleton("ou"));
    EXPECT_EQ(nick_skeleton("\u0555\u054D"), nick_skeleton("OU"));                       // Օ Ս capitals
    EXPECT_FALSE(nick_problem("\u01C0van"));                                             // ǀvan
    EXPECT_EQ(nick_skeleton("\u01C0van"), nick_skeleton("Ivan"));
    EXPECT_EQ(nick_skeleton("\u0196van"), nick_skeleton("Ivan"));                        // Ɩvan
    EXPECT_EQ(nick_skeleton("\u0131van"), nick_skeleton("ivan"));                        // ıvan
    EXPECT_EQ(nick_skeleton("\u30ED\u30C3\u30AF"), nick_skeleton("\u53E3\u30C3\u30AF")); // ロック, 口ック
    EXPECT_EQ(nick_skeleton("\u30D8\u30F3"), nick_skeleton("\u3078\u30F3"));             // ヘン, へン
    EXPECT_EQ(nick_skeleton("\u30A8\u30CB"), nick_skeleton("\u5DE5\u4E8C"));             // エニ, 工二
    // Still apart: different letters, and the same letter with and without an accent.
    EXPECT_NE(nick_skeleton("max"), nick_skeleton("nax"));
    EXPECT_NE(nick_skeleton("jose"), nick_skeleton("jos\u00E9"));
    EXPECT_NE(nick_skeleton("\u6E21\u8FBA"), nick_skeleton("\u6E21\u8FBB"));
}

TEST(Terminal, NeutralisesEverythingATerminalWouldObey) {
    const std::string hostile = "\x1b]0;title\x07\x1b[2J\r\b\x9b" "31m\x7f\t\u202e\u200b\xff end";
    const std::string safe = sanitize_for_terminal(hostile);
    for (unsigned char c : safe) {
        EXPECT_FALSE(c < 0x20 || c == 0x7f) << "raw control byte " << int(c);
    }
    EXPECT_TRUE(valid_utf8(safe));
    EXPECT_EQ(safe.find("\xc2\x9b"), std::string::npos);        // C1 CSI gone
    EXPECT_EQ(safe.find("\u202e"), std::string::npos);          // bidi override gone
    EXPECT_NE(safe.find("\u241b]0;title"), std::string::npos);  // ESC visible as ␛
    EXPECT_NE(safe.find(" end"), std::string::npos);
    EXPECT_EQ(sanitize_for_terminal("中文 ok"), "中文 ok");
}
