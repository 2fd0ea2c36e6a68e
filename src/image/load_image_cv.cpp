// load_image / decode_image: read the bytes, check the limits from the header (image_header.hpp),
// then decode with OpenCV and convert its BGR(A) layout to sdc's rgb8 / rgba8 / gray8.
#include <sdc/image.hpp>

#include "image/image_header.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

}  // namespace detail

namespace {

using detail::ImageFormat;

Error located(Error e, const std::string& name) {
  e.in_file(name);
  return e;
}

// EXIF orientation to upright, as OpenCV's own (unexported) ApplyExifOrientation does.
void apply_orientation(cv::Mat& m, int o) {
  switch (o) {
    case 2: cv::flip(m, m, 1); break;
    case 3: cv::flip(m, m, -1); break;
    case 4: cv::flip(m, m, 0); break;
    case 5: cv::transpose(m, m); break;
    case 6:
      cv::transpose(m, m);
      cv::flip(m, m, 1);
      break;
    case 7:
      cv::transpose(m, m);
      cv::flip(m, m, -1);
      break;
    case 8:
      cv::transpose(m, m);
      cv::flip(m, m, 0);
      break;
    default: break;
  }
}

Result<Image> to_sdc_image(cv::Mat m, const std::string& name) {
  if (m.depth() == CV_16U) {
    m.convertTo(m, CV_8U, 1.0 / 257.0);  // 65535 -> 255 exactly, rounded
  } else if (m.depth() == CV_32F) {
    m.convertTo(m, CV_8U, 255.0);  // float TIFF: 0..1, saturated
  } else if (m.depth() != CV_8U) {
    return Error(Errc::bad_image,
                 "The image uses a sample format sdc does not read (OpenCV depth " + std::to_string(m.depth()) + ").",
                 "save the photo with 8 or 16 bits per channel.", Where{.file = name});
  }
  const int w = m.cols, h = m.rows;
  switch (m.channels()) {
    case 1: {
      Image img(w, h, PixelFormat::gray8);
      m.copyTo(cv::Mat(h, w, CV_8UC1, img.data()));
      return img;
    }
    case 2: {  // grey + alpha
      Image img(w, h, PixelFormat::rgba8);
      cv::Mat dst(h, w, CV_8UC4, img.data());
      const int from_to[] = {0, 0, 0, 1, 0, 2, 1, 3};
      cv::mixChannels(&m, 1, &dst, 1, from_to, 4);
      return img;
    }
    case 3: {
      Image img(w, h, PixelFormat::rgb8);
      cv::Mat dst(h, w, CV_8UC3, img.data());
      cv::cvtColor(m, dst, cv::COLOR_BGR2RGB);
      return img;
    }
    case 4: {
      Image img(w, h, PixelFormat::rgba8);
      cv::Mat dst(h, w, CV_8UC4, img.data());
      cv::cvtColor(m, dst, cv::COLOR_BGRA2RGBA);
      return img;
    }
    default: break;
  }
  return Error(Errc::bad_image, "The image has " + std::to_string(m.channels()) + " channels; sdc reads 1 to 4.",
               "save the photo as an RGB or greyscale image.", Where{.file = name});
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
      return Error(Errc::bad_image, "The file is not a PNG, JPEG or TIFF image (unknown signature).",
                   "convert the photo to PNG, JPEG or TIFF.", Where{.file = name});
  }
  if (!header) return located(std::move(header).error(), name);

  std::vector<std::uint8_t> without_iccp;
  if (header->iccp_chunk_size > 0) {
    without_iccp.reserve(size - header->iccp_chunk_size);
    without_iccp.insert(without_iccp.end(), data, data + header->iccp_chunk_offset);
    without_iccp.insert(without_iccp.end(), data + header->iccp_chunk_offset + header->iccp_chunk_size, data + size);
    data = without_iccp.data();
    size = without_iccp.size();
  }
  cv::Mat decoded;
  try {
    const cv::Mat buf(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(data));
    decoded = cv::imdecode(buf, cv::IMREAD_UNCHANGED);
  } catch (const std::exception& e) {
    return Error(Errc::bad_image,
                 std::string("The ") + detail::format_name(format) + " image data cannot be decoded: " + e.what(),
                 "re-export the photo from an image editor, or use another copy.", Where{.file = name});
  }
  if (decoded.empty()) {
    return Error(Errc::bad_image,
                 std::string("The ") + detail::format_name(format) + " image data is corrupt and cannot be decoded.",
                 "re-export the photo from an image editor, or use another copy.", Where{.file = name});
  }
  if (auto st = detail::check_pixel_limit(decoded.cols, decoded.rows, options.max_pixels); !st) {
    return located(std::move(st).error(), name);
  }
  Result<Image> img = Error(Errc::internal, "unreachable");
  try {
    apply_orientation(decoded, header->orientation);
    img = to_sdc_image(std::move(decoded), name);
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("Converting the decoded image failed: ") + e.what(),
                 "please report this as a bug in sdc.", Where{.file = name});
  }
  if (!img) return img;
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
