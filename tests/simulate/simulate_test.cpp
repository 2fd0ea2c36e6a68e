#include <sdc/simulate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace sdc {
namespace {

// A synthetic ID-1 card at 300 dpi: white with dark diagonal stripes and a black block.
Image test_card() {
  Image img(1011, 638, PixelFormat::rgb8);
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      std::uint8_t v = ((x + y) / 6) % 4 == 0 ? 40 : 235;
      if (x > 100 && x < 300 && y > 100 && y < 300) v = 0;
      if (x >= 400 && x < 900 && y >= 350 && y < 600) v = (x / 2) % 2 ? 30 : 230;  // 0.17 mm lines
      std::memset(img.row(y) + 3 * x, v, 3);
    }
  return img;
}

bool same_bytes(const Image& a, const Image& b) {
  return a.width() == b.width() && a.height() == b.height() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

// `card` (the whole image its trim, at 300 dpi) sent through `ch` with `seed` and straightened with
// the simulator's corners at 300 dpi; the corners in `corners` when given. Empty when the
// simulation fails (a test failure).
Image straightened(const Image& card, const Channel& ch, std::uint64_t seed, std::array<PointF, 4>* corners = nullptr) {
  auto cap = simulate(card.view(), Dpi{300}, {0, 0, card.width(), card.height()}, ch, seed);
  EXPECT_TRUE(cap) << cap.error().message();
  if (!cap) return {};
  if (corners) *corners = cap->corners;
  auto rect = rectify_quad(cap->image.view(), cap->corners, {Mm{85.60}, Mm{53.98}}, Dpi{300});
  EXPECT_TRUE(rect) << rect.error().message();
  return rect ? std::move(*rect) : Image();
}

// What is left of the fine lines' contrast (the standard deviation over them) in `card` sent
// through `ch` with `seed` and straightened with the simulator's corners; the corners in `corners`
// when given. 0 when the simulation fails (a test failure).
double fine_line_contrast(const Image& card, const Channel& ch, std::uint64_t seed,
                          std::array<PointF, 4>* corners = nullptr) {
  const Image rect = straightened(card, ch, seed, corners);
  if (rect.empty()) return 0.0;
  double sum = 0, sq = 0;
  int count = 0;
  for (int y = 380; y < 570; ++y)
    for (int x = 430; x < 870; ++x, ++count) {
      const double v = rect.row(y)[3 * x];
      sum += v;
      sq += v * v;
    }
  return std::sqrt(sq / count - (sum / count) * (sum / count));
}

TEST(Simulate, SameSeedSameBytesOtherSeedOtherBytes) {
  const Image card = test_card();
  const auto ch = channel_preset("medium", Dpi{300});
  ASSERT_TRUE(ch) << ch.error().message();
  const PxRect trim{0, 0, card.width(), card.height()};
  auto a = simulate(card.view(), Dpi{300}, trim, *ch, 42);
  auto b = simulate(card.view(), Dpi{300}, trim, *ch, 42);
  auto c = simulate(card.view(), Dpi{300}, trim, *ch, 43);
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(same_bytes(a->image, b->image));
  EXPECT_FALSE(same_bytes(a->image, c->image));
  EXPECT_EQ(a->image.dpi(), Dpi{400});
}

TEST(Simulate, CornersLocateTheCardAtTheCaptureDpi) {
  const Image card = test_card();
  auto ch = channel_preset("mild", Dpi{300});
  ASSERT_TRUE(ch);
  auto cap = simulate(card.view(), Dpi{300}, {0, 0, card.width(), card.height()}, *ch, 7);
  ASSERT_TRUE(cap);
  const auto& c = cap->corners;
  const double top = std::hypot(c[1].x - c[0].x, c[1].y - c[0].y);
  const double left = std::hypot(c[3].x - c[0].x, c[3].y - c[0].y);
  EXPECT_NEAR(top, 85.60 / 25.4 * 600, 3);  // mild captures at 600 dpi, no perspective
  EXPECT_NEAR(left, 53.98 / 25.4 * 600, 3);
  // Rectified at the card's own resolution, the capture matches the artwork.
  auto rect = rectify_quad(cap->image.view(), c, {Mm{85.60}, Mm{53.98}}, Dpi{300});
  ASSERT_TRUE(rect);
  ASSERT_EQ(rect->width(), 1011);
  ASSERT_EQ(rect->height(), 638);
  // The black block is still black and the white margin still light, where they were.
  EXPECT_LT(rect->row(200)[3 * 200], 70);
  double diff = 0;
  int count = 0;
  for (int y = 20; y < 618; y += 5)
    for (int x = 20; x < 991; x += 5, ++count) diff += std::abs(rect->row(y)[3 * x] - card.row(y)[3 * x]);
  EXPECT_LT(diff / count, 40);
}

TEST(Simulate, CopyBlursFineDetailMoreThanMild) {
  const Image card = test_card();
  auto contrast = [&](const char* name) { return fine_line_contrast(card, *channel_preset(name, Dpi{300}), 11); };
  EXPECT_LT(contrast("copy"), 0.7 * contrast("mild"));
}

// A careful forger's copy (a lossless 1200 dpi scan printed on a printer like the issuer's) keeps
// more of the fine lines than the 300 dpi copy, and still less than the original photographed the
// same way (both copies end with the medium channel's phone photo).
TEST(Simulate, AFineCopyKeepsMoreDetailThanACopyAndLessThanTheOriginal) {
  const Image card = test_card();
  auto contrast = [&](const char* name) { return fine_line_contrast(card, *channel_preset(name, Dpi{300}), 11); };
  const double copy = contrast("copy"), fine = contrast("copy-fine"), original = contrast("medium");
  EXPECT_LT(copy, fine);
  EXPECT_LT(fine, original);
  const auto ch = channel_preset("copy-fine", Dpi{600});
  ASSERT_TRUE(ch);
  ASSERT_EQ(ch->passes.size(), 2u);
  EXPECT_EQ(ch->passes[0].capture.dpi, Dpi{1200});
  EXPECT_EQ(ch->passes[0].capture.jpeg_quality, 0);
  EXPECT_EQ(ch->passes[1].print.dpi, Dpi{600});
}

// A replay: the card scanned and shown on a phone's screen at its size, photographed. The screen's
// pixel grid beats against the camera's: a flat white area of the card shows a pattern it does not
// have on the card itself, while its light and colour stay the card's (the subpixels average to the
// pixel's value).
TEST(Simulate, AScreenReplayShowsItsPixelGridInTheCardsLight) {
  const auto ch = channel_preset("screen", Dpi{600});
  ASSERT_TRUE(ch) << ch.error().message();
  ASSERT_EQ(ch->passes.size(), 2u);
  EXPECT_FALSE(ch->passes[0].print.screen);
  EXPECT_EQ(ch->passes[0].capture.dpi, Dpi{600});
  EXPECT_TRUE(ch->passes[1].print.screen);
  EXPECT_EQ(ch->passes[1].print.dpi, Dpi{460});
  // A flat white area: the test card's stripes left of its fine lines (x 330..390, y 350..600)
  // painted white, and measured inside.
  struct Light {
    double mean = 0, spread = 0, tint = 0;
  };
  const auto light_of = [](const Image& rect) {
    double sum = 0, sq = 0, tint = 0;
    int n = 0;
    for (int y = 360; y < 590; ++y)
      for (int x = 335; x < 385; ++x, ++n) {
        const std::uint8_t* p = rect.row(y) + 3 * x;
        const double v = (p[0] + p[1] + p[2]) / 3.0;
        sum += v;
        sq += v * v;
        tint += std::abs(p[0] - p[1]) + std::abs(p[1] - p[2]);
      }
    return Light{sum / n, std::sqrt(sq / n - (sum / n) * (sum / n)), tint / n / 2};
  };
  Image card = test_card();
  for (int y = 350; y < 600; ++y) std::memset(card.row(y) + 3 * 330, 235, 3 * 60);
  // A tablet's coarser screen (200 pixels per inch) after a 300 dpi scan: the same model, a smaller
  // image (its subpixels at 600 per inch).
  Channel tablet = *ch;
  tablet.passes[0].capture.dpi = Dpi{300};
  tablet.passes[1].print.dpi = Dpi{200};
  const Image screen = straightened(card, tablet, 11);
  const Image photo = straightened(card, *channel_preset("medium", Dpi{300}), 11);
  ASSERT_FALSE(screen.empty());
  ASSERT_FALSE(photo.empty());
  const Light s = light_of(screen), p = light_of(photo);
  EXPECT_NEAR(s.mean, p.mean, 20) << "screen " << s.mean << ", photo " << p.mean;
  EXPECT_LT(s.tint, 8) << "photo " << p.tint;  // no colour cast (0.7 levels)
  EXPECT_GT(s.spread, 1.5 * p.spread) << "screen " << s.spread << ", photo " << p.spread;
}

// A hand that moved during the exposure: the same capture (same seed, so the same placement and
// corners) with its fine lines smeared, and more so the longer the movement.
TEST(Simulate, MotionBlurSmearsTheCaptureAndKeepsTheCorners) {
  const Image card = test_card();
  auto contrast = [&](double motion_px, std::array<PointF, 4>* corners) {
    Channel ch = *channel_preset("mild", Dpi{300});
    ch.passes.back().capture.motion_px = motion_px;
    return fine_line_contrast(card, ch, 11, corners);
  };
  std::array<PointF, 4> c0, c4, c16;
  const double sharp = contrast(0, &c0), some = contrast(4, &c4), much = contrast(16, &c16);
  EXPECT_LT(some, 0.9 * sharp);
  EXPECT_LT(much, 0.7 * some);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(c0[i].x, c16[i].x);
    EXPECT_EQ(c0[i].y, c16[i].y);
  }
  Channel ch = *channel_preset("mild");
  ch.passes[0].capture.motion_px = 61;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.motion_px"), std::string::npos);
}

// A phone's sharpening: more contrast in the fine lines; 4 is refused.
TEST(Simulate, SharpeningRaisesFineLineContrast) {
  const Image card = test_card();
  auto contrast = [&](double sharpen) {
    Channel ch = *channel_preset("medium", Dpi{300});
    ch.passes.back().capture.sharpen = sharpen;
    return fine_line_contrast(card, ch, 5);
  };
  EXPECT_GT(contrast(2), 1.1 * contrast(0));
  Channel ch = *channel_preset("medium");
  ch.passes[0].capture.sharpen = 4;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.sharpen"), std::string::npos);
}

// A phone's noise reduction: the sensor noise over the black block flattened, the strong fine
// lines kept (an edge-preserving smoothing, not a blur); 3.5 is refused.
TEST(Simulate, DenoiseFlattensNoiseAndKeepsStrongLines) {
  const Image card = test_card();
  const auto captured = [&](double denoise) {
    Channel ch = *channel_preset("medium", Dpi{300});
    ch.passes.back().capture.jpeg_quality = 0;
    ch.passes.back().capture.noise = 6;
    ch.passes.back().capture.denoise = denoise;
    return straightened(card, ch, 9);
  };
  // The standard deviation of the green channel over a rectangle.
  const auto spread = [](const Image& img, int x0, int y0, int x1, int y1) {
    double sum = 0, sq = 0;
    int n = 0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x, ++n) {
        const double v = img.row(y)[3 * x + 1];
        sum += v;
        sq += v * v;
      }
    return std::sqrt(sq / n - (sum / n) * (sum / n));
  };
  const Image raw = captured(0), smooth = captured(2);
  ASSERT_FALSE(raw.empty() || smooth.empty());
  const double noise_raw = spread(raw, 150, 150, 250, 250), noise_smooth = spread(smooth, 150, 150, 250, 250);
  EXPECT_GT(noise_raw, 1.0);  // the block is noisy without it (clipped at black, so less than 6)
  EXPECT_LT(noise_smooth, 0.6 * noise_raw);
  EXPECT_GT(spread(smooth, 430, 380, 870, 570), 0.8 * spread(raw, 430, 380, 870, 570));
  Channel ch = *channel_preset("medium");
  ch.passes[0].capture.denoise = 3.5;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.denoise"), std::string::npos);
}

// A specular highlight where it was asked: the card's white clipped at the spot's centre, its dark
// block washed out under it, the rest of the card and the corners as without glare; 2.5 is refused.
TEST(Simulate, GlareWashesOutASpotOfTheCard) {
  const Image card = test_card();
  const auto with_glare = [&](double glare) {
    Channel ch = *channel_preset("mild", Dpi{300});
    ch.passes.back().capture.glare = glare;
    ch.passes.back().capture.glare_x = 200.0 / 1011;  // over the black block
    ch.passes.back().capture.glare_y = 200.0 / 638;
    ch.passes.back().capture.glare_size = 0.08;
    return straightened(card, ch, 3);
  };
  const Image plain = with_glare(0), lit = with_glare(1.5);
  ASSERT_FALSE(plain.empty() || lit.empty());
  const auto at = [](const Image& img, int x, int y) { return static_cast<int>(img.row(y)[3 * x]); };
  EXPECT_LT(at(plain, 200, 200), 60);  // the black block
  EXPECT_GT(at(lit, 200, 200), 200);   // washed out
  EXPECT_GT(at(lit, 200, 200), at(plain, 200, 200) + 150);
  EXPECT_NEAR(at(lit, 700, 100), at(plain, 700, 100), 12);  // far from the spot: as without glare
  Channel ch = *channel_preset("mild");
  ch.passes[0].capture.glare = 2.5;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.glare"), std::string::npos);
}

// A shadow across the capture: the paper beyond its edge keeps 1 - shadow of its light, the rest
// is as without it, and the edge runs through the card's middle, so both parts are large. Out of
// range is refused.
TEST(Simulate, AShadowDarkensOneSideOfAStraightEdge) {
  const Image card = test_card();
  const auto with_shadow = [&](double shadow) {
    Channel ch = *channel_preset("mild", Dpi{300});
    ch.passes.back().capture.shadow = shadow;
    ch.passes.back().capture.shadow_edge_mm = 0.5;
    return straightened(card, ch, 5);
  };
  const Image plain = with_shadow(0), shaded = with_shadow(0.6);
  ASSERT_FALSE(plain.empty() || shaded.empty());
  long paper = 0, dark = 0, lit = 0;
  for (int y = 20; y < plain.height() - 20; ++y)
    for (int x = 20; x < plain.width() - 20; ++x) {
      const int a = plain.row(y)[3 * x], b = shaded.row(y)[3 * x];
      if (a < 200) continue;
      ++paper;
      if (std::abs(b - 0.4 * a) < 15) ++dark;
      if (std::abs(b - a) < 15) ++lit;
    }
  ASSERT_GT(paper, 0);
  EXPECT_GT(dark, paper / 10);
  EXPECT_GT(lit, paper / 10);
  EXPECT_GT(dark + lit, paper * 95 / 100);  // the penumbra is narrow
  Channel ch = *channel_preset("mild");
  ch.passes[0].capture.shadow = 0.95;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.shadow"), std::string::npos);
}

// A card tilted before a phone's camera: a pinhole view in a 4:3 frame, the card's centre (where
// its diagonals cross) on the optical axis at the frame's centre, one side nearer and longer than
// the opposite one, and the corners exact (the capture straightened with them matches the artwork).
TEST(Simulate, TiltIsAPinholeViewCentredOnTheAxis) {
  const Image card = test_card();
  Channel ch = *channel_preset("mild", Dpi{300});
  ch.passes[0].capture.tilt_deg = 45;
  for (std::uint64_t seed : {3u, 4u, 5u}) {
    auto cap = simulate(card.view(), Dpi{300}, {0, 0, card.width(), card.height()}, ch, seed);
    ASSERT_TRUE(cap) << cap.error().message();
    const auto& c = cap->corners;
    // Where the diagonals c0-c2 and c1-c3 cross.
    const double ax = c[2].x - c[0].x, ay = c[2].y - c[0].y, bx = c[3].x - c[1].x, by = c[3].y - c[1].y;
    const double t = ((c[1].x - c[0].x) * by - (c[1].y - c[0].y) * bx) / (ax * by - ay * bx);
    EXPECT_NEAR(c[0].x + t * ax, cap->image.width() / 2.0, 1.0) << seed;
    EXPECT_NEAR(c[0].y + t * ay, cap->image.height() / 2.0, 1.0) << seed;
    const double frame = static_cast<double>(cap->image.width()) / cap->image.height();
    EXPECT_NEAR(std::max(frame, 1 / frame), 4.0 / 3, 0.01) << seed;
    auto side = [&](int i) { return std::hypot(c[(i + 1) % 4].x - c[i].x, c[(i + 1) % 4].y - c[i].y); };
    const double keystone = std::max({side(0) / side(2), side(2) / side(0), side(1) / side(3), side(3) / side(1)});
    EXPECT_GT(keystone, 1.15) << seed;
    auto rect = rectify_quad(cap->image.view(), c, {Mm{85.60}, Mm{53.98}}, Dpi{300});
    ASSERT_TRUE(rect);
    EXPECT_LT(rect->row(200)[3 * 200], 70) << seed;  // the black block
    double diff = 0;
    int count = 0;
    for (int y = 20; y < 618; y += 5)
      for (int x = 20; x < 991; x += 5, ++count) diff += std::abs(rect->row(y)[3 * x] - card.row(y)[3 * x]);
    EXPECT_LT(diff / count, 45) << seed;
  }
  ch.passes[0].capture.tilt_deg = 61;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, card.width(), card.height()}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.tilt_deg"), std::string::npos);
}

TEST(Simulate, PresetsAndBadInput) {
  EXPECT_EQ(channel_preset_names().size(), 6u);
  auto copy = channel_preset("copy");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->passes.size(), 2u);
  EXPECT_EQ(copy->passes[0].capture.dpi, Dpi{300});
  auto unknown = channel_preset("photocopier");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), Errc::invalid_argument);
  EXPECT_NE(unknown.error().message().find("photocopier"), std::string::npos);

  const Image card = test_card();
  Channel ch = *channel_preset("mild");
  EXPECT_FALSE(simulate(ImageView(), Dpi{300}, {0, 0, 10, 10}, ch, 1));
  EXPECT_FALSE(simulate(card.view(), Dpi{300}, {0, 0, 2000, 638}, ch, 1));
  ch.passes[0].capture.noise = -1;
  auto bad = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("capture.noise"), std::string::npos);
  ch = *channel_preset("mild");
  ch.passes[0].capture.dpi = Dpi{2400};
  ch.passes[0].capture.margin_mm = 100;
  auto big = simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, ch, 1);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code(), Errc::limit_exceeded);
  Channel empty;
  EXPECT_FALSE(simulate(card.view(), Dpi{300}, {0, 0, 1011, 638}, empty, 1));
  const std::array<PointF, 4> flat{PointF{0, 0}, PointF{10, 0}, PointF{20, 0}, PointF{30, 0}};
  EXPECT_FALSE(rectify_quad(card.view(), flat, {Mm{85.6}, Mm{53.98}}, Dpi{300}));
}

TEST(Simulate, JpegRoundtripKeepsSizeAndChecksQuality) {
  const Image card = test_card();
  auto j = jpeg_roundtrip(card.view(), 60);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->width(), card.width());
  EXPECT_EQ(j->format(), PixelFormat::rgb8);
  EXPECT_FALSE(same_bytes(*j, card));
  EXPECT_NEAR(j->row(200)[600], card.row(200)[600], 40);
  EXPECT_FALSE(jpeg_roundtrip(card.view(), 0));
  EXPECT_FALSE(jpeg_roundtrip(card.view(), 101));
}

}  // namespace
}  // namespace sdc
