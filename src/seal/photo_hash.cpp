// Perceptual photo hash, exactly as docs/seal.md ("Photo hash") specifies it, in plain C++: the
// same bytes as OpenCV's img_hash::PHash (which sdc used before) on every image of the tests.
#include <sdc/seal.hpp>

#include "core/pixels.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>

namespace sdc {

namespace {

constexpr int side = 32;  // the hash looks at a 32 x 32 grey thumbnail
constexpr int low = 8;    // and its 8 x 8 lowest DCT frequencies

// One output sample along an axis: input pixels i and i + 1 mixed with weights w0, w1 (1/256).
struct Tap {
  int i = 0;
  int w0 = 256, w1 = 0;
};

// OpenCV's INTER_LINEAR_EXACT taps (fixed point, no pre-smoothing) for n input pixels. The
// position is computed in doubles, operation by operation (no fused multiply-add), as OpenCV does.
std::array<Tap, side> taps(int n) {
  std::array<Tap, side> out{};
  const double scale = 1.0 / (static_cast<double>(side) / static_cast<double>(n));
  for (int d = 0; d < side; ++d) {
    volatile double t = scale * (static_cast<double>(d) + 0.5);  // volatile: forbid contraction
    const double f = t - 0.5;
    const int i = static_cast<int>(std::floor(f));
    Tap& tap = out[static_cast<std::size_t>(d)];
    if (i < 0) {
      tap = Tap{0, 256, 0};
    } else if (i >= n - 1) {
      tap = Tap{n - 1, 256, 0};
    } else {
      const int w1 = static_cast<int>(std::nearbyint((f - i) * 256.0));  // ties to even
      tap = Tap{i, 256 - w1, w1};
    }
  }
  return out;
}

// Steps 1 and 2: grey, then resized to 32 x 32 (rows first, 8 fractional bits kept in between).
std::array<std::array<int, side>, side> thumbnail(const ImageView& img) {
  const int w = img.width(), h = img.height(), nc = channels(img.format());
  const auto tx = taps(w), ty = taps(h);
  auto grey = [&](int y, int x) {
    return static_cast<int>(
        detail::grey_ignoring_alpha(img.row(y) + static_cast<std::ptrdiff_t>(x) * nc, img.format()));
  };
  auto row = [&](int y) {
    std::array<int, side> r{};
    for (std::size_t d = 0; d < side; ++d) {
      const Tap& t = tx[d];
      r[d] = t.w1 == 0 ? 256 * grey(y, t.i) : t.w0 * grey(y, t.i) + t.w1 * grey(y, t.i + 1);
    }
    return r;
  };
  std::array<std::array<int, side>, side> out{};
  for (std::size_t d = 0; d < side; ++d) {
    const Tap& t = ty[d];
    const auto a = row(t.i);
    if (t.w1 == 0) {
      for (std::size_t x = 0; x < side; ++x) out[d][x] = (a[x] + 128) >> 8;
    } else {
      const auto b = row(t.i + 1);
      for (std::size_t x = 0; x < side; ++x) out[d][x] = (t.w0 * a[x] + t.w1 * b[x] + 32768) >> 16;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> photo_hash(const ImageView& photo) {
  if (photo.width() < 16 || photo.height() < 16)
    return Error(Errc::bad_image,
                 "the photo is " + std::to_string(photo.width()) + " x " + std::to_string(photo.height()) +
                     " pixels, too small for a perceptual hash (16 x 16 at least)",
                 "give the portrait as cropped for printing");
  const auto p = thumbnail(photo);

  // Step 3: orthonormal DCT-II in double, 8 x 8 lowest frequencies, rows then columns.
  std::array<std::array<double, side>, low> basis{};  // a(k) cos(pi (2x + 1) k / 64)
  for (int k = 0; k < low; ++k)
    for (int x = 0; x < side; ++x)
      basis[static_cast<std::size_t>(k)][static_cast<std::size_t>(x)] =
          std::sqrt((k == 0 ? 1.0 : 2.0) / side) * std::cos(std::numbers::pi * (2 * x + 1) * k / (2.0 * side));
  std::array<std::array<double, low>, side> rows{};  // rows[y][u]
  for (std::size_t y = 0; y < side; ++y)
    for (std::size_t u = 0; u < low; ++u) {
      double acc = 0;
      for (std::size_t x = 0; x < side; ++x) acc += basis[u][x] * p[y][x];
      rows[y][u] = acc;
    }
  std::array<std::array<double, low>, low> c{};  // c[v][u]
  double sum = 0;
  for (std::size_t v = 0; v < low; ++v)
    for (std::size_t u = 0; u < low; ++u) {
      double acc = 0;
      for (std::size_t y = 0; y < side; ++y) acc += basis[v][y] * rows[y][u];
      c[v][u] = (u == 0 && v == 0) ? 0.0 : acc;  // step 4: the mean brightness is left out
      sum += c[v][u];
    }

  // Steps 4 and 5: one bit per coefficient above the mean, row v in byte v, u = 0 the lowest bit.
  const double mean = sum / (low * low);
  std::vector<std::uint8_t> out(low, 0);
  for (std::size_t v = 0; v < low; ++v)
    for (std::size_t u = 0; u < low; ++u)
      if (c[v][u] > mean) out[v] |= static_cast<std::uint8_t>(1u << u);
  return out;
}

}  // namespace sdc
