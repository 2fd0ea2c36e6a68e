// line_screen and ghost_image on generated portraits: tone follows darkness, output is bounded,
// parameters that would explode are refused, and results are deterministic.
#include <gtest/gtest.h>
#include <sdc/photo.hpp>

#include <cmath>
#include <cstring>

using namespace sdc;

namespace {

// Shoelace area of a closed outline, mm^2.
double area(const LineScreenStroke& s) {
  double a = 0;
  const auto& p = s.outline;
  for (std::size_t i = 0, j = p.size() - 1; i < p.size(); j = i++) a += p[j].x.v * p[i].y.v - p[i].x.v * p[j].y.v;
  return std::abs(a) / 2;
}

double centre_y(const LineScreenStroke& s) {
  double y = 0;
  for (const auto& p : s.outline) y += p.y.v;
  return y / static_cast<double>(s.outline.size());
}
double centre_x(const LineScreenStroke& s) {
  double x = 0;
  for (const auto& p : s.outline) x += p.x.v;
  return x / static_cast<double>(s.outline.size());
}

Image grey_image(int w, int h, std::uint8_t (*tone)(int x, int y, int w, int h)) {
  Image img(w, h, PixelFormat::gray8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) img.row(y)[x] = tone(x, y, w, h);
  return img;
}

const MmSize kBox{Mm{20}, Mm{25}};

}  // namespace

TEST(LineScreen, DarkerHalfGetsWiderStrokes) {
  // Top half black, bottom half light grey; horizontal lines each lie in one half.
  const Image img = grey_image(80, 100, [](int, int y, int, int h) -> std::uint8_t { return y < h / 2 ? 0 : 200; });
  auto strokes = line_screen(img, kBox, {.pitch_mm = 0.5, .max_width_mm = 0.4, .min_width_mm = 0.02});
  ASSERT_TRUE(strokes) << strokes.error().to_string();
  double top = 0, bottom = 0;
  int n_top = 0, n_bottom = 0;
  for (const auto& s : *strokes) {
    const double cy = centre_y(s);
    if (cy < kBox.h.v / 2 - 1) top += area(s), ++n_top;
    if (cy > kBox.h.v / 2 + 1) bottom += area(s), ++n_bottom;
  }
  ASSERT_GT(n_top, 10);
  ASSERT_GT(n_bottom, 10);
  top /= n_top;
  bottom /= n_bottom;
  // Black: full 0.4 mm over 20 mm = 8 mm^2; grey 200: darkness 0.216 -> 0.086 mm wide = 1.7 mm^2.
  EXPECT_NEAR(top, 20 * 0.4, 0.2);
  EXPECT_NEAR(bottom, 20 * 0.4 * (1 - 200.0 / 255), 0.2);
  std::printf("mean stroke area: dark %.3f mm^2, light %.3f mm^2\n", top, bottom);
}

TEST(LineScreen, VerticalLinesFollowAHorizontalGradient) {
  const Image img = grey_image(100, 100, [](int x, int, int w, int) -> std::uint8_t {
    return static_cast<std::uint8_t>(255 - 255 * x / (w - 1));  // white on the left, black on the right
  });
  auto strokes = line_screen(img, {Mm{20}, Mm{20}},
                             {.pitch_mm = 0.4, .max_width_mm = 0.35, .min_width_mm = 0.01, .angle_deg = 90});
  ASSERT_TRUE(strokes) << strokes.error().to_string();
  ASSERT_GT(strokes->size(), 40u);
  double prev_x = -1, prev_area = -1;
  for (const auto& s : *strokes) {
    const double cx = centre_x(s), a = area(s);
    EXPECT_GT(cx, prev_x);  // one stroke per line, left to right
    EXPECT_GE(a, prev_area - 1e-3) << "at x = " << cx;
    prev_x = cx;
    prev_area = a;
  }
  EXPECT_GT(area(strokes->back()), 10 * area(strokes->front()));
}

TEST(LineScreen, WhiteBreaksLinesWhenMinWidthIsZero) {
  // Black with a white vertical band in the middle: each horizontal line splits in two.
  const Image img =
      grey_image(100, 50, [](int x, int, int, int) -> std::uint8_t { return x >= 40 && x < 60 ? 255 : 0; });
  auto strokes = line_screen(img, {Mm{20}, Mm{10}}, {.pitch_mm = 0.5, .max_width_mm = 0.4, .min_width_mm = 0});
  ASSERT_TRUE(strokes);
  EXPECT_EQ(strokes->size(), 2u * 20u);
  for (const auto& s : *strokes) {
    for (const auto& p : s.outline) EXPECT_FALSE(p.x.v > 9.0 && p.x.v < 11.0) << p.x.v;
  }
}

TEST(LineScreen, WavyAngledOutputStaysNearTheBoxAndIsDeterministic) {
  const Image img = grey_image(
      60, 75, [](int x, int y, int, int) -> std::uint8_t { return static_cast<std::uint8_t>((x * 3 + y * 2) % 256); });
  const LineScreenOptions o{.pitch_mm = 0.3,
                            .max_width_mm = 0.25,
                            .min_width_mm = 0.02,
                            .angle_deg = 30,
                            .wave_amplitude_mm = 0.2,
                            .wave_length_mm = 3,
                            .wave_phase_step = 0.1,
                            .dpi = Dpi{1200}};
  auto a = line_screen(img, kBox, o);
  auto b = line_screen(img, kBox, o);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  std::size_t points = 0;
  const double slack = o.pitch_mm / 2 + o.wave_amplitude_mm + 1e-9;
  for (std::size_t i = 0; i < a->size(); ++i) {
    ASSERT_EQ((*a)[i].outline, (*b)[i].outline);
    points += (*a)[i].outline.size();
    for (const auto& p : (*a)[i].outline) {
      EXPECT_GE(p.x.v, -slack);
      EXPECT_LE(p.x.v, kBox.w.v + slack);
      EXPECT_GE(p.y.v, -slack);
      EXPECT_LE(p.y.v, kBox.h.v + slack);
    }
  }
  EXPECT_LE(points, static_cast<std::size_t>(o.max_points));
  std::printf("%zu strokes, %zu points\n", a->size(), points);
}

TEST(LineScreen, RefusesParametersThatWouldExplode) {
  const Image img = grey_image(10, 10, [](int, int, int, int) -> std::uint8_t { return 0; });
  auto tiny = line_screen(img, kBox, {.pitch_mm = 0.01});
  ASSERT_FALSE(tiny);
  EXPECT_EQ(tiny.error().code(), Errc::invalid_argument);
  EXPECT_EQ(tiny.error().where().field, "pitch_mm");
  EXPECT_FALSE(line_screen(img, kBox, {.max_width_mm = -1}));
  EXPECT_FALSE(line_screen(img, kBox, {.wave_amplitude_mm = 1, .wave_length_mm = 0.01}));
  EXPECT_FALSE(line_screen(img, kBox, {.gamma = NAN}));
  EXPECT_FALSE(line_screen(img, {Mm{1e6}, Mm{10}}, {}));
  EXPECT_FALSE(line_screen(Image(), kBox, {}));
  // A legal but huge request is refused before generation by the point budget.
  auto big = line_screen(img, {Mm{500}, Mm{500}}, {.pitch_mm = 0.05, .dpi = Dpi{2400}, .max_points = 100'000});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), Errc::limit_exceeded);
}

TEST(Ghost, LightensGreysAndFadesTheEdge) {
  Image rgb(100, 80, PixelFormat::rgb8);
  std::memset(rgb.data(), 0, rgb.size_bytes());  // black
  const Image g = ghost_image(rgb, {.lightness = 0.6, .vignette = 0.1});
  ASSERT_EQ(g.format(), PixelFormat::gray8);
  ASSERT_EQ(g.width(), 100);
  ASSERT_EQ(g.height(), 80);
  EXPECT_EQ(g.row(40)[50], 255 - 102);  // 255 * (1 - 0.6) = 102 of ink in the middle
  EXPECT_GT(g.row(0)[0], 250);          // the corner fades to white (no ink)
  EXPECT_GT(g.row(40)[0], g.row(40)[4]);
  EXPECT_GT(g.row(40)[4], g.row(40)[50] - 1);
  const Image hard = ghost_image(rgb, {.lightness = 0.0, .vignette = 0.0});
  EXPECT_EQ(hard.row(0)[0], 0);
  const Image white = ghost_image(rgb, {.lightness = 1.0});
  EXPECT_EQ(white.row(40)[50], 255);
  // Contrast shrinks: a mid grey and black end up closer together.
  Image two(2, 1, PixelFormat::gray8);
  two.row(0)[0] = 0;
  two.row(0)[1] = 128;
  const Image t = ghost_image(two, {.lightness = 0.5, .vignette = 0});
  EXPECT_LT(t.row(0)[1] - t.row(0)[0], 128);
  EXPECT_TRUE(ghost_image(Image(), {}).empty());
}

// A ghost printed smaller than the portrait is made at its printed size: the portrait is
// area-averaged first, so its tones hold (a half-black, half-white portrait stays half and half)
// and the vignette is measured on the small image.
TEST(Ghost, IsMadeAtTheSizeAsked) {
  Image rgb(200, 160, PixelFormat::rgb8);
  for (int y = 0; y < 160; ++y) std::memset(rgb.row(y), y < 80 ? 0 : 255, 3 * 200);
  const Image g = ghost_image(rgb, {.lightness = 0.6, .vignette = 0.0, .width = 50, .height = 40});
  ASSERT_EQ(g.width(), 50);
  ASSERT_EQ(g.height(), 40);
  EXPECT_EQ(g.row(10)[25], 255 - 102);  // black: 102 of ink
  EXPECT_EQ(g.row(30)[25], 255);        // white: none
  const Image faded = ghost_image(rgb, {.lightness = 0.6, .vignette = 0.2, .width = 50, .height = 40});
  EXPECT_GT(faded.row(10)[0], 250);  // 8 px of fade on the 40 px side
  EXPECT_EQ(faded.row(10)[25], 255 - 102);
  // The same size, or none given, is the portrait's.
  EXPECT_EQ(ghost_image(rgb, {.width = 200, .height = 160}).width(), 200);
  // One side only, or a negative one: no ghost.
  EXPECT_TRUE(ghost_image(rgb, {.width = 50}).empty());
  EXPECT_TRUE(ghost_image(rgb, {.width = -5, .height = 40}).empty());
}
