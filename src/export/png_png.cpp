#include <png.h>
#include <sdc/writers.hpp>

#include <cmath>
#include <csetjmp>

#include <vector>

#include "export/atomic_file.hpp"
#include "export/png_internal.hpp"

namespace sdc {

Status write_png(const ImageView& image, const std::filesystem::path& path, const PngOptions& options) {
  if (image.empty())
    return Error(Errc::invalid_argument, "cannot write an empty image.", "render something first.",
                 Where{.file = path.string()});
  int color_type = 0;
  switch (image.format()) {
    case PixelFormat::gray8: color_type = PNG_COLOR_TYPE_GRAY; break;
    case PixelFormat::rgb8: color_type = PNG_COLOR_TYPE_RGB; break;
    case PixelFormat::rgba8: color_type = PNG_COLOR_TYPE_RGBA; break;
    case PixelFormat::cmyk8:
      return Error(Errc::invalid_argument, "PNG cannot hold CMYK.", "write CMYK as TIFF (write_cmyk_tiff).",
                   Where{.file = path.string()});
  }
  return detail::write_atomically(path, [&](std::FILE* f) -> Status {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
      png_destroy_write_struct(&png, nullptr);
      return Error(Errc::internal, "libpng could not start.", "check memory.", Where{.file = path.string()});
    }
    if (setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, &info);
      return Error(Errc::io, "libpng failed while writing.", "check that the disk has room.",
                   Where{.file = path.string()});
    }
    png_init_io(png, f);
    png_set_compression_level(png, std::clamp(options.compression, 0, 9));
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width()), static_cast<png_uint_32>(image.height()), 8,
                 color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (options.srgb && image.format() != PixelFormat::gray8)
      png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    if (options.dpi.v > 0) {
      const auto ppm = static_cast<png_uint_32>(std::lround(options.dpi.v / 0.0254));
      png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    for (int y = 0; y < image.height(); ++y) png_write_row(png, const_cast<png_bytep>(image.row(y)));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return {};
  });
}

}  // namespace sdc

namespace sdc::detail {

Status write_png_bilevel(const ImageView& mask, const std::filesystem::path& path, Dpi dpi) {
  if (mask.empty() || mask.format() != PixelFormat::gray8)
    return Error(Errc::invalid_argument, "a 1-bit panel must come from a non-empty gray8 mask.", "report this bug.",
                 Where{.file = path.string()});
  // Allocated outside the setjmp scope (a longjmp must not skip its destructor or clobber it).
  std::vector<png_byte> packed(static_cast<std::size_t>((mask.width() + 7) / 8));
  return write_atomically(path, [&](std::FILE* f) -> Status {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
      png_destroy_write_struct(&png, nullptr);
      return Error(Errc::internal, "libpng could not start.", "check memory.", Where{.file = path.string()});
    }
    if (setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, &info);
      return Error(Errc::io, "libpng failed while writing.", "check that the disk has room.",
                   Where{.file = path.string()});
    }
    png_init_io(png, f);
    png_set_compression_level(png, 6);
    png_set_IHDR(png, info, static_cast<png_uint_32>(mask.width()), static_cast<png_uint_32>(mask.height()), 1,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (dpi.v > 0) {
      const auto ppm = static_cast<png_uint_32>(std::lround(dpi.v / 0.0254));
      png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    for (int y = 0; y < mask.height(); ++y) {
      std::fill(packed.begin(), packed.end(), png_byte{0});
      const std::uint8_t* m = mask.row(y);
      for (int x = 0; x < mask.width(); ++x)
        if (m[x] < 128) packed[static_cast<std::size_t>(x / 8)] |= static_cast<png_byte>(0x80u >> (x % 8));
      png_write_row(png, packed.data());
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return {};
  });
}

}  // namespace sdc::detail
