/// @file writers.hpp
/// Writing cards to files. Every writer writes to a temporary file in the destination folder and
/// renames it into place, so a crash or a full disk never leaves a half-written file under the
/// final name, and an existing file is replaced atomically.
#pragma once

#include <sdc/error.hpp>
#include <sdc/export.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <filesystem>
#include <span>

namespace sdc {

struct PngOptions {
  Dpi dpi{0};           ///< written as pHYs (pixels per metre); 0: no pHYs chunk
  bool srgb = true;     ///< mark the pixels as sRGB (sRGB chunk, perceptual intent)
  int compression = 6;  ///< zlib level 0-9; output is deterministic for a given level
};

/// Writes a gray8, rgb8 or rgba8 image as PNG. Errors: Errc::io naming the path (folder missing
/// or not writable, disk full), Errc::invalid_argument for an empty image or a CMYK image.
SDC_EXPORT Status write_png(const ImageView& image, const std::filesystem::path& path, const PngOptions& options = {});

/// Writes bytes to `path` atomically (temporary file + rename). The building block of every writer.
SDC_EXPORT Status write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace sdc
