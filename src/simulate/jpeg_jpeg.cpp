// JPEG encoding with libjpeg-turbo for the simulator (decoding goes through decode_image). Errors
// longjmp back to encode() instead of libjpeg's default exit().
#include <sdc/simulate.hpp>

#include <cstdio>  // jpeglib.h needs FILE and size_t declared first

#include <jpeglib.h>

#include <csetjmp>
#include <cstdlib>
#include <string>

namespace sdc {
namespace {

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

void on_message(j_common_ptr, int) {}

// Only C objects live in this frame (setjmp); the output buffer is malloc'd by libjpeg.
bool encode(const ImageView& img, int quality, unsigned char** out, unsigned long* out_size, ErrorManager& err) {
  jpeg_compress_struct cinfo{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, out_size);
  cinfo.image_width = static_cast<JDIMENSION>(img.width());
  cinfo.image_height = static_cast<JDIMENSION>(img.height());
  const bool grey = img.format() == PixelFormat::gray8;
  cinfo.input_components = grey ? 1 : 3;
  cinfo.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  cinfo.dct_method = JDCT_ISLOW;  // integer DCT: the same bytes on every machine
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(img.row(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<Image> jpeg_roundtrip(const ImageView& image, int quality) {
  if (image.empty() || (image.format() != PixelFormat::gray8 && image.format() != PixelFormat::rgb8))
    return Error(Errc::invalid_argument, "jpeg_roundtrip needs a non-empty gray8 or rgb8 image",
                 "convert the image to rgb8 first");
  if (quality < 1 || quality > 100)
    return Error(Errc::invalid_argument, "JPEG quality " + std::to_string(quality) + " is outside 1..100",
                 "give a quality from 1 (worst) to 100 (best)");
  ErrorManager err{};
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const bool ok = encode(image, quality, &buf, &size, err);
  if (!ok) {
    std::free(buf);
    return Error(Errc::internal, std::string("libjpeg could not encode the image: ") + err.message,
                 "this is a bug in sdc: please report it");
  }
  auto decoded = decode_image(buf, size, "simulated JPEG");
  std::free(buf);
  if (!decoded) return decoded.error();
  Image out = std::move(*decoded);
  out.set_dpi(Dpi{0});
  return out;
}

}  // namespace sdc
