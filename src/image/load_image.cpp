// load_image / decode_image: read the bytes, check the limits from the header (image_header.hpp),
// then decode with the format's own library (image_decode.hpp) and turn JPEGs upright.
#include <sdc/image.hpp>

#include "image/image_decode.hpp"
#include "image/image_header.hpp"

#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <system_error>

namespace sdc {
namespace detail {

ImageFormat sniff_format(const std::uint8_t* d, std::size_t n) noexcept {
  if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::png;
  if (n >= 2 && d[0] == 0xFF && d[1] == 0xD8) return ImageFormat::jpeg;
  if (n >= 4 && ((d[0] == 'I' && d[1] == 'I' && (d[2] == 42 || d[2] == 43) && d[3] == 0) ||
                 (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && (d[3] == 42 || d[3] == 43)))) {
    return ImageFormat::tiff;
  }
  return ImageFormat::unknown;
}

// What an image file that sdc does not read is, from its signature, for the error: a phone's HEIC
// photo is the one an officer most likely meets. Null when it is none of these.
const char* unread_format(const std::uint8_t* d, std::size_t n) noexcept {
  if (n >= 12 && std::memcmp(d + 4, "ftyp", 4) == 0) {
    const auto brand = [&](const char* b) { return std::memcmp(d + 8, b, 4) == 0; };
    if (brand("avif") || brand("avis")) return "an AVIF image";
    if (brand("heic") || brand("heix") || brand("heim") || brand("heis") || brand("hevc") || brand("hevx") ||
        brand("mif1") || brand("msf1"))
      return "a HEIC (HEIF) image, as phones save photos";
    if (brand("jp2 ")) return "a JPEG 2000 image";
    return nullptr;
  }
  if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) return "a WebP image";
  if (n >= 6 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0)) return "a GIF image";
  if (n >= 2 && d[0] == 'B' && d[1] == 'M') return "a BMP image";
  if (n >= 12 && std::memcmp(d, "\0\0\0\x0CjP  \r\n\x87\n", 12) == 0) return "a JPEG 2000 image";
  if (n >= 4 && d[0] == 0xFF && d[1] == 0x4F && d[2] == 0xFF && d[3] == 0x51) return "a JPEG 2000 codestream";
  if (n >= 5 && std::memcmp(d, "%PDF-", 5) == 0) return "a PDF document";
  return nullptr;
}

const char* format_name(ImageFormat f) noexcept {
  switch (f) {
    case ImageFormat::png: return "PNG";
    case ImageFormat::jpeg: return "JPEG";
    case ImageFormat::tiff: return "TIFF";
    case ImageFormat::unknown: break;
  }
  return "unknown";
}

Status check_pixel_limit(std::int64_t width, std::int64_t height, std::int64_t max_pixels) {
  // w * h > m  <=>  w > floor(m / h) for positive integers: no overflow for any header value.
  if (width <= 0 || height <= 0 || max_pixels < 0 || width > max_pixels / height) {
    return Error(Errc::limit_exceeded,
                 "The image is " + std::to_string(width) + " x " + std::to_string(height) +
                     " pixels, more than the limit of " + std::to_string(max_pixels) + " pixels; it was not decoded.",
                 "scale the photo down (a card portrait needs about 600 x 800 pixels) or raise "
                 "ImageLoadOptions::max_pixels.");
  }
  return {};
}

bool icc_fits_channels(const std::vector<std::uint8_t>& icc, int ch) noexcept {
  if (icc.size() < 128) return false;
  const char* cs = reinterpret_cast<const char*>(icc.data() + 16);
  if (ch == 1) return std::memcmp(cs, "GRAY", 4) == 0;
  if (ch == 3) return std::memcmp(cs, "RGB ", 4) == 0;
  return false;
}

Image apply_orientation(Image img, int o) {
  if (o < 2 || o > 8 || img.empty()) return img;
  const int w = img.width(), h = img.height(), bpp = channels(img.format());
  // Orientations 5..8 swap the axes (EXIF 2.32, 4.6.4 A): stored row y becomes output column.
  const bool swap = o >= 5;
  Image out(swap ? h : w, swap ? w : h, img.format());
  const int ow = out.width(), oh = out.height();
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* s = img.row(y);
    for (int x = 0; x < w; ++x, s += bpp) {
      int dx = x, dy = y;
      switch (o) {
        case 2: dx = w - 1 - x; break;
        case 3: dx = w - 1 - x, dy = h - 1 - y; break;
        case 4: dy = h - 1 - y; break;
        case 5: dx = y, dy = x; break;
        case 6: dx = ow - 1 - y, dy = x; break;
        case 7: dx = ow - 1 - y, dy = oh - 1 - x; break;
        case 8: dx = y, dy = oh - 1 - x; break;
        default: break;
      }
      std::memcpy(out.row(dy) + static_cast<std::ptrdiff_t>(dx) * bpp, s, static_cast<std::size_t>(bpp));
    }
  }
  out.set_dpi(img.dpi());
  out.set_icc_profile(img.icc_profile());
  return out;
}

}  // namespace detail

namespace {

using detail::ImageFormat;

Error located(Error e, const std::string& name) {
  e.in_file(name);
  return e;
}

}  // namespace

Result<Image> decode_image(const std::uint8_t* data, std::size_t size, const std::string& name,
                           const ImageLoadOptions& options) {
  if (data == nullptr || size == 0) {
    return Error(Errc::bad_image, "The image file is empty.", "check that the photo was copied completely.",
                 Where{.file = name});
  }
  if (options.max_file_bytes >= 0 &&
      static_cast<std::uint64_t>(size) > static_cast<std::uint64_t>(options.max_file_bytes)) {
    return Error(Errc::limit_exceeded,
                 "The image file is " + std::to_string(size) + " bytes, more than the limit of " +
                     std::to_string(options.max_file_bytes) + " bytes.",
                 "compress or scale the photo down, or raise ImageLoadOptions::max_file_bytes.", Where{.file = name});
  }
  if (size > static_cast<std::size_t>(INT_MAX)) {
    return Error(Errc::limit_exceeded, "The image file is larger than 2 GiB.", "scale the photo down.",
                 Where{.file = name});
  }
  const ImageFormat format = detail::sniff_format(data, size);
  Result<detail::ImageHeader> header = Error(Errc::internal, "unreachable");
  switch (format) {
    case ImageFormat::png: header = detail::read_png_header(data, size, options.max_pixels); break;
    case ImageFormat::jpeg: header = detail::read_jpeg_header(data, size, options.max_pixels); break;
    case ImageFormat::tiff: header = detail::read_tiff_header(data, size, options.max_pixels); break;
    case ImageFormat::unknown:
      if (const char* what = detail::unread_format(data, size))
        return Error(Errc::bad_image, std::string("The file is ") + what + ", not a PNG, JPEG or TIFF image.",
                     "save or export the photo as JPEG (on an iPhone: Settings > Camera > Formats > Most "
                     "Compatible), or convert it to PNG or TIFF.",
                     Where{.file = name});
      return Error(Errc::bad_image, "The file is not a PNG, JPEG or TIFF image (unknown signature).",
                   "convert the photo to PNG, JPEG or TIFF.", Where{.file = name});
  }
  if (!header) return located(std::move(header).error(), name);

  Result<Image> img = Error(Errc::internal, "unreachable");
  switch (format) {
    case ImageFormat::png: img = detail::decode_png_pixels(data, size, options.max_pixels); break;
    case ImageFormat::jpeg: img = detail::decode_jpeg_pixels(data, size, options.max_pixels); break;
    case ImageFormat::tiff: img = detail::decode_tiff_pixels(data, size, options.max_pixels); break;
    case ImageFormat::unknown: break;
  }
  if (!img) return located(std::move(img).error(), name);
  if (header->orientation != 1) *img = detail::apply_orientation(std::move(*img), header->orientation);
  const int colour_channels = img->format() == PixelFormat::gray8 ? 1 : 3;
  if (detail::icc_fits_channels(header->icc, colour_channels)) img->set_icc_profile(std::move(header->icc));
  if (header->dpi_x >= 1.0) img->set_dpi(Dpi{static_cast<int>(std::lround(header->dpi_x))});
  return img;
}

Result<Image> load_image(const std::filesystem::path& path, const ImageLoadOptions& options) {
  const std::string name = path.string();
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) {
    return Error(Errc::io, "The image file does not exist.",
                 "check the path (relative paths in a record are "
                 "relative to the record file).",
                 Where{.file = name});
  }
  if (!std::filesystem::is_regular_file(st)) {
    return Error(Errc::io, "The image path is not a regular file.", "give the path of a PNG, JPEG or TIFF file.",
                 Where{.file = name});
  }
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec) {
    return Error(Errc::io, "The image file cannot be read: " + ec.message() + ".", "check its permissions.",
                 Where{.file = name});
  }
  if (options.max_file_bytes >= 0 && file_size > static_cast<std::uintmax_t>(options.max_file_bytes)) {
    return Error(Errc::limit_exceeded,
                 "The image file is " + std::to_string(file_size) + " bytes, more than the limit of " +
                     std::to_string(options.max_file_bytes) + " bytes; it was not read.",
                 "compress or scale the photo down, or raise ImageLoadOptions::max_file_bytes.", Where{.file = name});
  }
  if (file_size == 0) {
    return Error(Errc::bad_image, "The image file is empty.", "check that the photo was copied completely.",
                 Where{.file = name});
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(file_size));
  if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    return Error(Errc::io, "The image file cannot be read.", "check its permissions and that it is not being written.",
                 Where{.file = name});
  }
  return decode_image(bytes.data(), bytes.size(), name, options);
}

}  // namespace sdc
