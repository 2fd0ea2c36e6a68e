// Internal: pixel decoders, one per format, each over its reference library (libpng, libjpeg-turbo,
// libtiff). They run after the header checks (image_header.hpp) passed, so the size is already
// known to be within the pixel limit; each checks again what its library reports.
#pragma once

#include <sdc/error.hpp>
#include <sdc/image.hpp>

#include <cstddef>
#include <cstdint>

namespace sdc::detail {

/// The decoded pixels, 8 bits per channel, as stored (before EXIF orientation): gray8 for grey,
/// rgba8 for grey or colour with alpha, rgb8 otherwise. 16-bit samples are scaled to 8 bits with
/// rounding (v / 257), floating-point samples (0..1) are scaled by 255 and saturated, CMYK is
/// converted to RGB naively (no profile: the CMYK profile is dropped). The library's messages go
/// into the Error (never to stderr). Errors carry message and hint only: the caller adds the file.
Result<Image> decode_png_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);
Result<Image> decode_jpeg_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);
Result<Image> decode_tiff_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);

/// Turns an image stored with EXIF orientation `o` (1..8) upright; other values leave it as is.
Image apply_orientation(Image img, int o);

}  // namespace sdc::detail
