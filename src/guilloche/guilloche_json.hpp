// Internal: reading a guilloché spec from a template object (shared by the guilloche element and
// microtext along a guilloché stroke). Include only from files that may include nlohmann-json.
#pragma once

#include <sdc/guilloche.hpp>

#include "template/json_reader.hpp"

namespace sdc::detail {

/// Reads the family and its parameters from `r`; `box` is the element's box (waves and border
/// span it; the centred families default to its centre). Errors name the key. The spec is
/// validated, and generated once at the flattening tolerance of `check_dpi` to refuse patterns
/// over `max_points` at template load rather than at print time.
Result<GuillocheSpec> parse_guilloche_spec(JsonReader& r, const MmRect& box, Dpi check_dpi = Dpi{1200},
                                           std::int64_t max_points = 2'000'000);

}  // namespace sdc::detail
