// JPEG pixels with libjpeg-turbo. libjpeg's default error handler prints to stderr and calls
// exit(): an error manager that longjmps back here is installed instead, and every message (error
// or warning) is kept for the Error rather than printed.
#include "image/image_decode.hpp"

#include <cstdio>  // jpeglib.h needs FILE and size_t declared first

#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>
#include <vector>

namespace sdc::detail {
namespace {

// A progressive JPEG may hold any number of scans, each a full pass over the coefficients: a small
// hostile file can keep the decoder busy for minutes. Real encoders write about 10.
constexpr int kMaxScans = 500;

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg casts cinfo->err back to this struct
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1) and traces are silent. A file that ends early is refused: libjpeg would pad
// the missing part with grey and call it a success.
void on_message(j_common_ptr cinfo, int level) {
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) on_error_exit(cinfo);
  if (level == -1) ++cinfo->err->num_warnings;
}

void on_progress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxScans) {
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "more than %d progressive scans", kMaxScans);
    std::longjmp(err->jump, 1);
  }
}

// From CMYK as libjpeg returns it to RGB, without a profile. Adobe's encoders (the only common
// source of CMYK JPEGs) store the channels inverted, 255 = no ink.
void cmyk_to_rgb(const std::uint8_t* s, std::uint8_t* d, int w, bool inverted) {
  for (int x = 0; x < w; ++x, s += 4, d += 3) {
    const int k = inverted ? s[3] : 255 - s[3];
    for (int c = 0; c < 3; ++c) {
      const int v = inverted ? s[c] : 255 - s[c];
      d[c] = static_cast<std::uint8_t>((v * k + 127) / 255);
    }
  }
}

// Only C objects and storage allocated outside the setjmp region live in this frame.
bool decode(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels, Image& out, ErrorManager& err,
            std::vector<std::uint8_t>& cmyk_row) {
  jpeg_decompress_struct cinfo{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_message;
  jpeg_progress_mgr progress{};
  progress.progress_monitor = on_progress;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  cinfo.progress = &progress;
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);

  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  const bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
  cinfo.out_color_space = cmyk ? JCS_CMYK : grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const JDIMENSION w = cinfo.output_width, h = cinfo.output_height;
  if (w == 0 || h == 0 || static_cast<std::int64_t>(w) > max_pixels / static_cast<std::int64_t>(h) ||
      cinfo.output_components != (cmyk   ? 4
                                  : grey ? 1
                                         : 3)) {
    std::snprintf(err.message, sizeof err.message, "unexpected size or channel count after decoding");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  try {
    out = Image(static_cast<int>(w), static_cast<int>(h), grey ? PixelFormat::gray8 : PixelFormat::rgb8);
    if (cmyk) cmyk_row.resize(static_cast<std::size_t>(w) * 4);
  } catch (...) {
    jpeg_destroy_decompress(&cinfo);
    throw;
  }
  while (cinfo.output_scanline < h) {
    const int y = static_cast<int>(cinfo.output_scanline);
    JSAMPROW row = cmyk ? cmyk_row.data() : out.row(y);
    jpeg_read_scanlines(&cinfo, &row, 1);
    if (cmyk) cmyk_to_rgb(cmyk_row.data(), out.row(y), static_cast<int>(w), cinfo.saw_Adobe_marker != 0);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

}  // namespace

Result<Image> decode_jpeg_pixels(const std::uint8_t* data, std::size_t size, std::int64_t max_pixels) {
  ErrorManager err{};
  Image img;
  std::vector<std::uint8_t> cmyk_row;
  bool ok = false;
  try {
    ok = decode(data, size, max_pixels, img, err, cmyk_row);
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "There is not enough memory to decode the JPEG image.",
                 "scale the photo down or lower the number of images decoded at once.");
  }
  if (!ok) {
    const bool cut = std::strstr(err.message, "Premature end") != nullptr;
    return Error(
        Errc::bad_image,
        std::string(cut ? "The JPEG file is truncated: " : "The JPEG image data is corrupt: ") + err.message + ".",
        cut ? "copy the photo again from its source; the transfer was probably cut short."
            : "re-export the photo as JPEG or PNG from an image editor, or use another copy.");
  }
  return img;
}

}  // namespace sdc::detail
