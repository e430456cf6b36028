// natterd's history when things go wrong: kill -9 and a restart lose nothing that was
// acknowledged; a full disk refuses messages (not_stored) without a crash and without anyone
// seeing what was not stored; and natterd refuses to start, with a clear message, on a data
// directory it cannot write, a damaged database, or one from a newer natterd.
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/natter-durability-XXXXXX";
        const char* d = ::mkdtemp(tmpl);
        EXPECT_NE(d, nullptr);
        path_ = d != nullptr ? d : "/tmp/natter-durability-failed";
    }
    ~TempDir() { (void)!std::system(("rm -rf '" + path_ + "'").c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// natterd started by hand, so the child can be changed before exec (a file-size limit, another
// user). Either it runs to its exit (`wait_exit`), or it prints its listening line (`port`).
class HandStarted {
public:
    HandStarted(const std::vector<std::string>& args, const std::function<void()>& in_child, const std::string& dir)
        : out_(dir + "/natterd.out"), err_(dir + "/natterd.err") {
        std::vector<std::string> argv_s{natter::testing::build_dir() + "/natterd", "--port", "0"};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
        pid_ = ::fork();
        if (pid_ == 0) {
            const int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            const int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            if (o < 0 || e < 0) ::_exit(126);
            ::dup2(o, 1);
            ::dup2(e, 2);
            in_child();
            std::vector<char*> argv;
            for (auto& s : argv_s) argv.push_back(s.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~HandStarted() {
        if (pid_ > 0 && status_ < 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    // The exit status (128 + signal), or -1 if it is still running after `timeout`.
    int wait_exit(std::chrono::milliseconds timeout = 10000ms) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) return -1;
            std::this_thread::sleep_for(5ms);
        }
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return status_;
    }
    // The port from the listening line, or 0 if natterd exits or says nothing within 10 s.
    std::uint16_t port() {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        const std::string marker = "natterd listening on ";
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string out = slurp(out_);
            const auto at = out.find(marker);
            if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
                const auto colon = out.rfind(':', out.find('\n', at));
                return static_cast<std::uint16_t>(std::stoi(out.substr(colon + 1)));
            }
            if (wait_exit(0ms) >= 0) return 0;
            std::this_thread::sleep_for(5ms);
        }
        return 0;
    }
    bool alive() { return status_ < 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
    std::string err() const { return slurp(err_); }

private:
    pid_t pid_ = -1;
    int status_ = -1;
    std::string out_, err_;
};

void no_change() {}

// Says `text` in #lobby; the echo (acknowledged) or the error code that came instead.
struct Outcome {
    std::optional<GroupMessage> echo;
    std::string error;
};
Outcome say_and_wait(WireClient& c, const std::string& text) {
    c.send(Say{text, kLobby});
    Outcome o;
    const bool got = receive_until(c, [&](const Message& m) {
        if (const auto* g = std::get_if<GroupMessage>(&m); g && !g->history && g->text == text) {
            o.echo = *g;
            return true;
        }
        if (const auto* e = std::get_if<Error>(&m)) {
            o.error = e->code;
            return true;
        }
        return false;
    }, 10000ms);
    EXPECT_TRUE(got) << "neither an echo nor an error for a say";
    return o;
}

// Every history message of #lobby, paging back to the first.
std::vector<GroupMessage> whole_history(WireClient& c) {
    std::vector<GroupMessage> all;
    std::uint64_t before = 0;
    for (int pages = 0; pages < 1000; ++pages) {
        c.send(HistoryRequest{kLobby, before, kMaxHistoryPage});
        std::vector<GroupMessage> page;
        HistoryEnd end;
        const bool done = receive_until(c, [&](const Message& m) {
            if (const auto* g = std::get_if<GroupMessage>(&m); g && g->history) page.push_back(*g);
            if (const auto* e = std::get_if<HistoryEnd>(&m); e && e->room == kLobby) {
                end = *e;
                return true;
            }
            return false;
        }, 10000ms);
        EXPECT_TRUE(done) << "no history_end";
        if (!done) break;
        all.insert(all.begin(), page.begin(), page.end());
        if (!end.more || page.empty()) break;
        before = page.front().id;
    }
    return all;
}

}  // namespace

TEST(HistoryDurability, KillNineAndRestartLoseNothingAcknowledged) {
    TempDir data;
    std::map<std::uint64_t, std::string> acknowledged;
    {
        NatterdProcess natterd({"--data", data.path(), "--no-flood-limit"});
        auto ann = join(natterd.port(), "ann");
        ann->send(Join{"#kept"});
        ann->send(TopicRequest{"#kept", std::string("survives a crash")});
        expect<Topic>(*ann);
        // Many messages in flight at once; natterd is killed while some are still unanswered.
        const int kSent = 400;
        std::string burst;
        for (int i = 0; i < kSent; ++i) burst += encode(Say{"message " + std::to_string(i), kLobby});
        ASSERT_TRUE(ann->send_raw(burst));
        const bool enough = receive_until(*ann, [&](const Message& m) {
            if (const auto* g = std::get_if<GroupMessage>(&m); g && !g->history) acknowledged[g->id] = g->text;
            return acknowledged.size() >= kSent / 2;
        }, 20000ms);
        ASSERT_TRUE(enough) << "only " << acknowledged.size() << " echoes";
        EXPECT_EQ(natterd.stop(SIGKILL), 128 + SIGKILL);
    }
    ASSERT_GE(acknowledged.size(), 200u);
    NatterdProcess natterd({"--data", data.path()});
    auto carol = join(natterd.port(), "carol");
    const auto history = whole_history(*carol);
    std::map<std::uint64_t, std::string> stored;
    for (const auto& g : history) stored[g.id] = g.text;
    for (const auto& [id, text] : acknowledged) {
        auto it = stored.find(id);
        ASSERT_NE(it, stored.end()) << "acknowledged message " << id << " (" << text << ") was lost";
        EXPECT_EQ(it->second, text);
    }
    // Ids go on from where they were; the room and its topic are back.
    const Outcome next = say_and_wait(*carol, "after the crash");
    ASSERT_TRUE(next.echo.has_value());
    EXPECT_GT(next.echo->id, stored.rbegin()->first);
    carol->send(ListRooms{});
    const RoomList rooms = expect<RoomList>(*carol);
    EXPECT_EQ(rooms.rooms, (std::vector<RoomInfo>{{"#kept", 0, "survives a crash"}, {"#lobby", 1, ""}}));
    expect_clean_exit(natterd);
}

TEST(HistoryDurability, AFullDiskRefusesMessagesWithoutACrash) {
    TempDir data;
    // The history may not grow past 256 KiB: the file system is "full" for natterd.
    HandStarted natterd({"--data", data.path() + "/data", "--no-flood-limit"},
                        [] {
                            rlimit lim{256 * 1024, 256 * 1024};
                            ::setrlimit(RLIMIT_FSIZE, &lim);
                        },
                        data.path());
    const std::uint16_t port = natterd.port();
    ASSERT_NE(port, 0) << natterd.err();
    auto ann = join(port, "ann");
    auto bob = join(port, "bob");
    std::set<std::string> acked, refused;
    const std::string filler(3000, 'x');
    for (int i = 0; i < 400 && refused.size() < 3; ++i) {
        const std::string text = std::to_string(i) + " " + filler;
        const Outcome o = say_and_wait(*ann, text);
        if (o.echo) acked.insert(text);
        else if (o.error == err::kNotStored) refused.insert(text);
        else ADD_FAILURE() << "unexpected error " << o.error;
    }
    EXPECT_FALSE(acked.empty());
    ASSERT_FALSE(refused.empty()) << "the disk never filled up";
    EXPECT_TRUE(natterd.alive());
    // Bob saw exactly what was acknowledged: nothing that was not stored.
    bob->send(Ping{"end"});
    std::set<std::string> seen;
    ASSERT_TRUE(receive_until(*bob, [&](const Message& m) {
        if (const auto* g = std::get_if<GroupMessage>(&m); g && !g->history) seen.insert(g->text);
        const auto* p = std::get_if<Pong>(&m);
        return p != nullptr && p->token == "end";
    }, 20000ms));
    EXPECT_EQ(seen, acked);
    // Still serving: private messages need no disk.
    ann->send(Tell{"bob", "still here"});
    EXPECT_EQ(expect<PrivateMessage>(*bob).text, "still here");
    EXPECT_NE(natterd.err().find("could not store"), std::string::npos) << natterd.err();
}

TEST(HistoryDurability, RefusesToStartWithoutAUsableDataDirectory) {
    TempDir tmp;
    // A file where the directory should be.
    const std::string file = tmp.path() + "/file";
    std::ofstream(file) << "x";
    {
        HandStarted n({"--data", file}, no_change, tmp.path());
        EXPECT_EQ(n.wait_exit(), 1);
        EXPECT_NE(n.err().find("natterd: history: the data directory " + file + " is not a directory"),
                  std::string::npos)
            << n.err();
    }
    // A directory natterd may not write: as root, run it as nobody; otherwise take write away.
    const std::string locked = tmp.path() + "/locked";
    ASSERT_EQ(::mkdir(locked.c_str(), 0755), 0);
    ::chmod(tmp.path().c_str(), 0755);
    const bool as_root = ::geteuid() == 0;
    if (!as_root) ::chmod(locked.c_str(), 0555);
    auto unprivileged = [as_root] {
        if (!as_root) return;
        (void)!::setgroups(0, nullptr);
        (void)!::setgid(65534);
        (void)!::setuid(65534);
    };
    for (const std::string& dir : {locked, locked + "/below"}) {
        HandStarted n({"--data", dir}, unprivileged, tmp.path());
        EXPECT_EQ(n.wait_exit(), 1) << n.err();
        const std::string err = n.err();
        EXPECT_TRUE(err.find("cannot write in the data directory") != std::string::npos ||
                    err.find("cannot create the data directory") != std::string::npos)
            << err;
        EXPECT_NE(err.find("Permission denied"), std::string::npos) << err;
        EXPECT_EQ(err.find("listening"), std::string::npos) << "it must not serve without its history";
    }
    // No room for even an empty database.
    {
        HandStarted n({"--data", tmp.path() + "/tiny"},
                      [] {
                          rlimit lim{1024, 1024};
                          ::setrlimit(RLIMIT_FSIZE, &lim);
                      },
                      tmp.path());
        EXPECT_EQ(n.wait_exit(), 1);
        EXPECT_NE(n.err().find("natterd: history: "), std::string::npos) << n.err();
    }
}

TEST(HistoryDurability, RefusesADamagedOrNewerDatabaseAndLeavesItAlone) {
    TempDir tmp;
    const std::string damaged = tmp.path() + "/damaged";
    ASSERT_EQ(::mkdir(damaged.c_str(), 0700), 0);
    const std::string junk(10000, '\x5a');
    std::ofstream(damaged + "/natter.db") << junk;
    {
        HandStarted n({"--data", damaged}, no_change, tmp.path());
        EXPECT_EQ(n.wait_exit(), 1);
        EXPECT_NE(n.err().find("not a database"), std::string::npos) << n.err();
    }
    EXPECT_EQ(slurp(damaged + "/natter.db"), junk);

    // A database from a newer natterd: made by this one, then its version raised.
    const std::string newer = tmp.path() + "/newer";
    {
        NatterdProcess first({"--data", newer});
        auto ann = join(first.port(), "ann");
        ann->send(Say{"precious", kLobby});
        expect<GroupMessage>(*ann);
        expect_clean_exit(first);
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((newer + "/natter.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    {
        HandStarted n({"--data", newer}, no_change, tmp.path());
        EXPECT_EQ(n.wait_exit(), 1);
        EXPECT_NE(n.err().find("schema version 99, newer than this natterd"), std::string::npos) << n.err();
    }
    // Its history is still there.
    ASSERT_EQ(sqlite3_open((newer + "/natter.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT text FROM messages", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "precious");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

TEST(HistoryDurability, OneNatterdPerDataDirectory) {
    TempDir tmp;
    NatterdProcess first({"--data", tmp.path()});
    HandStarted second({"--data", tmp.path()}, no_change, tmp.path());
    EXPECT_EQ(second.wait_exit(), 1);
    EXPECT_NE(second.err().find("another natterd is using the data directory"), std::string::npos) << second.err();
    expect_clean_exit(first);
}
