/// @file image.hpp
/// Pixels cross the sdc API only as these two types: `ImageView` (non-owning) and `Image`
/// (owning). No third-party image class appears in a public signature.
///
/// Layout: rows top to bottom, each `row_stride` bytes apart (>= width * channels); channels are
/// interleaved, 8 bits each. `rgba8` is straight (not premultiplied) alpha unless a function says
/// otherwise. `cmyk8` stores ink amounts 0 (no ink) to 255 (100 %).
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/units.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace sdc {

enum class PixelFormat : std::uint8_t { gray8, rgb8, rgba8, cmyk8 };

/// Bytes per pixel of a format.
constexpr int channels(PixelFormat f) {
  switch (f) {
    case PixelFormat::gray8: return 1;
    case PixelFormat::rgb8: return 3;
    case PixelFormat::rgba8: return 4;
    case PixelFormat::cmyk8: return 4;
  }
  return 0;
}

/// A non-owning view of pixels. Cheap to copy; valid while the pixels it points at live.
class SDC_EXPORT ImageView {
 public:
  /// An empty view.
  ImageView() = default;
  /// Throws std::invalid_argument if data is null with a non-zero size, a size is negative, or
  /// row_stride is smaller than a row. row_stride 0 means tightly packed.
  ImageView(const std::uint8_t* data, int width, int height, PixelFormat format, std::ptrdiff_t row_stride = 0);

  int width() const noexcept { return width_; }
  int height() const noexcept { return height_; }
  PixelFormat format() const noexcept { return format_; }
  std::ptrdiff_t row_stride() const noexcept { return stride_; }
  bool empty() const noexcept { return width_ == 0 || height_ == 0; }
  const std::uint8_t* data() const noexcept { return data_; }
  /// Row y, 0 <= y < height (unchecked).
  const std::uint8_t* row(int y) const noexcept { return data_ + y * stride_; }
  /// A sub-view; the rectangle is clipped to the image.
  ImageView cropped(PxRect r) const;

 private:
  const std::uint8_t* data_ = nullptr;
  int width_ = 0, height_ = 0;
  PixelFormat format_ = PixelFormat::gray8;
  std::ptrdiff_t stride_ = 0;
};

/// An owning image: tightly packed pixels, an optional resolution and an optional ICC profile
/// (kept from the source file for colour management). Empty by default (allocates nothing).
/// Copying copies the pixels; moving is cheap.
class SDC_EXPORT Image {
 public:
  Image() = default;
  /// A zero-filled image. Throws std::invalid_argument for negative sizes.
  Image(int width, int height, PixelFormat format);
  /// Copies the pixels of a view.
  static Image copy_of(const ImageView& view);

  int width() const noexcept { return width_; }
  int height() const noexcept { return height_; }
  PixelFormat format() const noexcept { return format_; }
  bool empty() const noexcept { return width_ == 0 || height_ == 0; }
  std::ptrdiff_t row_stride() const noexcept { return static_cast<std::ptrdiff_t>(width_) * channels(format_); }
  std::uint8_t* data() noexcept { return pixels_.data(); }
  const std::uint8_t* data() const noexcept { return pixels_.data(); }
  std::uint8_t* row(int y) noexcept { return pixels_.data() + y * row_stride(); }
  const std::uint8_t* row(int y) const noexcept { return pixels_.data() + y * row_stride(); }
  std::size_t size_bytes() const noexcept { return pixels_.size(); }
  ImageView view() const noexcept { return ImageView(pixels_.data(), width_, height_, format_); }

  /// Resolution the pixels were made for (0 when unknown).
  Dpi dpi() const noexcept { return dpi_; }
  void set_dpi(Dpi d) noexcept { dpi_ = d; }
  /// The embedded ICC profile of the source, empty when none (then sRGB is assumed).
  const std::vector<std::uint8_t>& icc_profile() const noexcept { return icc_; }
  void set_icc_profile(std::vector<std::uint8_t> icc) { icc_ = std::move(icc); }

 private:
  std::vector<std::uint8_t> pixels_;
  int width_ = 0, height_ = 0;
  PixelFormat format_ = PixelFormat::gray8;
  Dpi dpi_{0};
  std::vector<std::uint8_t> icc_;
};

/// Limits applied when decoding an untrusted image file.
struct ImageLoadOptions {
  /// Refuse images with more pixels than this, checked from the header before decoding.
  std::int64_t max_pixels = 40'000'000;
  /// Refuse files larger than this many bytes.
  std::int64_t max_file_bytes = 64 * 1024 * 1024;
};

/// Loads a JPEG, PNG or TIFF file as rgb8 (or gray8 for greyscale sources, rgba8 when it has
/// alpha), keeping an embedded ICC profile. Errors (Errc::bad_image, Errc::io, Errc::limit_exceeded)
/// name the file: missing, empty, truncated, corrupt, of an unknown format, or larger than the
/// limits (refused before the pixels are decoded). Thread-safe.
SDC_EXPORT Result<Image> load_image(const std::filesystem::path& path, const ImageLoadOptions& options = {});

/// Decodes an image held in memory; `name` is used in error messages.
SDC_EXPORT Result<Image> decode_image(const std::uint8_t* data, std::size_t size, const std::string& name,
                                      const ImageLoadOptions& options = {});

}  // namespace sdc
