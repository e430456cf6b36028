// `make bench`: the standard scenarios of issue 4, each against natterd and against the bare
// loop on fresh servers, K repetitions, medians; one table on stdout and, with --out, in
// docs/PERFORMANCE.md between its bench markers (the hand-written analysis around them stays).
#pragma once

#include <string>
#include <vector>

#include "bench/scenarios.h"

namespace natter::bench {

struct SuiteOptions {
    std::string build_dir;    // natterd, natter and natter-bare-loop live here
    std::string out;          // the markdown file to update; empty: print only
    std::string only;         // comma-separated scenario names; empty: all
    std::vector<std::string> natterd_args;
    std::string commit;       // what was built, when not the checkout's HEAD (a snapshot)
    int reps = 3;
    bool quick = false;       // small N and short D: checks the machinery, measures nothing
    bool pin = false;         // pin servers to CPU 1 and natter-bench to CPU 0
};

// Returns the process exit status (0 when every run completed, whatever the figures).
int run_suite(const SuiteOptions& s, const Options& o);

}  // namespace natter::bench
