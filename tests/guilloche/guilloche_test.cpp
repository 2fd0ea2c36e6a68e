#include <gtest/gtest.h>
#include <sdc/guilloche.hpp>
#include <sdc/lint.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <numbers>

#include "guilloche/security_support.hpp"

namespace sdc {
namespace {

constexpr double kPi = std::numbers::pi;

GuillocheSpec spec(GuillocheFamily f) {
  GuillocheSpec s;
  s.family = f;
  s.center = {Mm{40}, Mm{27}};
  s.box = MmRect{Mm{2}, Mm{2}, Mm{80}, Mm{50}};
  s.radius = 20;
  s.pen = 6;
  s.amplitude = 4;
  s.freq_a = 7;
  s.freq_b = 3;
  return s;
}

double seg_dist(MmPoint p, MmPoint a, MmPoint b) {
  const double dx = b.x.v - a.x.v, dy = b.y.v - a.y.v, l2 = dx * dx + dy * dy;
  const double u = l2 > 0 ? std::clamp(((p.x.v - a.x.v) * dx + (p.y.v - a.y.v) * dy) / l2, 0.0, 1.0) : 0.0;
  return std::hypot(a.x.v + u * dx - p.x.v, a.y.v + u * dy - p.y.v);
}

TEST(GuillochePeriod, ComputedFromTheFrequencyRatio) {
  auto s = spec(GuillocheFamily::hypotrochoid);
  s.freq_a = 7, s.freq_b = 3;
  EXPECT_DOUBLE_EQ(guilloche_period(s), 2 * kPi * 3);
  s.freq_a = 14, s.freq_b = 6;  // same ratio, same period
  EXPECT_DOUBLE_EQ(guilloche_period(s), 2 * kPi * 3);
  s.family = GuillocheFamily::rose;
  s.amplitude = s.radius;  // pure rose r = cos(3/1 θ): n*d odd -> period π
  s.freq_a = 3, s.freq_b = 1;
  EXPECT_DOUBLE_EQ(guilloche_period(s), kPi);
  s.freq_a = 2, s.freq_b = 1;  // even -> 2π
  EXPECT_DOUBLE_EQ(guilloche_period(s), 2 * kPi);
  s.freq_a = 5, s.freq_b = 4;  // d = 4 -> 8π
  EXPECT_DOUBLE_EQ(guilloche_period(s), 8 * kPi);
  s.family = GuillocheFamily::lissajous;
  s.freq_a = 4, s.freq_b = 2;
  EXPECT_DOUBLE_EQ(guilloche_period(s), kPi);
}

TEST(GuillochePolylines, ClosedFamiliesCloseExactly) {
  for (auto f : {GuillocheFamily::hypotrochoid, GuillocheFamily::epitrochoid, GuillocheFamily::rose,
                 GuillocheFamily::lissajous, GuillocheFamily::rings, GuillocheFamily::border}) {
    auto s = spec(f);
    s.strokes = 3;
    s.phase_step = 10;
    s.spacing = 0.8;
    auto pl = guilloche_polylines(s, flattening_tolerance(Dpi{600}));
    ASSERT_TRUE(pl) << to_string(f) << ": " << pl.error().to_string();
    ASSERT_EQ(pl->size(), 3u);
    for (const auto& p : *pl) {
      EXPECT_TRUE(p.closed) << to_string(f);
      EXPECT_EQ(p.points.front(), p.points.back()) << to_string(f);
      // The true curve closes: the segment before the forced closing point is short (within tolerance
      // of the flattening), i.e. the computed period is not a guess that leaves a gap.
      const auto& a = p.points[p.points.size() - 2];
      EXPECT_LT(std::hypot(a.x.v - p.points.back().x.v, a.y.v - p.points.back().y.v), 2.0) << to_string(f);
    }
  }
  auto w = guilloche_polylines(spec(GuillocheFamily::waves), 0.01);
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->front().closed);
  EXPECT_NEAR(w->front().points.front().x.v, 2, 1e-12);
  EXPECT_NEAR(w->front().points.back().x.v, 82, 1e-12);
}

// Every point of a much finer flattening lies within the tolerance of the coarse polyline.
TEST(GuillochePolylines, FlatteningErrorUnderAQuarterPixel) {
  for (auto f :
       {GuillocheFamily::hypotrochoid, GuillocheFamily::rose, GuillocheFamily::waves, GuillocheFamily::border}) {
    for (int dpi : {300, 1200}) {
      auto s = spec(f);
      s.modulation = 0.2, s.modulation_freq = 5;
      const double tol = flattening_tolerance(Dpi{dpi});
      auto coarse = guilloche_polylines(s, tol).value().front();
      auto fine = guilloche_polylines(s, 0.0005).value().front();
      double worst = 0;
      std::size_t j = 0;
      for (std::size_t i = 0; i < fine.points.size(); ++i) {
        while (j + 2 < coarse.t.size() && coarse.t[j + 1] < fine.t[i]) ++j;
        double d = 1e9;
        for (std::size_t k = j > 0 ? j - 1 : 0; k < std::min(j + 2, coarse.points.size() - 1); ++k)
          d = std::min(d, seg_dist(fine.points[i], coarse.points[k], coarse.points[k + 1]));
        worst = std::max(worst, d);
      }
      EXPECT_LT(worst, tol + 0.0006) << to_string(f) << " at " << dpi << " dpi";
    }
  }
}

TEST(GuillochePolylines, RadiusIsTheOuterReach) {
  for (auto f : {GuillocheFamily::hypotrochoid, GuillocheFamily::epitrochoid, GuillocheFamily::rose}) {
    auto s = spec(f);
    s.pen = f == GuillocheFamily::hypotrochoid ? s.radius * s.freq_b / s.freq_a : 6;  // pen on the rim
    s.amplitude = s.radius;
    double reach = 0;
    const auto lines = guilloche_polylines(s, 0.001).value();
    for (const auto& p : lines.front().points) reach = std::max(reach, std::hypot(p.x.v - 40, p.y.v - 27));
    EXPECT_NEAR(reach, 20, 0.05) << to_string(f);
  }
}

TEST(GuillochePolylines, FinerDpiGivesMorePointsNotAScaledCopy) {
  const auto s = spec(GuillocheFamily::hypotrochoid);
  const auto n300 = guilloche_polylines(s, flattening_tolerance(Dpi{300})).value().front().points.size();
  const auto n1200 = guilloche_polylines(s, flattening_tolerance(Dpi{1200})).value().front().points.size();
  EXPECT_GT(n1200, n300);
}

// A wave needs about as many points as any other feature: 24 to start with, more only where the
// tolerance asks. The modulation is `modulation_freq` slow cycles across the whole box, not a
// multiplier of every wave (it once made the personal band five times denser than its tolerance).
TEST(GuillochePolylines, WavesAreSampledPerWaveNotPerModulation) {
  GuillocheSpec s;  // the specimen's personal band
  s.family = GuillocheFamily::waves;
  s.box = MmRect{Mm{28}, Mm{46.6}, Mm{55}, Mm{2.8}};
  s.amplitude = 0.5, s.wavelength = 3.2, s.modulation = 0.4, s.modulation_freq = 4, s.strokes = 1;
  const double waves = s.box.w.v / s.wavelength;
  for (int dpi : {300, 600}) {
    const auto line = guilloche_polylines(s, flattening_tolerance(Dpi{dpi})).value().front();
    EXPECT_LT(static_cast<double>(line.points.size()) / waves, 40) << dpi << " dpi";
  }
}

TEST(GuillochePolylines, RefusesMillionsOfSegmentsQuickly) {
  auto s = spec(GuillocheFamily::hypotrochoid);
  s.freq_a = 1000, s.freq_b = 999, s.strokes = 2000;
  const auto t0 = std::chrono::steady_clock::now();
  auto pl = guilloche_polylines(s, flattening_tolerance(Dpi{1200}));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(pl);
  EXPECT_EQ(pl.error().code(), Errc::limit_exceeded);
  EXPECT_NE(pl.error().message().find("points"), std::string::npos);
  EXPECT_LT(ms, 1000);
  // Within the initial estimate but over the limit once refined: stopped at the limit.
  auto w = spec(GuillocheFamily::waves);
  w.strokes = 2000, w.wavelength = 0.2, w.amplitude = 3;
  auto r = guilloche_polylines(w, 0.0005, GuillocheLimits{.max_points = 100000});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::limit_exceeded);
}

TEST(GuillocheValidate, NamesTheParameter) {
  auto s = spec(GuillocheFamily::rose);
  s.radius = -1;
  auto st = validate(s);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().where().field, "radius");
  EXPECT_NE(st.error().message().find("-1"), std::string::npos);
  s = spec(GuillocheFamily::rings);
  s.strokes = 100, s.spacing = 1;
  ASSERT_FALSE(validate(s));
  s = spec(GuillocheFamily::hypotrochoid);
  s.freq_b = s.freq_a;
  ASSERT_FALSE(validate(s));
  s = spec(GuillocheFamily::rose);
  s.amplitude = std::nan("");
  ASSERT_FALSE(validate(s));
}

TEST(GuillochePerturb, DeterministicAndSeedDependent) {
  const auto s = spec(GuillocheFamily::hypotrochoid);
  const std::vector<std::uint8_t> k1 = {1, 2, 3}, k2 = {1, 2, 4};
  const auto a = perturb(s, k1, "band", 0.5), b = perturb(s, k1, "band", 0.5), c = perturb(s, k2, "band", 0.5);
  const auto d = perturb(s, k1, "other", 0.5);
  EXPECT_EQ(a.phase, b.phase);
  EXPECT_EQ(a.pen, b.pen);
  EXPECT_NE(a.phase, c.phase);
  EXPECT_NE(a.phase, d.phase);
  EXPECT_EQ(a.freq_a, s.freq_a);  // frequencies are kept: closure and character survive
  EXPECT_EQ(a.freq_b, s.freq_b);
  EXPECT_TRUE(validate(a));
}

// ---- Through templates: errors, rendering, determinism, personal patterns, lint, UV, overlay ----

const char* kBand = R"({"type": "guilloche", "name": "band", "x": 0, "y": 20, "w": 85.6, "h": 14,
   "family": "waves", "strokes": 24, "spacing": 0.55, "amplitude": 1.6, "wavelength": 9, "phase_step": 14,
   "modulation": 0.3, "modulation_freq": 2, "line_width": 0.09, "color": "#204080", "seed": "personal",
   "variation": 0.6})";

TEST(GuillocheElement, BadParametersNameElementAndKey) {
  struct Case {
    std::string extra, key;
  };
  const Case cases[] = {{R"("radius": -2)", "radius"},
                        {R"("line_width": 0.005)", "line_width"},
                        {R"("freq_a": 5000)", "freq_a"},
                        {R"("strokes": 0)", "strokes"}};
  for (const auto& c : cases) {
    const std::string el = R"({"type": "guilloche", "name": "rosette", "x": 10, "y": 10, "w": 30, "h": 30,
        "family": "rose", )" +
                           c.extra + "}";
    auto t = Template::parse(test::one_side(el), "t.json");
    ASSERT_FALSE(t) << c.key;
    EXPECT_EQ(t.error().where().element, "rosette") << c.key;
    EXPECT_NE(t.error().where().json_path.find(c.key), std::string::npos) << t.error().to_string();
  }
  // Millions of segments: refused when the template is read, naming the element.
  auto t = Template::parse(test::one_side(R"({"type": "guilloche", "name": "dense", "x": 0, "y": 0, "w": 85, "h": 54,
      "family": "hypotrochoid", "freq_a": 997, "freq_b": 991, "strokes": 400})"),
                           "t.json");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().where().element, "dense");
  EXPECT_NE(t.error().message().find("points"), std::string::npos) << t.error().to_string();
}

TEST(GuillocheElement, SameInputsGiveIdenticalPlanes) {
  const auto json = test::one_side(kBand);
  const auto a = test::render_json(json, 300), b = test::render_json(json, 300);
  ASSERT_EQ(a.process.size_bytes(), b.process.size_bytes());
  EXPECT_EQ(0, std::memcmp(a.process.data(), b.process.data(), a.process.size_bytes()));
}

double band_difference(const Planes& a, const Planes& b, int dpi) {
  // Fraction of pixels inside the band (trim y 20..34 mm) where one card has a line and the other not.
  const double k = dpi / 25.4;
  const int y0 = a.trim.y + static_cast<int>(21 * k), y1 = a.trim.y + static_cast<int>(33 * k);
  std::size_t differ = 0, inked = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = a.trim.x; x < a.trim.x + a.trim.w; ++x) {
      const bool ia = a.process.row(y)[3 * x] < 200, ib = b.process.row(y)[3 * x] < 200;
      differ += ia != ib;
      inked += ia || ib;
    }
  return inked ? static_cast<double>(differ) / static_cast<double>(inked) : 0.0;
}

TEST(GuillocheElement, PersonalPatternsDifferByDocumentNumber) {
  const auto json = test::one_side(kBand);
  const auto a = test::render_json(json, 300, test::specimen_record({{"document_number", "XA0000417"}}));
  const auto b = test::render_json(json, 300, test::specimen_record({{"document_number", "XA0000418"}}));
  const auto a2 = test::render_json(json, 300, test::specimen_record({{"document_number", "XA0000417"}}));
  const double diff = band_difference(a, b, 300);
  std::printf("personal band: %.1f %% of inked pixels differ between XA0000417 and XA0000418\n", 100 * diff);
  EXPECT_GT(diff, 0.5);
  EXPECT_EQ(band_difference(a, a2, 300), 0.0);
}

TEST(GuillocheElement, LintWarnsAboutSubPixelLines) {
  auto t = Template::parse(test::one_side(R"({"type": "guilloche", "name": "fine", "x": 0, "y": 0, "w": 40,
      "h": 40, "family": "rose", "line_width": 0.04})"),
                           "t.json")
               .value();
  const auto w300 = lint(t, Dpi{300});
  ASSERT_EQ(w300.size(), 1u);
  EXPECT_EQ(w300[0].element, "fine");
  EXPECT_EQ(w300[0].parameter, "line_width");
  EXPECT_NE(w300[0].to_string().find("0.04"), std::string::npos) << w300[0].to_string();
  EXPECT_TRUE(lint(t, Dpi{1200}).empty());
}

TEST(GuillocheElement, RainbowRampChangesColourAcrossTheCard) {
  const auto json = test::one_side(R"({"type": "guilloche", "name": "bg", "x": -1, "y": -1, "w": 87.6, "h": 56,
      "family": "waves", "strokes": 120, "spacing": 0.45, "amplitude": 1.2, "wavelength": 7, "phase_step": 9,
      "line_width": 0.12, "rainbow": {"colors": ["#e03030", "#30a030", "#3040e0"], "along": "x"}})");
  const auto p = test::render_json(json, 300);
  // Average the darkest channel mix in the left and right thirds: red dominates left, blue right.
  auto mean = [&](int x0, int x1, int c) {
    double s = 0;
    std::size_t n = 0;
    for (int y = 0; y < p.process.height(); ++y)
      for (int x = x0; x < x1; ++x) {
        const auto* px = p.process.row(y) + 3 * x;
        if (px[0] + px[1] + px[2] < 600) s += px[c], ++n;
      }
    return s / static_cast<double>(std::max<std::size_t>(n, 1));
  };
  const int w = p.process.width();
  EXPECT_GT(mean(0, w / 6, 0), mean(0, w / 6, 2) + 40);
  EXPECT_GT(mean(5 * w / 6, w, 2), mean(5 * w / 6, w, 0) + 40);
}

TEST(UvInk, HiddenInDaylightShownUnderTheLamp) {
  const auto json = test::one_side(R"({"type": "guilloche", "name": "uv_rosette", "x": 20, "y": 5, "w": 44,
      "h": 44, "family": "rose", "freq_a": 5, "freq_b": 2, "strokes": 6, "phase_step": 12, "line_width": 0.2,
      "ink": "uv"})",
                                   "#303848");  // a dark card: the lamp's glow shows on it
  const auto p = test::render_json(json, 150);
  std::size_t uv = 0;
  for (int y = 0; y < p.uv.height(); ++y)
    for (int x = 0; x < p.uv.width(); ++x) uv += p.uv.row(y)[x] > 0;
  ASSERT_GT(uv, 1000u);
  const Image day = composite(p, false), lamp = composite(p, true);
  std::size_t day_changed = 0, lamp_changed = 0;
  for (int y = 0; y < day.height(); ++y)
    for (int x = 0; x < day.width(); ++x) {
      const auto* d = day.row(y) + 3 * x;
      const auto* l = lamp.row(y) + 3 * x;
      day_changed += d[0] != 0x30 || d[1] != 0x38 || d[2] != 0x48;
      lamp_changed += l[0] != d[0] || l[1] != d[1] || l[2] != d[2];
    }
  EXPECT_EQ(day_changed, 0u);            // daylight: the bare card, UV invisible
  EXPECT_GT(lamp_changed, uv * 9 / 10);  // lamp: the UV pattern glows
}

TEST(OverlayMask, HolesForChipAndStripe) {
  const auto json = test::one_side(R"({"type": "overlay_mask", "name": "varnish", "x": -1, "y": -1, "w": 87.6,
      "h": 55.98, "chip": true, "stripe": true})");
  const auto p = test::render_json(json, 300);
  const double k = 300 / 25.4;
  auto at = [&](double xmm, double ymm) {
    return p.overlay.row(p.trim.y + static_cast<int>(ymm * k))[p.trim.x + static_cast<int>(xmm * k)];
  };
  EXPECT_EQ(at(15.06, 23.89), 0);  // centre of the ISO 7816-2 contact field
  EXPECT_EQ(at(10.5, 19.5), 0);    // C1
  EXPECT_EQ(at(19.6, 28.3), 0);    // C8
  EXPECT_EQ(at(40, 10), 0);        // magnetic stripe band 5.54-15.82 mm
  EXPECT_EQ(at(1, 6), 0);
  EXPECT_EQ(at(40, 4.5), 255);  // above the stripe
  EXPECT_EQ(at(40, 17), 255);   // below it
  EXPECT_EQ(at(60, 40), 255);
  EXPECT_EQ(at(25, 24), 255);  // right of the chip hole
  auto bad = Template::parse(test::one_side(R"({"type": "overlay_mask", "name": "v", "x": 0, "y": 0, "w": 85,
      "h": 54, "ink": "k"})"),
                             "t.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().element, "v");
}

TEST(GhostImage, LightenAndLinesInProcessAndUv) {
  for (const std::string mode : {"lighten", "lines"}) {
    for (const std::string ink : {"process", "uv"}) {
      const auto json = test::one_side(R"({"type": "ghost", "name": "ghost", "x": 60, "y": 20, "w": 16, "h": 20,
          "mode": ")" + mode + R"(", "ink": ")" +
                                       ink + R"("})");
      const auto p = test::render_json(json, 300);
      const double k = 300 / 25.4;
      std::size_t inside = 0, outside = 0;
      for (int y = 0; y < p.process.height(); ++y)
        for (int x = 0; x < p.process.width(); ++x) {
          const double xm = (x - p.trim.x) / k, ym = (y - p.trim.y) / k;
          const bool in = xm >= 60 - 1 / k && xm < 76 + 1 / k && ym >= 20 - 1 / k && ym < 40 + 1 / k;
          const bool ink_here = ink == "uv" ? p.uv.row(y)[x] > 8 : p.process.row(y)[3 * x] < 247;
          (in ? inside : outside) += ink_here;
        }
      EXPECT_GT(inside, 2000u) << mode << "/" << ink;
      EXPECT_EQ(outside, 0u) << mode << "/" << ink;
    }
  }
  // The line-modulated main photo: vector strokes whose width follows darkness, clipped to the box.
  const auto lines = test::render_json(test::one_side(R"({"type": "photo_lines", "name": "pl", "x": 3, "y": 12,
      "w": 22, "h": 28.4})"),
                                       300);
  std::size_t dark = 0;
  for (int y = 0; y < lines.process.height(); ++y)
    for (int x = 0; x < lines.process.width(); ++x) dark += lines.process.row(y)[3 * x] < 128;
  EXPECT_GT(dark, 5000u);
  auto bad = Template::parse(test::one_side(R"({"type": "ghost", "name": "g", "x": 0, "y": 0, "w": 10, "h": 12,
      "mode": "lines", "pitch": 0.2, "max_width": 0.3})"),
                             "t.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().where().json_path.find("max_width"), std::string::npos);
}

}  // namespace
}  // namespace sdc
