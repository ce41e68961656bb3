// MakeVariantByIndex: a default-constructed alternative of a std::variant
// chosen at run time, so a parser can go from an enum read from a file to
// the matching struct and then std::visit it with per-type overloads.
#pragma once

#include <cstddef>
#include <utility>
#include <variant>

namespace p2pquic::scenarios {

template <typename Variant, size_t I>
Variant MakeVariantAlternative() {
  return Variant(std::in_place_index<I>);
}

template <typename Variant, size_t... I>
Variant MakeVariantByIndex(size_t index, std::index_sequence<I...>) {
  static constexpr Variant (*kMakers[])() = {&MakeVariantAlternative<Variant, I>...};
  return kMakers[index]();
}

// Contract: index < std::variant_size_v<Variant>.
template <typename Variant>
Variant MakeVariantByIndex(size_t index) {
  return MakeVariantByIndex<Variant>(index,
                                     std::make_index_sequence<std::variant_size_v<Variant>>{});
}

}  // namespace p2pquic::scenarios
