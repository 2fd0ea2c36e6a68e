// The photo hash as specified in docs/seal.md ("Photo hash"), written again from that text in
// plain C++ (no OpenCV) and compared byte for byte with the library's photo_hash(): the spec is
// complete enough for a verifier in another language to reproduce the seal's photo hash.
#include "seal/seal_support.hpp"

#include <sdc/image.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace sdc::test {
namespace {

// Step 1: grey, one byte per pixel.
std::vector<int> spec_grey(const ImageView& img) {
  std::vector<int> g(static_cast<std::size_t>(img.width()) * static_cast<std::size_t>(img.height()));
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const std::uint8_t* p = img.row(y) + x * channels(img.format());
      int v = 0;
      switch (img.format()) {
        case PixelFormat::gray8: v = p[0]; break;
        case PixelFormat::rgb8:
        case PixelFormat::rgba8: v = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000; break;
        case PixelFormat::cmyk8:
          v = (299 * (255 - p[0]) + 587 * (255 - p[1]) + 114 * (255 - p[2]) + 500) / 1000 * (255 - p[3]) / 255;
          break;
      }
      g[static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width()) + static_cast<std::size_t>(x)] = v;
    }
  return g;
}

// Step 2: the sample position and the two weights (in 1/256) of each of the 32 output columns
// (or rows) along an axis of n input pixels.
struct Tap {
  enum { first, between, last } kind;
  int i = 0;           // left (upper) input pixel, for `between`
  int w0 = 0, w1 = 0;  // weights of pixel i and i + 1
};

std::array<Tap, 32> spec_taps(int n) {
  std::array<Tap, 32> taps{};
  const double scale = 1.0 / (32.0 / static_cast<double>(n));
  for (int d = 0; d < 32; ++d) {
    const double t = scale * (static_cast<double>(d) + 0.5);  // rounded to double, then
    const double f = t - 0.5;                                 // rounded again (no fused multiply-add)
    const int i = static_cast<int>(std::floor(f));
    if (i < 0) {
      taps[static_cast<std::size_t>(d)] = Tap{Tap::first};
    } else if (i >= n - 1) {
      taps[static_cast<std::size_t>(d)] = Tap{Tap::last};
    } else {
      const int w1 = static_cast<int>(std::nearbyint((f - i) * 256.0));  // ties to even
      taps[static_cast<std::size_t>(d)] = Tap{Tap::between, i, 256 - w1, w1};
    }
  }
  return taps;
}

std::array<std::array<int, 32>, 32> spec_resize(const std::vector<int>& g, int w, int h) {
  const auto tx = spec_taps(w), ty = spec_taps(h);
  // Horizontal pass: every input row to 32 values in 1/256 units (8 fractional bits).
  auto row = [&](int y) {
    std::array<int, 32> out{};
    const int* r = g.data() + static_cast<std::ptrdiff_t>(y) * w;
    for (std::size_t d = 0; d < 32; ++d) {
      const Tap& t = tx[d];
      out[d] = t.kind == Tap::first  ? r[0] * 256
               : t.kind == Tap::last ? r[w - 1] * 256
                                     : t.w0 * r[t.i] + t.w1 * r[t.i + 1];
    }
    return out;
  };
  std::array<std::array<int, 32>, 32> out{};
  for (std::size_t d = 0; d < 32; ++d) {
    const Tap& t = ty[d];
    if (t.kind != Tap::between) {
      const auto r = row(t.kind == Tap::first ? 0 : h - 1);
      for (std::size_t x = 0; x < 32; ++x) out[d][x] = (r[x] + 128) >> 8;
    } else {
      const auto a = row(t.i), b = row(t.i + 1);
      for (std::size_t x = 0; x < 32; ++x) out[d][x] = (t.w0 * a[x] + t.w1 * b[x] + 32768) >> 16;
    }
  }
  return out;
}

// Steps 3-5: the orthonormal 2-D DCT-II's 8 x 8 lowest frequencies, the mean rule, the bytes.
std::vector<std::uint8_t> spec_hash(const ImageView& img) {
  const auto s = spec_resize(spec_grey(img), img.width(), img.height());
  const double pi = std::acos(-1.0);
  double c[8][8];
  double sum = 0;
  for (int v = 0; v < 8; ++v)
    for (int u = 0; u < 8; ++u) {
      double acc = 0;
      for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x)
          acc += s[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)] * std::cos(pi * (2 * x + 1) * u / 64.0) *
                 std::cos(pi * (2 * y + 1) * v / 64.0);
      const double au = u == 0 ? std::sqrt(1.0 / 32) : std::sqrt(2.0 / 32);
      const double av = v == 0 ? std::sqrt(1.0 / 32) : std::sqrt(2.0 / 32);
      c[v][u] = (u == 0 && v == 0) ? 0.0 : au * av * acc;
      sum += c[v][u];
    }
  const double mean = sum / 64;
  std::vector<std::uint8_t> out(8, 0);
  for (int v = 0; v < 8; ++v)
    for (int u = 0; u < 8; ++u)
      if (c[v][u] > mean) out[static_cast<std::size_t>(v)] |= static_cast<std::uint8_t>(1u << u);
  return out;
}

void expect_same_hash(const ImageView& img, const std::string& what) {
  SCOPED_TRACE(what);
  auto lib = photo_hash(img);
  ASSERT_TRUE(lib) << lib.error().to_string();
  EXPECT_EQ(tohex(spec_hash(img)), tohex(*lib));
}

// A smooth seeded picture: a few soft blobs on a gradient, plus a little pixel noise.
Image synthetic(int w, int h, PixelFormat format, unsigned seed) {
  std::mt19937 rng(seed);
  auto uni = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng()) / 4294967295.0; };
  struct Blob {
    double x, y, r, amp[4];
  };
  std::vector<Blob> blobs(6);
  for (auto& b : blobs)
    b = {uni(0, w),
         uni(0, h),
         uni(0.1, 0.5) * std::min(w, h),
         {uni(-120, 120), uni(-120, 120), uni(-120, 120), uni(-120, 120)}};
  const double gx = uni(-80, 80), gy = uni(-80, 80);
  Image im(w, h, format);
  const int n = channels(format);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < n; ++c) {
        double v = 128 + gx * x / w + gy * y / h;
        for (const auto& b : blobs) {
          const double dx = x - b.x, dy = y - b.y;
          v += b.amp[c] * std::exp(-(dx * dx + dy * dy) / (b.r * b.r));
        }
        v += static_cast<double>(rng() % 9) - 4.0;
        im.row(y)[x * n + c] = static_cast<std::uint8_t>(std::clamp(static_cast<int>(std::lround(v)), 0, 255));
      }
  return im;
}

TEST(PhotoHashSpec, SpecimenPortraitGivesTheLibrarysBytes) {
  auto photo = load_image(std::filesystem::path(SDC_SOURCE_DIR) / "assets/records/photos/astronaut.png");
  ASSERT_TRUE(photo) << photo.error().to_string();
  expect_same_hash(photo->view(), "astronaut.png, whole");
  // The card's crop: the centre 35:45 of the full height (as compose cuts the photo box).
  const int h = photo->height(), w = h * 35 / 45, x0 = (photo->width() - w) / 2;
  const ImageView crop(photo->row(0) + x0 * channels(photo->format()), w, h, photo->format(), photo->row_stride());
  expect_same_hash(crop, "astronaut.png, 35:45 crop");
}

TEST(PhotoHashSpec, SyntheticImagesOfManySizesAndFormatsGiveTheLibrarysBytes) {
  struct Case {
    int w, h;
    PixelFormat format;
  } cases[] = {
      {413, 531, PixelFormat::rgb8}, {600, 800, PixelFormat::gray8}, {64, 64, PixelFormat::rgb8},
      {32, 32, PixelFormat::gray8},  {16, 16, PixelFormat::gray8},   {20, 27, PixelFormat::rgb8},
      {17, 900, PixelFormat::rgba8}, {1001, 33, PixelFormat::cmyk8}, {277, 355, PixelFormat::cmyk8},
      {96, 128, PixelFormat::rgba8}, {48, 40, PixelFormat::gray8},   {1200, 1500, PixelFormat::rgb8},
  };
  unsigned seed = 9000;
  for (const auto& c : cases)
    for (int k = 0; k < 3; ++k, ++seed) {
      const Image im = synthetic(c.w, c.h, c.format, seed);
      expect_same_hash(im.view(), std::to_string(c.w) + "x" + std::to_string(c.h) + " format " +
                                      std::to_string(static_cast<int>(c.format)) + " seed " + std::to_string(seed));
    }
}

}  // namespace
}  // namespace sdc::test
