#include <gtest/gtest.h>
#include <lcms2.h>
#include <sdc/color.hpp>

#include <array>
#include <cstring>
#include <fstream>
#include <random>
#include <thread>

#include "color/print_support.hpp"

namespace sdc {
namespace {

const ColorTransform& default_transform() {
  static const ColorTransform t = ColorTransform::create().value();
  return t;
}

// Planes of the given size with a process plane filled by `fill(x, y, rgb)` and an empty K plane.
template <class F>
Planes synthetic_planes(int w, int h, F fill) {
  Planes p;
  p.dpi = Dpi{300};
  p.trim = PxRect{0, 0, w, h};
  p.process = Image(w, h, PixelFormat::rgb8);
  p.k = Image(w, h, PixelFormat::gray8);
  p.uv = Image(w, h, PixelFormat::gray8);
  p.overlay = Image(w, h, PixelFormat::gray8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) fill(x, y, p.process.row(y) + 3 * x);
  return p;
}

TEST(ColorTransform, DefaultProfileIsGhostscriptCmykAndItsBytesAreKept) {
  const auto& t = default_transform();
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.output_profile_path(), default_cmyk_profile_path());
  EXPECT_EQ(t.output_profile(), test::read_bytes(default_cmyk_profile_path()));
  EXPECT_FALSE(t.output_profile_description().empty());
  EXPECT_EQ(t.source_profile_description(), "sRGB built-in");
  EXPECT_EQ(t.intent(), Intent::relative_colorimetric);
  EXPECT_TRUE(t.black_point_compensation());
  // lcms2 itself reads the kept bytes as a CMYK output profile.
  cmsHPROFILE h =
      cmsOpenProfileFromMem(t.output_profile().data(), static_cast<cmsUInt32Number>(t.output_profile().size()));
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(cmsGetColorSpace(h), cmsSigCmykData);
  cmsCloseProfile(h);
}

TEST(ColorTransform, MissingProfileNamesTheFile) {
  auto t = ColorTransform::create({.output_profile = "/nonexistent/printer.icc"});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::bad_profile);
  EXPECT_EQ(t.error().where().file, "/nonexistent/printer.icc");
  EXPECT_NE(t.error().message().find("/nonexistent/printer.icc"), std::string::npos);
}

TEST(ColorTransform, CorruptProfileIsABadProfile) {
  const auto dir = test::fresh_dir("corrupt");
  const auto path = dir / "corrupt.icc";
  {
    // A real profile, truncated in the middle of its tag table.
    auto bytes = test::read_bytes(default_cmyk_profile_path());
    bytes.resize(200);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  auto t = ColorTransform::create({.output_profile = path});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::bad_profile);
  EXPECT_EQ(t.error().where().file, path.string());
  EXPECT_FALSE(t.error().hint().empty());

  const auto text = dir / "text.icc";
  std::ofstream(text) << "this is not an ICC profile at all, just some text to fill the header........\n";
  auto t2 = ColorTransform::create({.output_profile = text});
  ASSERT_FALSE(t2);
  EXPECT_EQ(t2.error().code(), Errc::bad_profile);
  EXPECT_NE(t2.error().message().find("not a readable ICC profile"), std::string::npos) << t2.error().to_string();
  // lcms2's own reason comes along (from the transform's context, not from global state).
  EXPECT_NE(t2.error().message().find("(lcms2: "), std::string::npos) << t2.error().to_string();
  std::filesystem::remove_all(dir);
}

TEST(ColorTransform, RgbProfileAsOutputIsRefused) {
  const std::filesystem::path rgb = "/usr/share/color/icc/ghostscript/default_rgb.icc";
  auto t = ColorTransform::create({.output_profile = rgb});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::bad_profile);
  EXPECT_NE(t.error().message().find("not a CMYK profile"), std::string::npos) << t.error().to_string();
  EXPECT_EQ(t.error().where().file, rgb.string());
}

TEST(ColorTransform, CmykProfileAsSourceIsRefused) {
  auto t = ColorTransform::create({.source_profile = test::read_bytes(default_cmyk_profile_path())});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::bad_profile);
  EXPECT_NE(t.error().message().find("not an RGB profile"), std::string::npos);
}

TEST(ColorTransform, EmbeddedSrgbSourceMatchesTheBuiltInOne) {
  auto t = ColorTransform::create({.source_profile = test::read_bytes("/usr/share/color/icc/sRGB.icc")});
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_NE(t->source_profile_description(), "sRGB built-in");
  const std::uint8_t rgb[] = {200, 120, 60, 30, 90, 160, 128, 128, 128};
  std::uint8_t a[12], b[12];
  t->rgb_to_cmyk(rgb, a, 3);
  default_transform().rgb_to_cmyk(rgb, b, 3);
  for (int i = 0; i < 12; ++i) EXPECT_NEAR(a[i], b[i], 3) << i;
}

TEST(ColorTransform, PerceptualIntentBuilds) {
  auto t = ColorTransform::create({.intent = Intent::perceptual, .black_point_compensation = false});
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->intent(), Intent::perceptual);
  EXPECT_STREQ(to_string(Intent::perceptual), "perceptual");
}

// sRGB -> CMYK -> Lab lands within dE2000 < 2 of sRGB -> Lab for colours inside a coated gamut.
TEST(Separate, KnownPatchesRoundTripWithinDeltaE2) {
  // Muted, in-gamut patches: skin tones, greys, pastel and mid-saturation colours, the sort found
  // in card artwork (saturated sRGB primaries are outside CMYK and are excluded on purpose).
  const std::vector<std::array<std::uint8_t, 3>> patches = {
      {128, 128, 128}, {200, 200, 200}, {90, 90, 90},    {224, 172, 140}, {190, 140, 110}, {150, 170, 200},
      {120, 150, 110}, {210, 190, 150}, {170, 120, 130}, {100, 120, 150}, {230, 220, 200}, {160, 160, 120},
      {140, 100, 80},  {180, 200, 210}, {220, 180, 190}, {110, 130, 100}};
  const int n = static_cast<int>(patches.size());
  auto planes = synthetic_planes(n, 1, [&](int x, int, std::uint8_t* p) {
    for (int c = 0; c < 3; ++c) p[c] = patches[static_cast<std::size_t>(x)][static_cast<std::size_t>(c)];
  });
  auto t = ColorTransform::create({.black_point_compensation = false});
  ASSERT_TRUE(t);
  auto cmyk = separate(planes, *t);
  ASSERT_TRUE(cmyk) << cmyk.error().to_string();
  std::vector<double> want(3 * static_cast<std::size_t>(n)), got(3 * static_cast<std::size_t>(n));
  t->rgb_to_lab(planes.process.data(), want.data(), static_cast<std::size_t>(n));
  t->cmyk_to_lab(cmyk->data(), got.data(), static_cast<std::size_t>(n));
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const cmsCIELab a{want[3 * i], want[3 * i + 1], want[3 * i + 2]};
    const cmsCIELab b{got[3 * i], got[3 * i + 1], got[3 * i + 2]};
    const double de = cmsCIE2000DeltaE(&a, &b, 1, 1, 1);
    worst = std::max(worst, de);
    EXPECT_LT(de, 2.0) << "patch " << i << " rgb " << int(patches[i][0]) << "," << int(patches[i][1]) << ","
                       << int(patches[i][2]) << " Lab " << a.L << "," << a.a << "," << a.b << " vs " << b.L << ","
                       << b.a << "," << b.b;
  }
  std::printf("[ dE2000 ] %d patches, worst %.2f\n", n, worst);
}

TEST(Separate, CoverageLimitHoldsOnEveryPixel) {
  std::mt19937 rng(20261123);
  auto planes = synthetic_planes(256, 256, [&](int x, int y, std::uint8_t* p) {
    // Half random colours, half dark ramps (where profiles put the most ink).
    if (y < 128) {
      for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(rng() & 255);
    } else {
      p[0] = static_cast<std::uint8_t>(x / 4), p[1] = static_cast<std::uint8_t>(x / 5),
      p[2] = static_cast<std::uint8_t>((y - 128) / 3);
    }
  });
  for (int y = 0; y < 256; ++y)  // some partial K over it, to check the knockout keeps the limit
    for (int x = 0; x < 256; ++x) planes.k.row(y)[x] = static_cast<std::uint8_t>((x * 7 + y * 3) % 256 < 40 ? x : 0);
  for (int limit : {300, 260, 240, 400}) {
    auto cmyk = separate(planes, default_transform(), {.max_total_coverage = limit});
    ASSERT_TRUE(cmyk) << cmyk.error().to_string();
    const int units = limit * 255 / 100;
    int worst = 0;
    for (int y = 0; y < cmyk->height(); ++y)
      for (int x = 0; x < cmyk->width(); ++x) {
        const std::uint8_t* p = cmyk->row(y) + 4 * x;
        worst = std::max(worst, p[0] + p[1] + p[2] + p[3]);
      }
    EXPECT_LE(worst, units) << "limit " << limit;
    EXPECT_LE(peak_coverage(cmyk->view()), limit);
    if (limit < 300) {
      EXPECT_GE(worst, units - 8) << "the dark ramp should reach the limit " << limit;
    }
  }
  // Without a limit the profile does go above 260 % in the dark ramp (so the test above bites).
  Image raw(256, 256, PixelFormat::cmyk8);
  for (int y = 0; y < 256; ++y) default_transform().rgb_to_cmyk(planes.process.row(y), raw.row(y), 256);
  EXPECT_GT(peak_coverage(raw.view()), 260);
}

TEST(Separate, LimitOutOfRangeIsRefused) {
  auto planes = synthetic_planes(4, 4, [](int, int, std::uint8_t* p) { p[0] = p[1] = p[2] = 10; });
  auto r = separate(planes, default_transform(), {.max_total_coverage = 90});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::invalid_argument);
  EXPECT_FALSE(separate(planes, ColorTransform{}));
  Image img(2, 2, PixelFormat::rgb8);
  EXPECT_FALSE(limit_coverage(img, 300));
}

TEST(Separate, FullKCoverageIsPureBlackAndPartialBlends) {
  auto planes = synthetic_planes(
      64, 8, [](int x, int, std::uint8_t* p) { p[0] = static_cast<std::uint8_t>(x * 4), p[1] = 40, p[2] = 200; });
  for (int x = 0; x < 64; ++x) planes.k.row(0)[x] = 255;
  for (int x = 0; x < 64; ++x) planes.k.row(1)[x] = 128;
  auto cmyk = separate(planes, default_transform());
  ASSERT_TRUE(cmyk);
  Image raw(64, 1, PixelFormat::cmyk8);
  default_transform().rgb_to_cmyk(planes.process.row(2), raw.row(0), 64);
  ASSERT_TRUE(limit_coverage(raw, 300));
  for (int x = 0; x < 64; ++x) {
    const std::uint8_t* p = cmyk->row(0) + 4 * x;
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[1], 0);
    EXPECT_EQ(p[2], 0);
    EXPECT_EQ(p[3], 255);
    const std::uint8_t* h = cmyk->row(1) + 4 * x;
    const std::uint8_t* r = raw.row(0) + 4 * x;
    for (int c = 0; c < 3; ++c) EXPECT_EQ(h[c], r[c] * 127 / 255) << x;
    EXPECT_EQ(h[3], (r[3] * 127 + 255 * 128) / 255);
    EXPECT_EQ(std::memcmp(cmyk->row(2) + 4 * x, r, 4), 0) << "no K: the profile's own separation";
  }
}

// K sparse along a row (single pixels between runs of none) and at a row's last pixels, on a width
// that is not a multiple of 8: the knockout skips pixels without K in groups, and must still find
// each one that has some.
TEST(Separate, KnockoutFindsSparseKAndRowEnds) {
  constexpr int w = 61, h = 6;
  auto planes = synthetic_planes(w, h, [](int x, int y, std::uint8_t* p) {
    p[0] = static_cast<std::uint8_t>(x * 4), p[1] = static_cast<std::uint8_t>(30 * y), p[2] = 200;
  });
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool some = (x * 13 + y * 7) % 11 == 0 || x >= w - y;
      planes.k.row(y)[x] = static_cast<std::uint8_t>(some ? 1 + (x * 37 + y * 5) % 255 : 0);
    }
  auto cmyk = separate(planes, default_transform());
  ASSERT_TRUE(cmyk);
  Image raw(w, h, PixelFormat::cmyk8);
  for (int y = 0; y < h; ++y) default_transform().rgb_to_cmyk(planes.process.row(y), raw.row(y), w);
  ASSERT_TRUE(limit_coverage(raw, 300));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const unsigned a = planes.k.row(y)[x], keep = 255 - a;
      const std::uint8_t* r = raw.row(y) + 4 * x;
      const std::uint8_t* p = cmyk->row(y) + 4 * x;
      for (int c = 0; c < 3; ++c) EXPECT_EQ(p[c], a == 255 ? 0u : r[c] * keep / 255) << x << "," << y;
      EXPECT_EQ(p[3], a == 255 ? 255u : (r[3] * keep + 255 * a) / 255) << x << "," << y;
    }
}

TEST(Separate, SpecimenTextIsKOnly) {
  const auto& s = test::specimen();
  auto planes = s.renderer.render(s.card, Side::front, {Dpi{300}});
  ASSERT_TRUE(planes) << planes.error().to_string();
  auto cmyk = separate(*planes, default_transform());
  ASSERT_TRUE(cmyk) << cmyk.error().to_string();
  EXPECT_EQ(cmyk->width(), planes->process.width());
  EXPECT_EQ(cmyk->dpi(), Dpi{300});
  long full = 0;
  for (int y = 0; y < cmyk->height(); ++y)
    for (int x = 0; x < cmyk->width(); ++x) {
      if (planes->k.row(y)[x] != 255) continue;
      ++full;
      const std::uint8_t* p = cmyk->row(y) + 4 * x;
      ASSERT_TRUE(p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 255) << "at " << x << "," << y;
    }
  EXPECT_GT(full, 1000) << "the specimen's text should give many pixels of full K coverage";
  EXPECT_LE(peak_coverage(cmyk->view()), 300);
}

TEST(Separate, ConcurrentUseOfOneTransformGivesTheSameResult) {
  std::mt19937 rng(7);
  auto planes = synthetic_planes(300, 200, [&](int, int, std::uint8_t* p) {
    for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(rng() & 255);
  });
  auto ref = separate(planes, default_transform()).value();
  std::vector<Image> outs(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < 5; ++n) outs[static_cast<std::size_t>(i)] = separate(planes, default_transform()).value();
    });
  for (auto& t : threads) t.join();
  for (const auto& o : outs) EXPECT_EQ(std::memcmp(o.data(), ref.data(), ref.size_bytes()), 0);
}

}  // namespace
}  // namespace sdc
