// PNG pixels with libpng: every colour type and depth becomes gray8, rgb8 or rgba8 through libpng's
// own transforms (palette and tRNS expanded, 16 bits scaled with rounding, grey + alpha to RGBA).
#include "image/image_decode.hpp"

#include "image/png_io_png.hpp"

#include <csetjmp>
#include <cstring>
#include <vector>

namespace sdc::detail {
namespace {

// Only C objects and storage allocated before setjmp live in this frame, so a longjmp out of libpng
// skips no destructor. Returns false with src.error set on failure.
bool decode(PngMemSource& src, std::int64_t max_pixels, Image& out) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  std::vector<png_bytep> rows;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &src, png_read_mem);
  png_set_benign_errors(png, 1);
  png_set_chunk_malloc_max(png, 16u * 1024u * 1024u);
  // The header reader already took the profile and the resolution: skip the metadata chunks.
  static constexpr png_byte kSkip[] = "iCCP\0tEXt\0zTXt\0iTXt\0eXIf\0";
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, kSkip, 5);
  png_read_info(png, info);

  const png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (w == 0 || h == 0 || static_cast<std::int64_t>(w) > max_pixels / static_cast<std::int64_t>(h)) {
    png_error(png, "image size out of range");
  }
  const int colour = png_get_color_type(png, info);
  png_set_expand(png);  // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
  png_set_scale_16(png);
  if (colour == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int ch = png_get_channels(png, info);
  const PixelFormat f = ch == 1 ? PixelFormat::gray8 : ch == 3 ? PixelFormat::rgb8 : PixelFormat::rgba8;
  if ((ch != 1 && ch != 3 && ch != 4) || png_get_bit_depth(png, info) != 8 ||
      png_get_rowbytes(png, info) != static_cast<std::size_t>(w) * static_cast<std::size_t>(ch)) {
    png_error(png, "unexpected pixel layout after conversion");
  }
  try {
    out = Image(static_cast<int>(w), static_cast<int>(h), f);
    rows.resize(h);
  } catch (...) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw;
  }
  for (png_uint_32 y = 0; y < h; ++y) rows[y] = out.row(static_cast<int>(y));
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

Result<Image> decode_png_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  PngMemSource src{.data = data, .size = size};
  Image img;
  bool ok = false;
  try {
    ok = decode(src, max_pixels, img);
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "There is not enough memory to decode the PNG image.",
                 "scale the photo down or lower the number of images decoded at once.");
  }
  if (!ok) {
    return Error(Errc::bad_image,
                 std::string("The PNG image data is corrupt") + (src.error[0] != 0 ? ": " : "") + src.error + ".",
                 "re-export the photo as PNG or JPEG from an image editor, or use another copy.");
  }
  return img;
}

}  // namespace sdc::detail
