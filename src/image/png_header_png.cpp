// PNG: the chunk walk (size, truncation) is done here by hand so the size limit is applied before
// libpng sees the file; libpng then reads the ancillary chunks before IDAT (iCCP, decompressed
// and checked by libpng; pHYs) without decoding any pixel.
#include "image/image_header.hpp"

#include "image/png_io_png.hpp"

#include <csetjmp>
#include <cstring>

namespace sdc::detail {
namespace {

const char* const kHintCorruptPng = "re-export the photo as PNG or JPEG from an image editor, or use another copy.";

std::uint32_t be32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

struct PngMeta {
  const std::uint8_t* icc = nullptr;
  std::size_t icc_len = 0;
  png_uint_32 res_x = 0, res_y = 0;
  int res_unit = -1;
};

// Reads iCCP and pHYs with libpng. Only C objects live between setjmp and a possible longjmp, and
// the ICC bytes are copied by the caller before png_destroy_read_struct. Returns false on error.
bool read_png_meta(PngMemSource& src, PngMeta& meta, std::vector<std::uint8_t>& icc) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &src, png_read_mem);
  png_set_chunk_malloc_max(png, kMaxIccBytes);
  png_set_benign_errors(png, 1);
#ifdef PNG_SKIP_sRGB_CHECK_PROFILE
  // Keep the profile the file carries, even the widespread slightly-off sRGB ones.
  png_set_option(png, PNG_SKIP_sRGB_CHECK_PROFILE, PNG_OPTION_ON);
#endif
  png_read_info(png, info);

  png_charp name = nullptr;
  int compression = 0;
  png_bytep profile = nullptr;
  png_uint_32 profile_len = 0;
  if (png_get_iCCP(png, info, &name, &compression, &profile, &profile_len) != 0 && profile != nullptr) {
    icc.assign(profile, profile + profile_len);
  }
  if (png_get_pHYs(png, info, &meta.res_x, &meta.res_y, &meta.res_unit) == 0) meta.res_unit = -1;
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

Result<ImageHeader> read_png_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  static constexpr std::uint8_t kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  ImageHeader h;
  h.format = ImageFormat::png;
  if (size < 8 || std::memcmp(data, kSig, 8) != 0) {
    return Error(Errc::bad_image, "The file does not start with a PNG signature.", kHintCorruptPng);
  }
  if (size < 8 + 8 + 13 + 4 || std::memcmp(data + 12, "IHDR", 4) != 0 || be32(data + 8) != 13) {
    return Error(Errc::bad_image, "The PNG file is truncated or corrupt: its IHDR header is missing.", kHintCorruptPng);
  }
  h.width = be32(data + 16);
  h.height = be32(data + 20);
  if (h.width == 0 || h.height == 0 || h.width > 0x7FFFFFFF || h.height > 0x7FFFFFFF) {
    return Error(Errc::bad_image,
                 "The PNG header gives an invalid size of " + std::to_string(h.width) + " x " +
                     std::to_string(h.height) + " pixels.",
                 kHintCorruptPng);
  }
  if (auto st = check_pixel_limit(h.width, h.height, max_pixels); !st) return st.error();

  // Walk the chunks to IEND: a file cut short is reported as such rather than as a decoder failure.
  std::size_t pos = 8;
  bool idat = false;
  for (;;) {
    if (size - pos < 12) {
      return Error(Errc::bad_image,
                   idat ? "The PNG file is truncated: it ends inside the image data."
                        : "The PNG file is truncated: it ends before the image data.",
                   "copy the photo again from its source; the transfer was probably cut short.");
    }
    const std::uint32_t len = be32(data + pos);
    if (len > 0x7FFFFFFFu)
      return Error(Errc::bad_image, "The PNG file is corrupt: a chunk has an invalid length.", kHintCorruptPng);
    const std::uint8_t* type = data + pos + 4;
    if (std::memcmp(type, "IDAT", 4) == 0) idat = true;
    if (size - pos - 12 < len) {
      return Error(Errc::bad_image,
                   idat ? "The PNG file is truncated: it ends inside the image data."
                        : "The PNG file is truncated: it ends inside a chunk before the image data.",
                   "copy the photo again from its source; the transfer was probably cut short.");
    }
    pos += 12 + static_cast<std::size_t>(len);
    if (std::memcmp(type, "IEND", 4) == 0) break;
  }
  if (!idat) return Error(Errc::bad_image, "The PNG file is corrupt: it has no image data (IDAT).", kHintCorruptPng);

  PngMemSource src{.data = data, .size = size};
  PngMeta meta;
  std::vector<std::uint8_t> icc;
  if (!read_png_meta(src, meta, icc)) {
    return Error(Errc::bad_image, std::string("The PNG file is corrupt: ") + src.error + ".", kHintCorruptPng);
  }
  h.icc = std::move(icc);
  if (meta.res_unit == PNG_RESOLUTION_METER && meta.res_x > 0 && meta.res_y > 0) {
    h.dpi_x = meta.res_x * 0.0254;
    h.dpi_y = meta.res_y * 0.0254;
  }
  return h;
}

}  // namespace sdc::detail
