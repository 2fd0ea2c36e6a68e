// Test helper: encodes JPEG fixtures with libjpeg-turbo (the library sdc decodes with, but through
// its encoder, which the decoder does not share). Header-only so tests of other concepts can use it.
#pragma once

#include <sdc/image.hpp>

#include <cstdio>  // jpeglib.h needs FILE and size_t declared first

#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace sdc::test {

/// JPEG bytes of a gray8, rgb8 or cmyk8 view (cmyk8 is written as Adobe-style inverted CMYK, as
/// Photoshop does). Aborts the test binary on an encoder error (fixtures are always valid).
inline std::vector<std::uint8_t> encode_jpeg(const ImageView& v, int quality = 95) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = static_cast<JDIMENSION>(v.width());
  c.image_height = static_cast<JDIMENSION>(v.height());
  c.input_components = channels(v.format());
  c.in_color_space = v.format() == PixelFormat::gray8   ? JCS_GRAYSCALE
                     : v.format() == PixelFormat::cmyk8 ? JCS_CMYK
                                                        : JCS_RGB;
  if (v.format() == PixelFormat::rgba8) std::abort();
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(v.width()) * channels(v.format()));
  for (int y = 0; y < v.height(); ++y) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      // sdc's cmyk8 is ink 0..255; Adobe CMYK JPEGs store 255 - ink.
      row[i] = v.format() == PixelFormat::cmyk8 ? static_cast<std::uint8_t>(255 - v.row(y)[i]) : v.row(y)[i];
    }
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::vector<std::uint8_t> bytes(out, out + size);
  std::free(out);
  return bytes;
}

}  // namespace sdc::test
