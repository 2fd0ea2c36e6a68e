// TIFF: libtiff reads the first directory from memory (TIFFClientOpenExt with per-handle error
// handlers, so it is thread-safe and silent); strips or tiles that point past the end of the file
// are reported as truncation before OpenCV is asked to decode.
#include "image/image_header.hpp"

#include <tiffio.h>

#include "image/tiff_memory_tiff.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace sdc::detail {
namespace {

const char* const kHintCorruptTiffHeader =
    "re-export the photo as TIFF, PNG or JPEG from an image editor, or use another copy.";

}  // namespace

Result<ImageHeader> read_tiff_header(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  ImageHeader h;
  h.format = ImageFormat::tiff;
  TiffMemFile file{data, size};
  // Reading "the header only" is not available: the first IFD is read.
  TiffHandle tif(open_tiff_memory(file, static_cast<tmsize_t>(kMaxIccBytes) * 4));
  if (tif.t == nullptr) {
    return Error(
        Errc::bad_image,
        "The TIFF file is truncated or corrupt" + (file.error.empty() ? std::string(".") : " (" + file.error + ")."),
        kHintCorruptTiffHeader);
  }
  std::uint32_t w = 0, ht = 0;
  if (TIFFGetField(tif.t, TIFFTAG_IMAGEWIDTH, &w) != 1 || TIFFGetField(tif.t, TIFFTAG_IMAGELENGTH, &ht) != 1 ||
      w == 0 || ht == 0) {
    return Error(Errc::bad_image, "The TIFF file is corrupt: its first image has no valid width and height.",
                 kHintCorruptTiffHeader);
  }
  h.width = w;
  h.height = ht;
  if (auto st = check_pixel_limit(h.width, h.height, max_pixels); !st) return st.error();

  const std::uint32_t strips = TIFFIsTiled(tif.t) ? TIFFNumberOfTiles(tif.t) : TIFFNumberOfStrips(tif.t);
  for (std::uint32_t i = 0; i < strips; ++i) {
    int err = 0;
    const std::uint64_t off = TIFFGetStrileOffsetWithErr(tif.t, i, &err);
    const std::uint64_t n = TIFFGetStrileByteCountWithErr(tif.t, i, &err);
    if (err != 0 || off > size || n > size - off) {
      return Error(Errc::bad_image, "The TIFF file is truncated: its image data extends past the end of the file.",
                   "copy the photo again from its source; the transfer was probably cut short.");
    }
  }

  std::uint32_t icc_len = 0;
  void* icc = nullptr;
  if (TIFFGetField(tif.t, TIFFTAG_ICCPROFILE, &icc_len, &icc) == 1 && icc != nullptr && icc_len > 0 &&
      icc_len <= kMaxIccBytes) {
    const auto* p = static_cast<const std::uint8_t*>(icc);
    h.icc.assign(p, p + icc_len);
  }
  float xres = 0, yres = 0;
  std::uint16_t unit = RESUNIT_INCH;  // the TIFF default when the tag is absent
  if (TIFFGetField(tif.t, TIFFTAG_XRESOLUTION, &xres) == 1 && TIFFGetField(tif.t, TIFFTAG_YRESOLUTION, &yres) == 1 &&
      xres > 0 && yres > 0) {
    TIFFGetField(tif.t, TIFFTAG_RESOLUTIONUNIT, &unit);
    if (unit == RESUNIT_INCH) {
      h.dpi_x = xres;
      h.dpi_y = yres;
    } else if (unit == RESUNIT_CENTIMETER) {
      h.dpi_x = xres * 2.54;
      h.dpi_y = yres * 2.54;
    }
  }
  return h;
}

}  // namespace sdc::detail
