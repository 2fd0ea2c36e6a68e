#include <sdc/image.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sdc {

ImageView::ImageView(const std::uint8_t* data, int width, int height, PixelFormat format, std::ptrdiff_t row_stride)
    : data_(data), width_(width), height_(height), format_(format), stride_(row_stride) {
  if (width < 0 || height < 0) throw std::invalid_argument("sdc::ImageView: negative size");
  const std::ptrdiff_t min_stride = static_cast<std::ptrdiff_t>(width) * channels(format);
  if (stride_ == 0) stride_ = min_stride;
  if (stride_ < min_stride) throw std::invalid_argument("sdc::ImageView: row_stride smaller than a row");
  if (data == nullptr && width > 0 && height > 0) throw std::invalid_argument("sdc::ImageView: null data");
}

ImageView ImageView::cropped(PxRect r) const {
  const int x0 = std::clamp(r.x, 0, width_), y0 = std::clamp(r.y, 0, height_);
  const int x1 = std::clamp(r.x + r.w, x0, width_), y1 = std::clamp(r.y + r.h, y0, height_);
  if (x1 == x0 || y1 == y0) return ImageView();
  return ImageView(data_ + y0 * stride_ + x0 * channels(format_), x1 - x0, y1 - y0, format_, stride_);
}

Image::Image(int width, int height, PixelFormat format) : width_(width), height_(height), format_(format) {
  if (width < 0 || height < 0) throw std::invalid_argument("sdc::Image: negative size");
  pixels_.assign(static_cast<std::size_t>(width) * height * channels(format), 0);
}

Image Image::copy_of(const ImageView& view) {
  Image img(view.width(), view.height(), view.format());
  const auto row_bytes = static_cast<std::size_t>(img.row_stride());
  for (int y = 0; y < view.height(); ++y) std::memcpy(img.row(y), view.row(y), row_bytes);
  return img;
}

}  // namespace sdc
