// Unicode Bidirectional Algorithm (UAX #9) levels with FriBidi; run reordering (rule L2).
#include "text/shaping.hpp"

#include <fribidi.h>

#include <algorithm>

namespace sdc::detail {

bool bidi_analyse(const std::vector<char32_t>& cps, TextDirection direction, BidiInfo& out) {
  const auto n = static_cast<FriBidiStrIndex>(cps.size());
  out.levels.assign(cps.size(), 0);
  out.trailing_ws.assign(cps.size(), false);
  FriBidiParType base = direction == TextDirection::ltr   ? FRIBIDI_PAR_LTR
                        : direction == TextDirection::rtl ? FRIBIDI_PAR_RTL
                                                          : FRIBIDI_PAR_ON;
  if (n == 0) {
    out.rtl = direction == TextDirection::rtl;
    return true;
  }
  std::vector<FriBidiChar> chars(cps.begin(), cps.end());
  std::vector<FriBidiCharType> types(cps.size());
  std::vector<FriBidiBracketType> brackets(cps.size());
  std::vector<FriBidiLevel> levels(cps.size());
  fribidi_get_bidi_types(chars.data(), n, types.data());
  fribidi_get_bracket_types(chars.data(), n, types.data(), brackets.data());
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0) return false;
  out.rtl = FRIBIDI_IS_RTL(base);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    out.levels[i] = static_cast<std::uint8_t>(levels[i]);
    const auto t = types[i];
    out.trailing_ws[i] = t == FRIBIDI_TYPE_WS || t == FRIBIDI_TYPE_BS || t == FRIBIDI_TYPE_SS ||
                         t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_RLI || t == FRIBIDI_TYPE_FSI ||
                         t == FRIBIDI_TYPE_PDI || FRIBIDI_IS_EXPLICIT_OR_BN(t);
  }
  return true;
}

std::vector<std::size_t> visual_order(const std::vector<std::uint8_t>& run_levels) {
  std::vector<std::size_t> order(run_levels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (order.empty()) return order;
  const auto [lo_it, hi_it] = std::minmax_element(run_levels.begin(), run_levels.end());
  const int highest = *hi_it;
  const int lowest_odd = (*lo_it % 2 == 1) ? *lo_it : *lo_it + 1;
  // From the highest level down to the lowest odd level, reverse every maximal sequence of runs at
  // that level or higher.
  for (int level = highest; level >= lowest_odd; --level) {
    std::size_t i = 0;
    while (i < order.size()) {
      if (run_levels[order[i]] >= level) {
        std::size_t j = i;
        while (j < order.size() && run_levels[order[j]] >= level) ++j;
        std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(j));
        i = j;
      } else {
        ++i;
      }
    }
  }
  return order;
}

}  // namespace sdc::detail
