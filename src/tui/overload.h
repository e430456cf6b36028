// Overload{lambdas...}: one visitor for std::visit out of several lambdas.
#pragma once

namespace natter::tui {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace natter::tui
