// TIFF pixels with libtiff. Grey, RGB and CMYK images of 8 or 16 bits or 32-bit float, interleaved,
// in strips or tiles, are read sample by sample (TIFFRGBAImage has no float support and returns RGBA
// even for grey). Everything else libtiff knows (palette, 1-4 bit, YCbCr, planar, ...) goes
// through TIFFReadRGBAImageOriented. Handlers are per handle (TIFFOpenOptions): thread-safe, silent.
#include "image/image_decode.hpp"

#include <tiffio.h>

#include "image/tiff_memory_tiff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace sdc::detail {
namespace {

const char* const kHintCorruptTiff =
    "re-export the photo as TIFF, PNG or JPEG from an image editor, or use another copy.";

Error corrupt(const TiffMemFile& f, const char* what) {
  return Error(Errc::bad_image,
               std::string("The TIFF image data is corrupt: ") + what +
                   (f.error.empty() ? std::string(".") : " (" + f.error + ")."),
               kHintCorruptTiff);
}

struct Layout {
  std::uint32_t w = 0, h = 0;
  std::uint16_t spp = 1, bps = 8, format = SAMPLEFORMAT_UINT, photometric = PHOTOMETRIC_MINISBLACK;
  std::uint16_t planar = PLANARCONFIG_CONTIG, inkset = INKSET_CMYK;
  int colour = 1;  // colour samples per pixel: 1 grey, 3 RGB, 4 CMYK
  int alpha = -1;  // index of the alpha sample, -1 when none
  bool premultiplied = false;
};

// True when the image is read sample by sample here; false sends it to TIFFRGBAImage.
bool direct(const Layout& l) {
  const bool depth_ok = (l.format == SAMPLEFORMAT_UINT && (l.bps == 8 || l.bps == 16)) ||
                        (l.format == SAMPLEFORMAT_IEEEFP && l.bps == 32);
  const bool colour_ok = l.photometric == PHOTOMETRIC_MINISBLACK || l.photometric == PHOTOMETRIC_MINISWHITE ||
                         l.photometric == PHOTOMETRIC_RGB ||
                         (l.photometric == PHOTOMETRIC_SEPARATED && l.inkset == INKSET_CMYK);
  return depth_ok && colour_ok && l.spp >= l.colour && (l.planar == PLANARCONFIG_CONTIG || l.spp == 1);
}

// One sample as 0..255: 16 bits rounded (v / 257), float 0..1 scaled and saturated (NaN is 0).
std::uint8_t sample8(const std::uint8_t* p, const Layout& l) {
  if (l.bps == 8) return *p;
  if (l.bps == 16) {
    std::uint16_t v;
    std::memcpy(&v, p, 2);  // libtiff has already swapped to host order
    return static_cast<std::uint8_t>((v + 128u) / 257u);
  }
  float v;
  std::memcpy(&v, p, 4);
  if (!(v > 0.0f)) return 0;
  return v >= 1.0f ? 255 : static_cast<std::uint8_t>(std::lround(v * 255.0f));
}

// Converts one decoded row of `l` into the output row (gray8, rgb8 or rgba8).
void convert_row(const std::uint8_t* s, std::uint8_t* d, std::uint32_t n, const Layout& l, PixelFormat f) {
  const std::size_t bytes = l.bps / 8u, px = bytes * l.spp;
  for (std::uint32_t x = 0; x < n; ++x, s += px) {
    int c[4] = {0, 0, 0, 0};
    for (int i = 0; i < l.colour; ++i) c[i] = sample8(s + static_cast<std::size_t>(i) * bytes, l);
    int a = l.alpha >= 0 ? sample8(s + static_cast<std::size_t>(l.alpha) * bytes, l) : 255;
    if (l.photometric == PHOTOMETRIC_MINISWHITE) c[0] = 255 - c[0];
    if (l.photometric == PHOTOMETRIC_SEPARATED) {
      const int k = 255 - c[3];
      for (int i = 0; i < 3; ++i) c[i] = ((255 - c[i]) * k + 127) / 255;
    }
    if (l.colour == 1) c[1] = c[2] = c[0];
    if (l.premultiplied && a > 0 && a < 255) {
      for (int i = 0; i < 3; ++i) c[i] = std::min(255, (c[i] * 255 + a / 2) / a);
    }
    switch (f) {
      case PixelFormat::gray8: *d++ = static_cast<std::uint8_t>(c[0]); break;
      case PixelFormat::rgb8:
        for (int i = 0; i < 3; ++i) *d++ = static_cast<std::uint8_t>(c[i]);
        break;
      default:
        for (int i = 0; i < 3; ++i) *d++ = static_cast<std::uint8_t>(c[i]);
        *d++ = static_cast<std::uint8_t>(a);
        break;
    }
  }
}

Result<Image> read_direct(TIFF* t, TiffMemFile& f, const Layout& l, PixelFormat fmt) {
  Image out(static_cast<int>(l.w), static_cast<int>(l.h), fmt);
  const std::size_t px = static_cast<std::size_t>(l.bps / 8u) * l.spp;
  if (TIFFIsTiled(t)) {
    std::uint32_t tw = 0, th = 0;
    TIFFGetField(t, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(t, TIFFTAG_TILELENGTH, &th);
    // A tile much larger than the image would be a memory bomb behind a small header.
    if (tw == 0 || th == 0 || tw > l.w + 1024 || th > l.h + 1024 || static_cast<std::uint64_t>(tw) * th > (1u << 26))
      return corrupt(f, "its tile size is out of range");
    const tmsize_t tsize = TIFFTileSize(t);
    if (tsize <= 0 || static_cast<std::size_t>(tsize) < static_cast<std::size_t>(tw) * th * px)
      return corrupt(f, "its tile size does not match the sample layout");
    std::vector<std::uint8_t> tile(static_cast<std::size_t>(tsize));
    for (std::uint32_t ty = 0; ty < l.h; ty += th) {
      for (std::uint32_t tx = 0; tx < l.w; tx += tw) {
        if (TIFFReadTile(t, tile.data(), tx, ty, 0, 0) < 0) return corrupt(f, "a tile cannot be decoded");
        const std::uint32_t n = std::min(tw, l.w - tx);
        for (std::uint32_t y = ty; y < std::min(l.h, ty + th); ++y) {
          convert_row(tile.data() + static_cast<std::size_t>(y - ty) * tw * px,
                      out.row(static_cast<int>(y)) + static_cast<std::size_t>(tx) * channels(fmt), n, l, fmt);
        }
      }
    }
    return out;
  }
  std::uint32_t rps = l.h;
  TIFFGetFieldDefaulted(t, TIFFTAG_ROWSPERSTRIP, &rps);
  rps = std::clamp<std::uint32_t>(rps, 1, l.h);
  const std::size_t row_bytes = static_cast<std::size_t>(l.w) * px;
  std::vector<std::uint8_t> strip(row_bytes * rps);
  for (std::uint32_t y0 = 0, s = 0; y0 < l.h; y0 += rps, ++s) {
    const std::uint32_t rows = std::min(rps, l.h - y0);
    const tmsize_t want = static_cast<tmsize_t>(row_bytes * rows);
    if (TIFFReadEncodedStrip(t, s, strip.data(), want) != want) return corrupt(f, "a strip cannot be decoded");
    for (std::uint32_t y = 0; y < rows; ++y)
      convert_row(strip.data() + y * row_bytes, out.row(static_cast<int>(y0 + y)), l.w, l, fmt);
  }
  return out;
}

Result<Image> read_rgba(TIFF* t, TiffMemFile& f, const Layout& l) {
  char why[1024] = {};
  if (TIFFRGBAImageOK(t, why) != 1) {
    return Error(Errc::bad_image, std::string("The TIFF image uses a layout sdc does not read: ") + why + ".",
                 "save the photo as an 8 or 16-bit RGB or greyscale TIFF, or as PNG.");
  }
  std::vector<std::uint32_t> raster(static_cast<std::size_t>(l.w) * l.h);
  if (TIFFReadRGBAImageOriented(t, l.w, l.h, raster.data(), ORIENTATION_TOPLEFT, 0) != 1)
    return corrupt(f, "the image cannot be decoded");
  const PixelFormat fmt = l.alpha >= 0 ? PixelFormat::rgba8 : PixelFormat::rgb8;
  Image out(static_cast<int>(l.w), static_cast<int>(l.h), fmt);
  const std::uint32_t* p = raster.data();
  for (std::uint32_t y = 0; y < l.h; ++y) {
    std::uint8_t* d = out.row(static_cast<int>(y));
    for (std::uint32_t x = 0; x < l.w; ++x, ++p) {
      // TIFFRGBAImage returns premultiplied colour (it premultiplies unassociated alpha too); sdc
      // images are straight.
      const std::uint32_t a = TIFFGetA(*p);
      const std::uint32_t rgb[3] = {TIFFGetR(*p), TIFFGetG(*p), TIFFGetB(*p)};
      for (std::uint32_t c : rgb) {
        if (fmt == PixelFormat::rgba8 && a > 0 && a < 255) c = std::min<std::uint32_t>(255, (c * 255 + a / 2) / a);
        *d++ = static_cast<std::uint8_t>(c);
      }
      if (fmt == PixelFormat::rgba8) *d++ = static_cast<std::uint8_t>(a);
    }
  }
  return out;
}

}  // namespace

Result<Image> decode_tiff_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  TiffMemFile file{data, size};
  TiffHandle tif(open_tiff_memory(file));
  if (tif.t == nullptr) return corrupt(file, "it cannot be opened");
  TIFF* t = tif.t;
  Layout l;
  if (TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &l.w) != 1 || TIFFGetField(t, TIFFTAG_IMAGELENGTH, &l.h) != 1 || l.w == 0 ||
      l.h == 0 || static_cast<std::int64_t>(l.w) > max_pixels / static_cast<std::int64_t>(l.h)) {
    return corrupt(file, "its size is missing or out of range");
  }
  TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &l.spp);
  TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &l.bps);
  TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLEFORMAT, &l.format);
  TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &l.planar);
  TIFFGetFieldDefaulted(t, TIFFTAG_INKSET, &l.inkset);
  if (TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &l.photometric) != 1) {
    l.photometric = l.spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  }
  l.colour = l.photometric == PHOTOMETRIC_SEPARATED ? 4 : l.photometric == PHOTOMETRIC_RGB ? 3 : 1;
  std::uint16_t extra_count = 0;
  std::uint16_t* extra = nullptr;
  if (TIFFGetField(t, TIFFTAG_EXTRASAMPLES, &extra_count, &extra) == 1 && extra_count > 0 && extra != nullptr &&
      l.spp > l.colour && (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
    l.alpha = l.colour;
    l.premultiplied = extra[0] == EXTRASAMPLE_ASSOCALPHA;
  }
  try {
    if (direct(l)) {
      const PixelFormat fmt = l.alpha >= 0    ? PixelFormat::rgba8
                              : l.colour == 1 ? PixelFormat::gray8
                                              : PixelFormat::rgb8;
      return read_direct(t, file, l, fmt);
    }
    return read_rgba(t, file, l);
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "There is not enough memory to decode the TIFF image.",
                 "scale the photo down or lower the number of images decoded at once.");
  }
}

}  // namespace sdc::detail
