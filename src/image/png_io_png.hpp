// libpng reading from memory, shared by the header reader (png_header_png.cpp) and the pixel
// decoder (pixels_png.cpp): the source, and the read, error and warning callbacks. libpng adapter
// code: only *_png files include it (tests/product/check_layers.sh).
#pragma once

#include <png.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sdc::detail {

/// The bytes libpng reads, and the message of the error that stopped it (for the caller's Error).
/// Passed to libpng as both its io pointer and its error pointer.
struct PngMemSource {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t pos = 0;
  char error[200] = {};
};

/// png_set_read_fn callback: a read past the end is a libpng error, never an overread.
inline void png_read_mem(png_structp png, png_bytep out, std::size_t len) {
  auto* src = static_cast<PngMemSource*>(png_get_io_ptr(png));
  if (len > src->size - src->pos) png_error(png, "unexpected end of file");
  std::memcpy(out, src->data + src->pos, len);
  src->pos += len;
}

/// png_create_read_struct error callback: keeps the message, then longjmps to the caller's setjmp.
[[noreturn]] inline void png_on_error(png_structp png, png_const_charp msg) {
  auto* src = static_cast<PngMemSource*>(png_get_error_ptr(png));
  std::strncpy(src->error, msg, sizeof(src->error) - 1);
  png_longjmp(png, 1);
}

/// Warnings (trouble in an ancillary chunk) are ignored, never printed.
inline void png_on_warning(png_structp, png_const_charp) {}

}  // namespace sdc::detail
