// Turning results into text: one block of "name: value" lines per run (what the single modes
// print), and the small helpers the suite's tables share.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "bench/scenarios.h"

namespace natter::bench {

void print_idle(std::ostream& os, const IdleResult& r);
void print_traffic(std::ostream& os, const char* mode, const TrafficResult& r);

// The median of the values (the mean of the middle two for an even count); nan when empty.
double median(std::vector<double> v);

// A number with a fixed count of decimals and thousands separators ("12,345.6").
std::string fmt(double v, int decimals = 0);

}  // namespace natter::bench
