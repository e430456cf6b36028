#include "tui/layout.h"

#include <algorithm>

namespace natter::tui {

Layout compute_layout(int rows, int cols, int users_width) {
    Layout l;
    if (rows <= 0 || cols <= 0) return l;
    l.input = {rows - 1, 0, 1, cols};
    if (rows >= 2) l.status = {rows - 2, 0, 1, cols};
    const int top = rows >= kMinRowsForBar ? 1 : 0;
    if (top) l.bar = {0, 0, 1, cols};
    const int log_h = rows - 2 - top;
    if (log_h <= 0) return l;
    int log_w = cols;
    if (cols >= kMinColsForUsers) {
        const int uw = std::clamp(users_width, 12, 24);
        l.users = {top, cols - uw, log_h, uw};
        l.border = {top, cols - uw - 1, log_h, 1};
        log_w = cols - uw - 1;
    }
    l.log = {top, 0, log_h, log_w};
    return l;
}

}  // namespace natter::tui
