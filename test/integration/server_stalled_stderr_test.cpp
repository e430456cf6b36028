// natterd whose stderr nobody reads (a terminal paused with Ctrl-S, `natterd 2>&1 | less` left
// alone): the log stops, the chat does not. A pipe holds 64 KiB; the logins below log several
// times that.
#include "server_test_util.h"

using namespace natter;
using namespace natter::itest;
using natter::testing::NatterdProcess;

namespace {

TEST(StalledStderr, ChatGoesOnWhenNobodyReadsTheLog) {
    NatterdProcess natterd({}, NatterdProcess::Stderr::StalledPipe);
    // Each login and logout logs four lines (connected, logged in, left, closed): 1000 of them
    // are some 200 KB of log.
    for (int i = 0; i < 1000; ++i) {
        join(natterd.port(), "filler" + std::to_string(i));
        ASSERT_FALSE(HasFailure()) << "login " << i << " was not answered: natterd is stuck";
    }
    auto ann = join(natterd.port(), "ann");
    auto bob = join(natterd.port(), "bob");
    ann->send(Say{"still talking", "#lobby"});
    EXPECT_EQ(expect<GroupMessage>(*bob).text, "still talking");
    // It still leaves cleanly: the last lines get a moment, not forever.
    EXPECT_EQ(natterd.stop(SIGTERM), 0);
}

}  // namespace
