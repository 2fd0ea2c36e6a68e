// Internal: what sdc reads from an image file's header before any pixel is decoded.
#pragma once

#include <sdc/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sdc::detail {

enum class ImageFormat { unknown, png, jpeg, tiff };

/// Recognises PNG, JPEG and TIFF (classic and BigTIFF) by their signatures.
ImageFormat sniff_format(const std::uint8_t* data, std::size_t size) noexcept;
const char* format_name(ImageFormat f) noexcept;
/// What a file of another image format is ("a HEIC (HEIF) image, as phones save photos", "a WebP
/// image", ...), from its signature, for an error; null when it is none sdc knows of.
const char* unread_format(const std::uint8_t* data, std::size_t size) noexcept;

struct ImageHeader {
  ImageFormat format = ImageFormat::unknown;
  std::int64_t width = 0, height = 0;
  std::vector<std::uint8_t> icc;  // embedded ICC profile, empty when none
  double dpi_x = 0, dpi_y = 0;    // 0 when the file does not say
  int orientation = 1;            // EXIF orientation 1..8 (JPEG only; 1 = as stored)
};

// Each parser checks the structure far enough to give a precise error for an empty, truncated or
// corrupt file, and reads the size and metadata. None decodes pixels, and none allocates more than
// a metadata block (an ICC profile is capped at kMaxIccBytes). Each returns Errc::limit_exceeded
// as soon as the size is known to exceed max_pixels, before reading anything else. Errors carry
// message and hint only: the caller adds the file name.
Result<ImageHeader> read_png_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);
Result<ImageHeader> read_jpeg_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);
Result<ImageHeader> read_tiff_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels);

/// Errc::limit_exceeded when width * height > max_pixels, else success.
Status check_pixel_limit(std::int64_t width, std::int64_t height, std::int64_t max_pixels);

inline constexpr std::size_t kMaxIccBytes = 16u * 1024u * 1024u;

/// True when the ICC profile's data colour space (header bytes 16..19) has `channels` colour
/// channels: 'GRAY' for 1, 'RGB ' for 3. A profile that does not fit the decoded pixels is dropped.
bool icc_fits_channels(const std::vector<std::uint8_t>& icc, int channels) noexcept;

}  // namespace sdc::detail
