// Internal PNG helpers for the panel writer.
#pragma once

#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <filesystem>

namespace sdc::detail {

/// Writes a gray8 mask as a 1-bit PNG: pixels >= 128 (panel applied) become black (bit 0), the rest
/// white (bit 1), so the file looks like what the panel prints. Atomic, like every writer.
Status write_png_bilevel(const ImageView& mask, const std::filesystem::path& path, Dpi dpi);

}  // namespace sdc::detail
