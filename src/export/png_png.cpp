#include <png.h>
#include <sdc/export.hpp>

#include <cmath>
#include <csetjmp>

#include <vector>

#include "export/png_internal.hpp"

namespace sdc {

namespace {

struct PngFormat {
  int width = 0, height = 0, bit_depth = 8, color_type = PNG_COLOR_TYPE_GRAY, compression = 6;
  Dpi dpi{0};
  bool srgb = false;
};

void append_bytes(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}
void no_flush(png_structp) {}

/// The one libpng encoding path (setjmp error handling, header, pHYs, sRGB), shared by the 8-bit
/// encoder and the 1-bit panel encoder. `row(y)` returns row y already in the PNG's bit layout.
/// The bytes are those libpng used to write to a FILE* (same stream, only the sink differs).
template <class RowFn>
Result<std::vector<std::uint8_t>> encode_png_rows(const PngFormat& fmt, RowFn row) {
  std::vector<std::uint8_t> out;  // outside the setjmp scope
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, nullptr);
    return Error(Errc::internal, "libpng could not start.", "check memory.");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return Error(Errc::limit_exceeded, "libpng failed while encoding.", "check memory.");
  }
  png_set_write_fn(png, &out, append_bytes, no_flush);
  png_set_compression_level(png, std::clamp(fmt.compression, 0, 9));
  png_set_IHDR(png, info, static_cast<png_uint_32>(fmt.width), static_cast<png_uint_32>(fmt.height), fmt.bit_depth,
               fmt.color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (fmt.srgb) png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
  if (fmt.dpi.v > 0) {
    const auto ppm = static_cast<png_uint_32>(std::lround(fmt.dpi.v / 0.0254));
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_write_info(png, info);
  for (int y = 0; y < fmt.height; ++y) png_write_row(png, const_cast<png_bytep>(row(y)));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_png(const ImageView& image, const PngOptions& options) {
  if (image.empty()) return Error(Errc::invalid_argument, "cannot write an empty image.", "render something first.");
  PngFormat fmt{
      .width = image.width(), .height = image.height(), .compression = options.compression, .dpi = options.dpi};
  switch (image.format()) {
    case PixelFormat::gray8: fmt.color_type = PNG_COLOR_TYPE_GRAY; break;
    case PixelFormat::rgb8: fmt.color_type = PNG_COLOR_TYPE_RGB; break;
    case PixelFormat::rgba8: fmt.color_type = PNG_COLOR_TYPE_RGBA; break;
    case PixelFormat::cmyk8:
      return Error(Errc::invalid_argument, "PNG cannot hold CMYK.", "write CMYK as TIFF (write_cmyk_tiff).");
  }
  fmt.srgb = options.srgb && image.format() != PixelFormat::gray8;
  return encode_png_rows(fmt, [&](int y) { return image.row(y); });
}

Status write_png(const ImageView& image, const std::filesystem::path& path, const PngOptions& options) {
  auto bytes = encode_png(image, options);
  if (!bytes) {
    Error e = std::move(bytes).error();
    return std::move(e.in_file(path.string()));
  }
  return write_file_atomic(path, *bytes);
}

Result<std::vector<std::uint8_t>> detail::encode_png_bilevel(const ImageView& mask, Dpi dpi) {
  if (mask.empty() || mask.format() != PixelFormat::gray8)
    return Error(Errc::invalid_argument, "a 1-bit panel must come from a non-empty gray8 mask.", "report this bug.");
  // Allocated outside the setjmp scope (a longjmp must not skip its destructor or clobber it).
  std::vector<png_byte> packed(static_cast<std::size_t>((mask.width() + 7) / 8));
  const PngFormat fmt{.width = mask.width(), .height = mask.height(), .bit_depth = 1, .dpi = dpi};
  return encode_png_rows(fmt, [&](int y) {
    std::fill(packed.begin(), packed.end(), png_byte{0});
    const std::uint8_t* m = mask.row(y);
    for (int x = 0; x < mask.width(); ++x)
      if (m[x] < 128) packed[static_cast<std::size_t>(x / 8)] |= static_cast<png_byte>(0x80u >> (x % 8));
    return static_cast<const png_byte*>(packed.data());
  });
}

}  // namespace sdc
