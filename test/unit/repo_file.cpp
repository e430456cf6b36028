#include "repo_file.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace natter::testing {

std::string read_repo_file(const std::string& relative) {
    std::vector<std::string> bases = {"."};
    if (const char* b = std::getenv("NATTER_BUILD")) {
        std::string d = b;
        for (int up = 0; up < 4; ++up) {
            bases.push_back(d);
            const auto slash = d.find_last_of('/');
            if (slash == std::string::npos || slash == 0) break;
            d.resize(slash);
        }
    }
    for (const auto& base : bases) {
        std::ifstream in(base + "/" + relative);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            return ss.str();
        }
    }
    return {};
}

}  // namespace natter::testing
