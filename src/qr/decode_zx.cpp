// QR decoding with zxing-cpp 1.4.0 (Debian bookworm): the only file that includes ZXing. The
// 2.x API renames DecodeHints to ReaderOptions and Result to Barcode; an upgrade touches only this.
#define ZX_USE_UTF8 1
#include <sdc/qr.hpp>

#include <ZXing/DecodeHints.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <exception>

namespace sdc {

std::vector<QrDecoded> decode_qr_codes(const ImageView& image, const QrDecodeOptions& options) {
  std::vector<QrDecoded> out;
  if (image.empty()) return out;
  std::vector<std::uint8_t> grey;  // only for cmyk8, which zxing cannot read directly
  ZXing::ImageFormat format = ZXing::ImageFormat::Lum;
  const std::uint8_t* data = image.data();
  int stride = static_cast<int>(image.row_stride());
  switch (image.format()) {
    case PixelFormat::gray8: format = ZXing::ImageFormat::Lum; break;
    case PixelFormat::rgb8: format = ZXing::ImageFormat::RGB; break;
    case PixelFormat::rgba8: format = ZXing::ImageFormat::RGBX; break;
    case PixelFormat::cmyk8: {
      grey.resize(static_cast<std::size_t>(image.width()) * image.height());
      for (int y = 0; y < image.height(); ++y) {
        const std::uint8_t* p = image.row(y);
        for (int x = 0; x < image.width(); ++x, p += 4) {
          // Reflectance of the inks multiplied; K dominates for a code printed in K.
          const int ink = std::max({p[0], p[1], p[2]}) / 3 + p[3];
          grey[static_cast<std::size_t>(y) * image.width() + x] = static_cast<std::uint8_t>(255 - std::min(255, ink));
        }
      }
      data = grey.data();
      stride = image.width();
      format = ZXing::ImageFormat::Lum;
      break;
    }
  }
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(options.try_harder);
  hints.setTryRotate(options.try_harder);
  hints.setTryDownscale(options.try_harder);
  hints.setMaxNumberOfSymbols(static_cast<uint8_t>(std::clamp(options.max_symbols, 1, 255)));
  try {
    const ZXing::ImageView view(data, image.width(), image.height(), format, stride);
    for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      QrDecoded d;
      d.text = r.text();
      d.bytes.assign(r.bytes().begin(), r.bytes().end());
      d.ec_level = r.ecLevel();
      const auto& pos = r.position();
      d.corners = {QrDecoded::Point{pos.topLeft().x, pos.topLeft().y},
                   QrDecoded::Point{pos.topRight().x, pos.topRight().y},
                   QrDecoded::Point{pos.bottomRight().x, pos.bottomRight().y},
                   QrDecoded::Point{pos.bottomLeft().x, pos.bottomLeft().y}};
      out.push_back(std::move(d));
    }
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    // zxing-cpp reports bad symbols as results, not exceptions; anything thrown here is an
    // unreadable image, which is "no code found" for the caller.
    out.clear();
  }
  return out;
}

std::vector<std::string> decode_qr(const ImageView& image) {
  std::vector<std::string> texts;
  for (auto& d : decode_qr_codes(image)) texts.push_back(std::move(d.text));
  return texts;
}

}  // namespace sdc
