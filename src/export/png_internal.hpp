// Internal PNG helpers for the panel encoder.
#pragma once

#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <vector>

namespace sdc::detail {

/// Encodes a gray8 mask as a 1-bit PNG: pixels >= 128 (panel applied) become black (bit 0), the
/// rest white (bit 1), so the file looks like what the panel prints.
Result<std::vector<std::uint8_t>> encode_png_bilevel(const ImageView& mask, Dpi dpi);

}  // namespace sdc::detail
