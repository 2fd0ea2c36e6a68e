#include <sdc/color.hpp>

#include <algorithm>
#include <string>

namespace sdc {

namespace {

// The limit in ink units (255 per 100 %), rounded down so that "<= limit units" implies "<= limit %".
int limit_units(int percent) {
  return percent * 255 / 100;
}

inline void limit_pixel(std::uint8_t* p, int limit) {
  const int cmy = p[0] + p[1] + p[2];
  if (cmy + p[3] <= limit) return;
  // K is kept (it carries the detail); CMY share what is left. Floors keep the sum under the limit.
  const int avail = limit - p[3];  // >= 0: the limit is at least 255 units
  for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(p[c] * avail / cmy);
}

void limit_row(std::uint8_t* p, int width, int limit) {
  for (int x = 0; x < width; ++x, p += 4) limit_pixel(p, limit);
}

// K knockout: C,M,Y,K' = C,M,Y,K * (1 - k) (+ 255 k for K). Floors keep TAC within the limit.
void knockout_row(std::uint8_t* p, const std::uint8_t* k, int width) {
  for (int x = 0; x < width; ++x, p += 4) {
    const unsigned a = k[x];
    if (a == 0) continue;
    if (a == 255) {
      p[0] = p[1] = p[2] = 0;
      p[3] = 255;
      continue;
    }
    const unsigned keep = 255 - a;
    for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(p[c] * keep / 255);
    p[3] = static_cast<std::uint8_t>((p[3] * keep + 255 * a) / 255);
  }
}

}  // namespace

Status limit_coverage(Image& cmyk, int max_total_coverage) {
  if (cmyk.format() != PixelFormat::cmyk8)
    return Error(Errc::invalid_argument, "the coverage limit applies to CMYK images only.", "separate first.");
  if (max_total_coverage < 100 || max_total_coverage > 400)
    return Error(Errc::invalid_argument,
                 "total area coverage limit " + std::to_string(max_total_coverage) + " % is outside 100 to 400 %.",
                 "use the limit your print provider gives (usually 280 to 340 %).");
  const int limit = limit_units(max_total_coverage);
  for (int y = 0; y < cmyk.height(); ++y) limit_row(cmyk.row(y), cmyk.width(), limit);
  return {};
}

int peak_coverage(const ImageView& cmyk) {
  if (cmyk.format() != PixelFormat::cmyk8) return 0;
  int peak = 0;
  for (int y = 0; y < cmyk.height(); ++y) {
    const std::uint8_t* p = cmyk.row(y);
    for (int x = 0; x < cmyk.width(); ++x, p += 4) peak = std::max(peak, p[0] + p[1] + p[2] + p[3]);
  }
  return (peak * 100 + 254) / 255;
}

Result<Image> separate(const Planes& planes, const ColorTransform& transform, const SeparationOptions& options) {
  if (transform.empty())
    return Error(Errc::invalid_argument, "the ColorTransform is empty.", "create it with ColorTransform::create().");
  if (options.max_total_coverage < 100 || options.max_total_coverage > 400)
    return Error(
        Errc::invalid_argument,
        "total area coverage limit " + std::to_string(options.max_total_coverage) + " % is outside 100 to 400 %.",
        "use the limit your print provider gives (usually 280 to 340 %).");
  const Image& rgb = planes.process;
  if (rgb.empty() || rgb.format() != PixelFormat::rgb8)
    return Error(Errc::invalid_argument, "the planes have no rgb8 process plane.", "render the card first.");
  const bool has_k = !planes.k.empty();
  if (has_k &&
      (planes.k.width() != rgb.width() || planes.k.height() != rgb.height() || planes.k.format() != PixelFormat::gray8))
    return Error(Errc::invalid_argument, "the K plane does not match the process plane.",
                 "pass planes as Renderer::render returns them.");
  Image out(rgb.width(), rgb.height(), PixelFormat::cmyk8);
  out.set_dpi(planes.dpi);
  const int limit = limit_units(options.max_total_coverage);
  for (int y = 0; y < rgb.height(); ++y) {
    std::uint8_t* row = out.row(y);
    transform.rgb_to_cmyk(rgb.row(y), row, static_cast<std::size_t>(rgb.width()));
    limit_row(row, out.width(), limit);
    if (has_k) knockout_row(row, planes.k.row(y), out.width());
  }
  return out;
}

}  // namespace sdc
