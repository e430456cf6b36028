// Impersonation against the real natterd: with some people online, nobody can log in or rename
// to a nickname that differs from theirs only in case, or that looks like it (letters of another
// script, digits for letters, katakana for kanji), and nicknames that mix scripts or carry
// invisible characters are refused outright. Distinct nicknames still get in.
#include "hostile_support.h"

using namespace natter;
using namespace natter::itest;

namespace {

// Logs in as `nick` on a fresh connection; the error code, or "" if it was accepted.
std::string try_login(std::uint16_t port, const std::string& nick) {
    WireClient c(port);
    if (c.login(nick)) return "";
    return c.last_error() ? c.last_error()->code : "no answer";
}

// Logs in as a fresh `eve<n>` and asks to be renamed to `nick`; the error code, or "".
std::string try_rename(std::uint16_t port, const std::string& nick, int n) {
    WireClient c(port);
    if (!c.login("eve" + std::to_string(n))) return "login failed";
    ChangeNick m;
    m.nick = nick;
    c.send(m);
    for (;;) {
        auto got = c.receive(5000ms);
        if (!got) return "no answer";
        if (auto* e = std::get_if<Error>(&*got)) return e->code;
        if (auto* r = std::get_if<Renamed>(&*got); r && r->to == nick) return "";
    }
}

}  // namespace

TEST(HostileImpersonation, LookAlikeNicknamesAreRefused) {
    NatterdProcess natterd;
    Bystanders bystanders(natterd);
    const long rss_before = natterd.rss_kib();
    std::vector<std::unique_ptr<WireClient>> owners;
    for (const char* nick : {"Max", "nico", "Ivan", "\u30ED\u30C3\u30AF", "Hanna", "bob", "paypal"})
        owners.push_back(join(natterd.port(), nick));

    // Taken: the same name in another case, or one that looks the same.
    const std::vector<std::pair<std::string, const char*>> lookalikes = {
        {"MAX", "case"},
        {"max", "case"},
        {"\u039C\u0391\u03A7", "Greek capitals"},
        {"\u03BC\u03B1\u03C7", "Greek small letters"},
        {"NICO", "case"},
        {"n1co", "digit for letter"},
        {"nic0", "digit for letter"},
        {"\u039D\u0399\u03F9\u039F", "Greek capitals with a lunate sigma"},
        {"lvan", "l for I"},
        {"IVAN", "case"},
        {"\u01C0van", "Latin dental click for I"},
        {"\u0131van", "dotless i"},
        {"\u0196van", "Latin iota"},
        {"\u53E3\u30C3\u30AF", "kanji for katakana"},
        {"\u0397\u0391\u039D\u039D\u0391", "Greek capitals"},
        {"HANNA", "case"},
        {"b0b", "digit for letter"},
        {"BOB", "case"},
        {"\u0440\u0430\u0443\u0440\u0430\u04CF", "all Cyrillic"},
    };
    int n = 0;
    for (const auto& [nick, how] : lookalikes) {
        EXPECT_EQ(try_login(natterd.port(), nick), err::kNickTaken) << how << ": " << nick;
        EXPECT_EQ(try_rename(natterd.port(), nick, n++), err::kNickTaken) << "rename, " << how << ": " << nick;
    }
    // Refused outright: mixed scripts, invisible, combining, spaces.
    const std::vector<std::pair<std::string, const char*>> invalid = {
        {"\u041Cax", "Cyrillic M with Latin"},
        {"n\u0456co", "Cyrillic i with Latin"},
        {"p\u0430ypal", "Cyrillic a with Latin"},
        {"bob\u200b", "zero-width space"},
        {"b\u202eob", "right-to-left override"},
        {"bo\u0301b", "combining accent"},
        {"\u2066bob\u2069", "isolates"},
        {"bob ", "trailing space"},
        {"\u3164bob", "Hangul filler"},
    };
    for (const auto& [nick, how] : invalid) {
        EXPECT_EQ(try_login(natterd.port(), nick), err::kNickInvalid) << how;
        EXPECT_EQ(try_rename(natterd.port(), nick, n++), err::kNickInvalid) << "rename, " << how;
    }
    // Different people with similar names are fine.
    for (const char* nick : {"maxi", "nicola", "Iva", "Jos\u00E9", "\u30ED\u30C3\u30AF\u30B9", "hannah", "bobby"})
        EXPECT_EQ(try_login(natterd.port(), nick), "") << nick;

    // Nobody was renamed to a look-alike while the bystanders watched.
    const RoundTrips trips = bystanders.stop();
    for (const Message& m : bystanders.received())
        if (auto* r = std::get_if<Renamed>(&m)) ADD_FAILURE() << r->from << " was renamed to " << r->to;
    expect_unharmed(natterd, trips, rss_before, bystanders.peak_rss_kib(), 4 * 1024, "impersonation",
                    std::to_string(lookalikes.size()) + " look-alikes refused as taken and " +
                        std::to_string(invalid.size()) + " invalid nicknames refused, at login and as renames");
    expect_clean_exit(natterd);
}
