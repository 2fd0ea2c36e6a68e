#include <sdc/color.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "color/separate_detail.hpp"

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
void knockout_row(std::uint8_t* row, const std::uint8_t* k, int width) {
  for (int x = 0; x < width; ++x) {
    // Most of a card has no K: skip it eight pixels at a time.
    std::uint64_t eight = 0;
    while (x + 8 <= width && (std::memcpy(&eight, k + x, 8), eight == 0)) x += 8;
    if (x == width) break;
    const unsigned a = k[x];
    if (a == 0) continue;
    std::uint8_t* p = row + 4 * static_cast<std::ptrdiff_t>(x);
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

namespace detail {

namespace {

bool same_transform(const ColorTransform& a, const ColorTransform& b) {
  // Copies share one immutable implementation; its profile bytes' address identifies it.
  return !a.empty() && !b.empty() && &a.output_profile() == &b.output_profile();
}

void ensure(Image& im, int w, int h, PixelFormat f) {
  if (im.width() != w || im.height() != h || im.format() != f) im = Image(w, h, f);
}

// One row through the memo: runs of pixels that differ from the memo's RGB are transformed and
// limited into the memo's CMYK row; the row is then the memo's. Returns the pixels transformed.
std::int64_t memo_row(const ColorTransform& transform, const std::uint8_t* rgb, std::uint8_t* memo_rgb,
                      std::uint8_t* memo_cmyk, int width, int limit) {
  std::int64_t done = 0;
  int x = 0;
  while (x < width) {
    while (x + 16 <= width && std::memcmp(rgb + 3 * x, memo_rgb + 3 * x, 48) == 0) x += 16;
    while (x < width && std::memcmp(rgb + 3 * x, memo_rgb + 3 * x, 3) == 0) ++x;
    if (x == width) break;
    int end = x + 1;
    // A run ends at 8 equal pixels in a row, so short gaps do not split the call.
    int same = 0;
    while (end < width && same < 8) {
      same = std::memcmp(rgb + 3 * end, memo_rgb + 3 * end, 3) == 0 ? same + 1 : 0;
      ++end;
    }
    end -= same;
    const auto n = static_cast<std::size_t>(end - x);
    transform.rgb_to_cmyk(rgb + 3 * x, memo_cmyk + 4 * x, n);
    limit_row(memo_cmyk + 4 * x, end - x, limit);
    std::memcpy(memo_rgb + 3 * x, rgb + 3 * x, 3 * n);
    done += end - x;
    x = end;
  }
  return done;
}

}  // namespace

Status separate_into(const Planes& planes, const ColorTransform& transform, const SeparationOptions& options,
                     Image& out, SeparationMemo* memo) {
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
  const int w = rgb.width(), h = rgb.height();
  ensure(out, w, h, PixelFormat::cmyk8);
  out.set_dpi(planes.dpi);
  const int limit = limit_units(options.max_total_coverage);
  if (!memo) {
    for (int y = 0; y < h; ++y) {
      std::uint8_t* row = out.row(y);
      transform.rgb_to_cmyk(rgb.row(y), row, static_cast<std::size_t>(w));
      limit_row(row, w, limit);
      if (has_k) knockout_row(row, planes.k.row(y), w);
    }
    return {};
  }
  const bool fresh = !same_transform(memo->transform, transform) || memo->limit != limit || memo->rgb.width() != w ||
                     memo->rgb.height() != h || memo->cmyk.width() != w || memo->cmyk.height() != h;
  if (fresh) {
    memo->transform = transform;
    memo->limit = limit;
    ensure(memo->rgb, w, h, PixelFormat::rgb8);
    ensure(memo->cmyk, w, h, PixelFormat::cmyk8);
  }
  memo->transformed_pixels = 0;
  for (int y = 0; y < h; ++y) {
    std::uint8_t* m = memo->cmyk.row(y);
    if (fresh) {
      transform.rgb_to_cmyk(rgb.row(y), m, static_cast<std::size_t>(w));
      limit_row(m, w, limit);
      std::memcpy(memo->rgb.row(y), rgb.row(y), static_cast<std::size_t>(w) * 3);
      memo->transformed_pixels += w;
    } else {
      memo->transformed_pixels += memo_row(transform, rgb.row(y), memo->rgb.row(y), m, w, limit);
    }
    std::uint8_t* row = out.row(y);
    std::memcpy(row, m, static_cast<std::size_t>(w) * 4);
    if (has_k) knockout_row(row, planes.k.row(y), w);
  }
  return {};
}

}  // namespace detail

Result<Image> separate(const Planes& planes, const ColorTransform& transform, const SeparationOptions& options) {
  Image out;
  SDC_TRY(detail::separate_into(planes, transform, options, out, nullptr));
  return out;
}

}  // namespace sdc
