// Test helper: seeded random scenes of ID-1 cards that are not sdc's (seven designs), on eight kinds
// of desk, under seven kinds of light, seen by a pinhole camera (any turn in the card's plane,
// tilted up to 40 degrees, 25 degrees sideways, a focal length of 0.8 times the frame's diagonal),
// blurred, with sensor noise, stored as JPEG at quality 55 to 95, in four frame sizes up to 12 MP.
// Drawn with OpenCV, not by the simulator (whose captures are of sdc's cards on one desk).
// Header-only, shared by bench/locate_scenes (the locator's rate on them) and the locator's tests
// (tests/verify/locate_test.cpp: scenes it once missed). Scene i of seed s is random_scene(s *
// 100000 + i) in both.
#pragma once

#include "verify/corner_error.hpp"
#include "verify/scene_test_support.hpp"

#include <sdc/image.hpp>
#include <sdc/simulate.hpp>
#include <sdc/verify.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace sdc::test {

inline constexpr const char* kDesigns[] = {"blue-band",    "pale",      "printed-frame", "scenic",
                                           "white-margin", "guilloche", "navy"};
inline constexpr const char* kDesks[] = {"clutter", "wood", "tiles", "light", "dark", "paper", "fabric", "keyboard"};
inline constexpr const char* kLights[] = {"even",     "gradient",     "shadow-edge", "colour-cast",
                                          "vignette", "phone-shadow", "glare"};

struct Rng {
  std::mt19937 g;
  double u(double a, double b) { return std::uniform_real_distribution<double>(a, b)(g); }
  int i(int a, int b) { return std::uniform_int_distribution<int>(a, b)(g); }
  cv::Scalar colour() { return cv::Scalar(i(0, 255), i(0, 255), i(0, 255)); }
};

// The card at 300 dpi (1011 x 638), square-cornered (place_card rounds them).
inline cv::Mat card_of(int design, Rng& r) {
  const int W = 1011, H = 638;
  cv::Mat card(H, W, CV_8UC3, cv::Scalar(200, 200, 200));
  switch (design) {
    case 0:
      card.setTo(cv::Scalar(170, 120, 60));
      cv::rectangle(card, cv::Rect(0, 420, W, 120), cv::Scalar(90, 60, 30), -1);
      break;
    case 1: card.setTo(cv::Scalar(236, 234, 228)); break;
    case 2:
      card.setTo(cv::Scalar(200, 215, 190));
      cv::rectangle(card, cv::Rect(12, 12, W - 24, H - 24), cv::Scalar(30, 30, 120), 3);
      break;
    case 3: {  // a photographic background printed to the edge
      const cv::Scalar a = r.colour(), b = r.colour();
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
          const double t = (x + 0.5 * y) / (W + 0.5 * H);
          for (int k = 0; k < 3; ++k) card.at<cv::Vec3b>(y, x)[k] = cv::saturate_cast<uchar>(a[k] * (1 - t) + b[k] * t);
        }
      for (int k = 0; k < 8; ++k) cv::circle(card, {r.i(0, W), r.i(0, H)}, r.i(30, 200), r.colour(), -1, cv::LINE_AA);
      cv::GaussianBlur(card, card, cv::Size(), 25);
      break;
    }
    case 4:  // a white margin of 2 mm round a coloured field
      card.setTo(cv::Scalar(245, 245, 245));
      cv::rectangle(card, cv::Rect(24, 24, W - 48, H - 48), r.colour(), -1);
      break;
    case 5: {  // fine wavy lines over the whole card
      card.setTo(cv::Scalar(225, 230, 215));
      const cv::Scalar ink = r.colour();
      for (int k = 0; k < 80; ++k) {
        std::vector<cv::Point> pts;
        for (int x = 0; x < W; x += 4) pts.emplace_back(x, static_cast<int>(k * 9 + 20 * std::sin(x * 0.02 + k * 0.3)));
        cv::polylines(card, pts, false, ink, 1, cv::LINE_AA);
      }
      break;
    }
    default: card.setTo(cv::Scalar(60, 30, 20));
  }
  cv::rectangle(card, cv::Rect(90, 200, 130, 100), cv::Scalar(60, 180, 220), -1);    // chip
  cv::rectangle(card, cv::Rect(700, 330, 230, 260), cv::Scalar(120, 110, 100), -1);  // portrait
  const cv::Scalar ink = design == 6   ? cv::Scalar(230, 230, 230)
                         : design == 1 ? cv::Scalar(170, 170, 175)
                                       : cv::Scalar(40, 40, 60);
  for (int k = 0; k < 10; ++k)
    cv::putText(card, "NAME SURNAME 1987", {280 + r.i(0, 60), 80 + k * 42}, cv::FONT_HERSHEY_SIMPLEX, 0.9, ink, 2);
  return card;
}

inline cv::Mat desk_of(int kind, int w, int h, Rng& r) {
  cv::Mat m(h, w, CV_8UC3);
  switch (kind) {
    case 0:
      m.setTo(cv::Scalar(r.i(40, 110), r.i(40, 110), r.i(40, 110)));
      for (int k = 0; k < 40; ++k) {
        const cv::Point a(r.i(-w / 4, w), r.i(-h / 4, h));
        cv::rectangle(m, a, a + cv::Point(r.i(20, w / 4), r.i(20, h / 4)), r.colour(), r.i(0, 1) ? -1 : r.i(1, 6));
      }
      for (int k = 0; k < 30; ++k) cv::line(m, {r.i(0, w), r.i(0, h)}, {r.i(0, w), r.i(0, h)}, r.colour(), r.i(1, 4));
      break;
    case 1: {
      const double f1 = 0.02 + r.u(0, 0.01);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const double t = y + 12 * std::sin(x * 0.004 + y * 0.001);
          const double g = 0.5 + 0.3 * std::sin(t * f1) + 0.2 * std::sin(t * 0.11 + x * 0.01);
          m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(40 + 40 * g), static_cast<uchar>(80 + 60 * g),
                                            static_cast<uchar>(120 + 80 * g));
        }
      break;
    }
    case 2:
      m.setTo(cv::Scalar(180, 180, 170));
      for (int y = 0; y < h; y += 90)
        for (int x = 0; x < w; x += 90)
          cv::rectangle(m, cv::Rect(x + 3, y + 3, 84, 84),
                        ((x + y) / 90) % 2 ? cv::Scalar(150, 160, 170) : cv::Scalar(210, 205, 200), -1);
      break;
    case 3: m.setTo(cv::Scalar(212, 214, 216)); break;
    case 4: m.setTo(cv::Scalar(r.i(15, 50), r.i(15, 50), r.i(15, 50))); break;
    case 5: {  // a sheet of printed paper on a desk
      m.setTo(cv::Scalar(r.i(60, 140), r.i(60, 140), r.i(60, 140)));
      const cv::Point a(r.i(0, w / 3), r.i(0, h / 3));
      cv::rectangle(m, cv::Rect(a.x, a.y, r.i(w / 2, w), r.i(h / 2, h)), cv::Scalar(245, 245, 242), -1);
      for (int y = a.y + 30; y < h; y += 28)
        cv::putText(m, "The undersigned declares that the information above", {a.x + 30, y}, cv::FONT_HERSHEY_SIMPLEX,
                    0.7, cv::Scalar(30, 30, 30), 1);
      break;
    }
    case 6:
      cv::RNG(static_cast<std::uint64_t>(r.i(0, 1000))).fill(m, cv::RNG::NORMAL, 120, 40);
      cv::GaussianBlur(m, m, cv::Size(), 1.2);
      break;
    default:
      m.setTo(cv::Scalar(200, 200, 200));
      for (int y = 10; y < h; y += 70)
        for (int x = 10; x < w; x += 70) {
          cv::rectangle(m, cv::Rect(x, y, 60, 60), cv::Scalar(40, 40, 40), -1);
          cv::putText(m, std::string(1, static_cast<char>('A' + r.i(0, 25))), {x + 20, y + 40},
                      cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(220, 220, 220), 2);
        }
  }
  cv::Mat noise(h, w, CV_8UC3);
  cv::RNG(static_cast<std::uint64_t>(r.i(0, 1000))).fill(noise, cv::RNG::NORMAL, 0, 5);
  m += noise;
  return m;
}

struct RandomScene {
  int w = 0, h = 0, design = 0, desk = 0, light = 0, quality = 0;
  double deg = 0, pitch = 0, yaw = 0, width = 0, sigma = 0;
  std::array<cv::Point2d, 4> truth{};  // the card's corners, TL TR BR BL
  Image image;
};

inline RandomScene random_scene(std::uint64_t seed) {
  Rng r{std::mt19937(static_cast<std::mt19937::result_type>(seed))};
  RandomScene s;
  constexpr int fw[] = {1920, 1080, 1600, 4032}, fh[] = {1080, 1920, 1200, 3024};
  const int frame = r.i(0, 3);
  s.w = fw[frame];
  s.h = fh[frame];
  s.design = r.i(0, 6);
  s.desk = r.i(0, 7);
  s.light = r.i(0, 6);
  s.deg = r.u(0, 360);
  s.sigma = r.u(0.4, 1.8);
  s.quality = r.i(55, 95);
  s.pitch = r.u(0, 1) < 0.5 ? r.u(-10, 10) : r.u(-40, 40);
  s.yaw = r.u(-25, 25);
  const double f = 0.8 * std::hypot(s.w, s.h), a = s.deg * CV_PI / 180, p = s.pitch * CV_PI / 180,
               yw = s.yaw * CV_PI / 180;
  for (int tries = 0; tries < 200; ++tries) {
    s.width = std::min(r.u(0.25, 0.95) * std::min(s.w, s.h) * (s.w > s.h ? 1.4 : 1.0), 0.95 * std::max(s.w, s.h));
    const double Z = f * 85.6 / s.width;
    const cv::Point2d c(r.u(0.3, 0.7) * s.w, r.u(0.3, 0.7) * s.h);
    const double X0 = (c.x - s.w / 2.0) * Z / f, Y0 = (c.y - s.h / 2.0) * Z / f;
    constexpr double cx[4] = {-42.8, 42.8, 42.8, -42.8}, cy[4] = {-26.99, -26.99, 26.99, 26.99};
    bool inside = true;
    for (std::size_t k = 0; k < 4; ++k) {
      double x = cx[k] * std::cos(a) + cy[k] * std::sin(a), y = -cx[k] * std::sin(a) + cy[k] * std::cos(a);
      double z = y * std::sin(p);
      y *= std::cos(p);
      const double x2 = x * std::cos(yw) + z * std::sin(yw);
      z = -x * std::sin(yw) + z * std::cos(yw);
      x = x2;
      s.truth[k] = cv::Point2d(s.w / 2.0 + f * (x + X0) / (Z + z), s.h / 2.0 + f * (y + Y0) / (Z + z));
      inside &= s.truth[k].x > 0.02 * s.w && s.truth[k].x < 0.98 * s.w && s.truth[k].y > 0.02 * s.h &&
                s.truth[k].y < 0.98 * s.h;
    }
    if (inside) break;
  }
  cv::Mat scene = desk_of(s.desk, s.w, s.h, r);
  place_card(scene, card_of(s.design, r), s.truth);
  cv::Mat fl;
  scene.convertTo(fl, CV_32FC3);
  cv::Vec3f cast(1, 1, 1);
  if (s.light == 3)
    cast = cv::Vec3f(static_cast<float>(r.u(0.75, 1.0)), static_cast<float>(r.u(0.9, 1.05)),
                     static_cast<float>(r.u(1.0, 1.2)));
  const double gx = r.u(-1, 1), gy = r.u(-1, 1), sx = r.u(0.2, 0.8) * s.w, sy = r.u(0.2, 0.8) * s.h,
               sr = r.u(0.05, 0.2) * std::min(s.w, s.h);
  for (int y = 0; y < fl.rows; ++y)
    for (int x = 0; x < fl.cols; ++x) {
      double g = 1, add = 0;
      if (s.light == 1) g = 0.75 + 0.3 * (gx * x / fl.cols + gy * y / fl.rows);
      if (s.light == 2) g = 1 - 0.5 / (1 + std::exp((x - 0.35 * fl.cols - 0.3 * y) / 25.0));
      if (s.light == 4) {
        const double dx = (x - fl.cols / 2.0) / fl.cols, dy = (y - fl.rows / 2.0) / fl.rows;
        g = 1 - 0.8 * (dx * dx + dy * dy);
      }
      if (s.light == 5) {
        const double dx = (x - sx) / (2 * sr), dy = (y - sy) / sr;
        g = 1 - 0.45 / (1 + std::exp((std::sqrt(dx * dx + dy * dy) - 1) * 8));
      }
      if (s.light == 6) add = 200 * std::exp(-((x - sx) * (x - sx) + (y - sy) * (y - sy)) / (0.4 * sr * sr));
      auto& v = fl.at<cv::Vec3f>(y, x);
      for (int k = 0; k < 3; ++k) v[k] = static_cast<float>(v[k] * g * cast[k] + add);
    }
  fl.convertTo(scene, CV_8UC3);
  cv::GaussianBlur(scene, scene, cv::Size(), s.sigma * s.w / 1920.0);
  cv::Mat noise(s.h, s.w, CV_8UC3);
  cv::RNG(seed).fill(noise, cv::RNG::NORMAL, 0, 3);
  scene += noise;
  cv::cvtColor(scene, scene, cv::COLOR_BGR2RGB);
  Image img(s.w, s.h, PixelFormat::rgb8);
  for (int y = 0; y < s.h; ++y) std::copy_n(scene.ptr<uchar>(y), 3 * s.w, img.data() + y * img.row_stride());
  auto jpeg = jpeg_roundtrip(img.view(), s.quality);
  s.image = jpeg ? std::move(*jpeg) : std::move(img);
  return s;
}

// Whether `l` is the scene's card: every corner within max(3 px, 0.6 % of the card's width) of the
// truth (up to the 180-degree turn locate_card leaves open).
inline bool found_card(const RandomScene& s, const CardLocation& l) {
  return l.found && corner_error_either(l, s.truth) <= std::max(3.0, 0.006 * s.width);
}

}  // namespace sdc::test
