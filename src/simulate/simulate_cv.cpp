// The print-scan simulator (simulate.hpp) with OpenCV core/imgproc. Every random number comes from
// one std::mt19937_64 per call, drawn in a fixed order; Gaussian noise is Box-Muller over it so that
// no library distribution (whose output the standard leaves open) decides the bytes.
#include <sdc/simulate.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <random>
#include <string>
#include <vector>

namespace sdc {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxPixels = 200e6;

// Uniform numbers from std::mt19937_64; Gaussian numbers from a table of 65536 Box-Muller draws
// made from the same generator at construction, indexed by 16-bit slices of further draws (four per
// draw): exact enough for image noise, and fast for tens of millions of pixels.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed), table_(65536) {
    for (std::size_t i = 0; i < table_.size(); i += 2) {
      double u1 = uniform();
      while (u1 <= 1e-300) u1 = uniform();
      const double u2 = uniform();
      const double r = std::sqrt(-2.0 * std::log(u1));
      table_[i] = static_cast<float>(r * std::cos(2 * kPi * u2));
      table_[i + 1] = static_cast<float>(r * std::sin(2 * kPi * u2));
    }
  }
  // Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(gen_() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  float normal() {
    if (left_ == 0) {
      bits_ = gen_();
      left_ = 4;
    }
    --left_;
    const float v = table_[bits_ & 0xFFFF];
    bits_ >>= 16;
    return v;
  }
  std::uint64_t next() { return gen_(); }

 private:
  std::mt19937_64 gen_;
  std::vector<float> table_;
  std::uint64_t bits_ = 0;
  int left_ = 0;
};

Error bad(std::string what, std::string hint) {
  return Error(Errc::invalid_argument, std::move(what), std::move(hint));
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Status check_range(std::string_view name, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    return bad("channel parameter " + std::string(name) + " = " + num(v) + " is outside " + num(lo) + ".." + num(hi),
               "see the ranges in sdc/simulate.hpp");
  return {};
}

Status validate(const Channel& ch) {
  if (ch.passes.empty()) return bad("the channel '" + ch.name + "' has no pass", "give at least one Pass");
  if (ch.passes.size() > 4) return bad("the channel '" + ch.name + "' has more than 4 passes", "use 1 to 4 passes");
  for (const auto& p : ch.passes) {
    SDC_TRY(check_range("print.dpi", p.print.dpi.v, 72, 2400));
    SDC_TRY(check_range("print.dot_gain", p.print.dot_gain, 0, 0.5));
    SDC_TRY(check_range("print.blur_mm", p.print.blur_mm, 0, 0.5));
    SDC_TRY(check_range("print.noise", p.print.noise, 0, 0.5));
    SDC_TRY(check_range("capture.dpi", p.capture.dpi.v, 72, 2400));
    SDC_TRY(check_range("capture.blur_px", p.capture.blur_px, 0, 10));
    SDC_TRY(check_range("capture.motion_px", p.capture.motion_px, 0, 60));
    SDC_TRY(check_range("capture.sharpen", p.capture.sharpen, 0, 3));
    SDC_TRY(check_range("capture.glare", p.capture.glare, 0, 2));
    SDC_TRY(check_range("capture.glare_x", p.capture.glare_x, -1, 1));
    SDC_TRY(check_range("capture.glare_y", p.capture.glare_y, -1, 1));
    if (p.capture.glare_size != 0) SDC_TRY(check_range("capture.glare_size", p.capture.glare_size, 0.01, 0.5));
    SDC_TRY(check_range("capture.noise", p.capture.noise, 0, 50));
    SDC_TRY(check_range("capture.denoise", p.capture.denoise, 0, 3));
    SDC_TRY(check_range("capture.rotation_deg", p.capture.rotation_deg, 0, 180));
    SDC_TRY(check_range("capture.perspective", p.capture.perspective, 0, 0.2));
    SDC_TRY(check_range("capture.tilt_deg", p.capture.tilt_deg, 0, 60));
    SDC_TRY(check_range("capture.shadow", p.capture.shadow, 0, 0.9));
    SDC_TRY(check_range("capture.shadow_edge_mm", p.capture.shadow_edge_mm, 0.05, 20));
    SDC_TRY(check_range("capture.lighting", p.capture.lighting, 0, 0.8));
    SDC_TRY(check_range("capture.jpeg_quality", p.capture.jpeg_quality, 0, 100));
    SDC_TRY(check_range("capture.margin_mm", p.capture.margin_mm, 0, 100));
  }
  return {};
}

Status check_size(double w, double h) {
  if (!(w * h <= kMaxPixels) || w > 60000 || h > 60000)
    return Error(Errc::limit_exceeded,
                 "the simulated image would have " + num(std::round(w)) + " x " + num(std::round(h)) + " pixels",
                 "lower the dpi of the channel or the input");
  return {};
}

cv::Mat wrap(const ImageView& v) {
  const int type = v.format() == PixelFormat::gray8 ? CV_8UC1 : v.format() == PixelFormat::rgb8 ? CV_8UC3 : CV_8UC4;
  return cv::Mat(v.height(), v.width(), type, const_cast<std::uint8_t*>(v.data()),
                 static_cast<std::size_t>(v.row_stride()));
}

// rgb reflectance 0..1 (CV_32FC3); rgba is composited over white.
cv::Mat to_reflectance(const ImageView& v) {
  cv::Mat src = wrap(v), rgb;
  if (v.format() == PixelFormat::gray8) {
    cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
  } else if (v.format() == PixelFormat::rgba8) {
    cv::Mat f;
    src.convertTo(f, CV_32FC4, 1.0 / 255);
    cv::Mat out(f.rows, f.cols, CV_32FC3);
    for (int y = 0; y < f.rows; ++y) {
      const auto* s = f.ptr<cv::Vec4f>(y);
      auto* d = out.ptr<cv::Vec3f>(y);
      for (int x = 0; x < f.cols; ++x)
        for (int c = 0; c < 3; ++c) d[x][c] = s[x][c] * s[x][3] + (1 - s[x][3]);
    }
    return out;
  } else {
    rgb = src;
  }
  cv::Mat f;
  rgb.convertTo(f, CV_32FC3, 1.0 / 255);
  return f;
}

// `in` at `scale`: a new image, or `in` itself at its own size (a caller that writes to the result
// gives up `in`, or clones it).
cv::Mat resample(cv::Mat in, double scale) {
  const int w = std::max(1, static_cast<int>(std::lround(in.cols * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(in.rows * scale)));
  if (w == in.cols && h == in.rows) return in;
  cv::Mat out;
  cv::resize(in, out, cv::Size(w, h), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

void blur(cv::Mat& m, double sigma) {
  if (sigma < 0.05) return;
  cv::GaussianBlur(m, m, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
}

// A straight motion blur of `length` pixels at `angle` (radians): the line's kernel, sampled finely
// and splatted bilinearly so that a length or direction between pixels is exact on average.
void motion_blur(cv::Mat& m, double length, double angle) {
  if (length < 0.5) return;
  const int half = static_cast<int>(std::ceil(length / 2)) + 1;
  cv::Mat k(2 * half + 1, 2 * half + 1, CV_32FC1, cv::Scalar(0));
  const int steps = static_cast<int>(std::ceil(length * 8)) + 1;
  for (int i = 0; i < steps; ++i) {
    const double t = (steps == 1 ? 0.0 : static_cast<double>(i) / (steps - 1) - 0.5) * length;
    const double x = half + t * std::cos(angle), y = half + t * std::sin(angle);
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    const double fx = x - x0, fy = y - y0;
    k.at<float>(y0, x0) += static_cast<float>((1 - fx) * (1 - fy));
    k.at<float>(y0, x0 + 1) += static_cast<float>(fx * (1 - fy));
    k.at<float>(y0 + 1, x0) += static_cast<float>((1 - fx) * fy);
    k.at<float>(y0 + 1, x0 + 1) += static_cast<float>(fx * fy);
  }
  k /= cv::sum(k)[0];
  cv::filter2D(m, m, -1, k, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
}

void add_noise(cv::Mat& m, double sigma, Rng& rng) {
  if (sigma <= 0) return;
  const int n = m.cols * m.channels();
  for (int y = 0; y < m.rows; ++y) {
    auto* p = m.ptr<float>(y);
    const float sf = static_cast<float>(sigma);
    for (int i = 0; i < n; ++i) p[i] += sf * rng.normal();
  }
}

// The artwork (reflectance at art_dpi) printed: on the printer grid, with dot gain, density noise
// and ink spread. `art` is the caller's to give up: at the printer's dpi it is printed in place (a
// copy of a 600 dpi card's float image less per simulated capture).
cv::Mat print(cv::Mat art, double art_dpi, const PrintStep& p, Rng& rng) {
  cv::Mat m = resample(std::move(art), p.dpi.v / art_dpi);
  const int n = m.cols * 3;
  const float g = static_cast<float>(p.dot_gain), nf = static_cast<float>(p.noise);
  for (int y = 0; y < m.rows; ++y) {
    auto* px = m.ptr<float>(y);
    for (int i = 0; i < n; ++i) {
      float ink = 1.0f - std::clamp(px[i], 0.0f, 1.0f);
      ink += 4 * g * ink * (1 - ink);
      ink *= 1 + nf * rng.normal();
      px[i] = 1.0f - std::clamp(ink, 0.0f, 1.0f);
    }
  }
  blur(m, p.blur_mm * p.dpi.v / 25.4);
  return m;
}

// The artwork (at art_dpi) shown on a screen of p.dpi pixels per inch at its size: each pixel a 3 x
// 3 block of subpixels, its columns red, green and blue over the top two rows and the black matrix
// in the bottom row, each lit 4.5 times the pixel's value in its colour so that the block's mean
// is the value. At 3 * p.dpi.
cv::Mat show_on_screen(const cv::Mat& art, double art_dpi, const PrintStep& p) {
  const cv::Mat px = resample(art, p.dpi.v / art_dpi);
  cv::Mat m(px.rows * 3, px.cols * 3, CV_32FC3, cv::Scalar(0, 0, 0));
  for (int y = 0; y < px.rows; ++y) {
    const auto* s = px.ptr<cv::Vec3f>(y);
    for (int sub = 0; sub < 2; ++sub) {
      auto* d = m.ptr<cv::Vec3f>(3 * y + sub);
      for (int x = 0; x < px.cols; ++x)
        for (int c = 0; c < 3; ++c) d[3 * x + c][c] = 4.5f * std::clamp(s[x][c], 0.0f, 1.0f);
    }
  }
  return m;
}

cv::Mat make_background(cv::Size size, const CaptureStep& c, Rng& rng) {
  if (c.background == Background::white) {
    const float v = static_cast<float>(rng.uniform(0.9, 0.97));
    return cv::Mat(size, CV_32FC3, cv::Scalar(v, v, v));
  }
  // A desk: a base colour with a smooth texture, then objects (papers, pens, a mug seen from above).
  cv::Mat small(6, 8, CV_32FC3);
  const cv::Vec3f base(static_cast<float>(rng.uniform(0.25, 0.7)), static_cast<float>(rng.uniform(0.2, 0.6)),
                       static_cast<float>(rng.uniform(0.15, 0.55)));
  for (int y = 0; y < small.rows; ++y)
    for (int x = 0; x < small.cols; ++x) {
      const float t = static_cast<float>(rng.uniform(-0.12, 0.12));
      small.at<cv::Vec3f>(y, x) = base + cv::Vec3f(t, t, t);
    }
  cv::Mat bg;
  cv::resize(small, bg, size, 0, 0, cv::INTER_CUBIC);
  const int objects = 6 + static_cast<int>(rng.next() % 8);
  const double s = std::max(size.width, size.height);
  for (int i = 0; i < objects; ++i) {
    const cv::Scalar colour(rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0, 1));
    const cv::Point p0(static_cast<int>(rng.uniform(0, size.width)), static_cast<int>(rng.uniform(0, size.height)));
    const cv::Point p1(static_cast<int>(rng.uniform(0, size.width)), static_cast<int>(rng.uniform(0, size.height)));
    switch (rng.next() % 4) {
      case 0: cv::rectangle(bg, p0, p1, colour, cv::FILLED, cv::LINE_AA); break;
      case 1: cv::circle(bg, p0, static_cast<int>(rng.uniform(0.02, 0.15) * s), colour, cv::FILLED, cv::LINE_AA); break;
      case 2: cv::line(bg, p0, p1, colour, 1 + static_cast<int>(rng.uniform(0, 0.01) * s), cv::LINE_AA); break;
      default:
        cv::putText(bg, "NOTE 42", p0, cv::FONT_HERSHEY_SIMPLEX, rng.uniform(0.5, 3), colour,
                    1 + static_cast<int>(rng.next() % 4), cv::LINE_AA);
    }
  }
  add_noise(bg, 0.02, rng);
  return bg;
}

// The card's shape (rounded corners, radius in pixels) as coverage 0..1.
cv::Mat card_mask(cv::Size size, double radius) {
  cv::Mat m(size, CV_32FC1, cv::Scalar(1));
  const int r = static_cast<int>(std::floor(radius));
  if (r < 1) return m;
  for (int y = 0; y < std::min(r, size.height); ++y)
    for (int x = 0; x < std::min(r, size.width); ++x) {
      const double dx = r - (x + 0.5), dy = r - (y + 0.5);
      const float v = static_cast<float>(std::clamp(radius - std::sqrt(dx * dx + dy * dy) + 0.5, 0.0, 1.0));
      m.at<float>(y, x) = v;
      m.at<float>(y, size.width - 1 - x) = v;
      m.at<float>(size.height - 1 - y, x) = v;
      m.at<float>(size.height - 1 - y, size.width - 1 - x) = v;
    }
  return m;
}

// A shadow over the scene: the light times 1 - c.shadow beyond a straight edge through a point of
// the card's middle half (w x h pixels before the homography `hom`), with a linear penumbra of
// c.shadow_edge_mm on the card.
void add_shadow(cv::Mat& scene, const cv::Mat& hom, double w, double h, const CaptureStep& c, Rng& rng) {
  const double fx = rng.uniform(0.25, 0.75), fy = rng.uniform(0.25, 0.75), dir = rng.uniform(0, 2 * kPi);
  std::vector<cv::Point2f> at{cv::Point2f(static_cast<float>(fx * w - 0.5), static_cast<float>(fy * h - 0.5))}, to;
  cv::perspectiveTransform(at, to, hom);
  const double nx = std::cos(dir), ny = std::sin(dir);
  const double edge = std::max(0.5, c.shadow_edge_mm * c.dpi.v / 25.4);
  for (int y = 0; y < scene.rows; ++y) {
    auto* sv = scene.ptr<cv::Vec3f>(y);
    for (int x = 0; x < scene.cols; ++x) {
      const double d = (x - static_cast<double>(to[0].x)) * nx + (y - static_cast<double>(to[0].y)) * ny;
      const double in = std::clamp(0.5 + d / edge, 0.0, 1.0);  // 1: in the shadow
      sv[x] *= static_cast<float>(1 - c.shadow * in);
    }
  }
}

// A specular highlight: white light added in an elliptical Gaussian spot on the card (its mask),
// centred at a point of the card as printed (w x h pixels before the homography `hom`).
void add_glare(cv::Mat& scene, const cv::Mat& mask, const cv::Mat& hom, double w, double h, const CaptureStep& c,
               Rng& rng) {
  const double fx = c.glare_x >= 0 ? c.glare_x : rng.uniform(0.1, 0.9);
  const double fy = c.glare_y >= 0 ? c.glare_y : rng.uniform(0.1, 0.9);
  const double size = c.glare_size > 0 ? c.glare_size : rng.uniform(0.05, 0.12);
  const double stretch = rng.uniform(1, 2.5), turn = rng.uniform(0, kPi);
  std::vector<cv::Point2f> at{cv::Point2f(static_cast<float>(fx * w - 0.5), static_cast<float>(fy * h - 0.5))}, to;
  cv::perspectiveTransform(at, to, hom);
  // The spot's axes in the capture: σ of the shorter one from the card's width as captured.
  const double s1 = size * w, s2 = s1 * stretch;
  const double ct = std::cos(turn), st = std::sin(turn);
  const double reach = 3.5 * s2;
  const int x0 = std::max(0, static_cast<int>(to[0].x - reach)),
            x1 = std::min(scene.cols, static_cast<int>(to[0].x + reach) + 1);
  const int y0 = std::max(0, static_cast<int>(to[0].y - reach)),
            y1 = std::min(scene.rows, static_cast<int>(to[0].y + reach) + 1);
  for (int y = y0; y < y1; ++y) {
    auto* sv = scene.ptr<cv::Vec3f>(y);
    const auto* mv = mask.ptr<float>(y);
    for (int x = x0; x < x1; ++x) {
      const double dx = x - static_cast<double>(to[0].x), dy = y - static_cast<double>(to[0].y);
      const double a = (dx * ct + dy * st) / s2, b = (-dx * st + dy * ct) / s1;
      const float add = static_cast<float>(c.glare * std::exp(-0.5 * (a * a + b * b))) * mv[x];
      sv[x] += cv::Vec3f(add, add, add);
    }
  }
}

struct Captured {
  cv::Mat rgb8;
  std::array<PointF, 4> corners;
};

Result<Captured> capture(const cv::Mat& printed, double print_dpi, const CaptureStep& c, Rng& rng) {
  const double scale = c.dpi.v / print_dpi;
  SDC_TRY(check_size(printed.cols * scale * 1.6 + 2 * c.margin_mm * c.dpi.v / 25.4,
                     printed.rows * scale * 1.6 + 2 * c.margin_mm * c.dpi.v / 25.4));
  const cv::Mat card = resample(printed, scale);
  const cv::Mat mask = card_mask(card.size(), 3.18 * c.dpi.v / 25.4);
  const double w = card.cols, h = card.rows;

  // Where the card's corners land: rotated about its centre, each corner moved for perspective.
  const double angle = rng.uniform(-c.rotation_deg, c.rotation_deg) * kPi / 180;
  const double ca = std::cos(angle), sa = std::sin(angle);
  const cv::Point2f src[4] = {{-0.5f, -0.5f},
                              {static_cast<float>(w - 0.5), -0.5f},
                              {static_cast<float>(w - 0.5), static_cast<float>(h - 0.5)},
                              {-0.5f, static_cast<float>(h - 0.5)}};
  double dx[4], dy[4];
  for (int i = 0; i < 4; ++i) {
    const double x = src[i].x - (w - 1) / 2, y = src[i].y - (h - 1) / 2;
    dx[i] = x * ca - y * sa + rng.uniform(-1, 1) * c.perspective * w;
    dy[i] = x * sa + y * ca + rng.uniform(-1, 1) * c.perspective * w;
  }
  if (c.tilt_deg > 0) {
    // Rotated by the tilt about the axis u in the card's plane (Rodrigues), then projected from a
    // camera f away, of focal length f: scale 1 at the card's centre.
    const double phi = rng.uniform(0, 2 * kPi), t = c.tilt_deg * kPi / 180;
    const double ux = std::cos(phi), uy = std::sin(phi), f = 1.2 * std::hypot(w, h);
    for (int i = 0; i < 4; ++i) {
      const double along = dx[i] * ux + dy[i] * uy;
      const double x = dx[i] * std::cos(t) + ux * along * (1 - std::cos(t));
      const double y = dy[i] * std::cos(t) + uy * along * (1 - std::cos(t));
      const double z = (ux * dy[i] - uy * dx[i]) * std::sin(t);
      dx[i] = f * x / (f + z);
      dy[i] = f * y / (f + z);
    }
  }
  const double margin = c.margin_mm * c.dpi.v / 25.4;
  double minx = *std::min_element(dx, dx + 4), maxx = *std::max_element(dx, dx + 4);
  double miny = *std::min_element(dy, dy + 4), maxy = *std::max_element(dy, dy + 4);
  if (c.tilt_deg > 0) {
    // A phone's 4:3 frame, centred on the optical axis (the card's centre), the card and its margin
    // in it.
    maxx = std::max(-minx, maxx);
    maxy = std::max(-miny, maxy);
    const double wide = maxx >= maxy ? 4.0 / 3 : 3.0 / 4;  // the frame's width over its height
    if ((maxx + margin) < wide * (maxy + margin))
      maxx = wide * (maxy + margin) - margin;
    else
      maxy = (maxx + margin) / wide - margin;
    minx = -maxx;
    miny = -maxy;
  }
  const cv::Size out_size(static_cast<int>(std::ceil(maxx - minx + 2 * margin)) + 1,
                          static_cast<int>(std::ceil(maxy - miny + 2 * margin)) + 1);
  SDC_TRY(check_size(out_size.width, out_size.height));
  cv::Point2f dst[4];
  Captured out;
  for (int i = 0; i < 4; ++i) {
    dst[i] = cv::Point2f(static_cast<float>(dx[i] - minx + margin), static_cast<float>(dy[i] - miny + margin));
    out.corners[static_cast<std::size_t>(i)] = {dst[i].x, dst[i].y};
  }
  const cv::Mat hom = cv::getPerspectiveTransform(src, dst);

  cv::Mat scene = make_background(out_size, c, rng);
  cv::Mat warped, warped_mask;
  cv::warpPerspective(card, warped, hom, out_size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
  cv::warpPerspective(mask, warped_mask, hom, out_size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));

  // Lighting: a linear gradient in a random direction and a little vignetting.
  const double dir = rng.uniform(0, 2 * kPi);
  const double ux = std::cos(dir), uy = std::sin(dir);
  const double cx = out_size.width / 2.0, cy = out_size.height / 2.0;
  const double half_diag = std::hypot(cx, cy);
  for (int y = 0; y < out_size.height; ++y) {
    auto* s = scene.ptr<cv::Vec3f>(y);
    const auto* wv = warped.ptr<cv::Vec3f>(y);
    const auto* mv = warped_mask.ptr<float>(y);
    for (int x = 0; x < out_size.width; ++x) {
      const double rx = (x - cx) / half_diag, ry = (y - cy) / half_diag;
      const float gain = static_cast<float>((1 + 0.5 * c.lighting * (ux * rx + uy * ry)) *
                                            (1 - 0.3 * c.lighting * (rx * rx + ry * ry)));
      s[x] = (wv[x] * mv[x] + s[x] * (1 - mv[x])) * gain;
    }
  }
  // Drawn only when asked, so that the channels without them keep their bytes.
  if (c.shadow > 0) add_shadow(scene, hom, w, h, c, rng);
  if (c.glare > 0) add_glare(scene, warped_mask, hom, w, h, c, rng);
  blur(scene, c.blur_px);
  // Drawn only when asked, so that the channels without motion keep their bytes.
  if (c.motion_px > 0) motion_blur(scene, c.motion_px, rng.uniform(0, kPi));
  add_noise(scene, c.noise / 255, rng);
  if (c.denoise > 0) {
    // The filter's window reaches 2σ; it reads its source whole, so it needs a copy.
    cv::Mat smooth;
    cv::bilateralFilter(scene, smooth, 2 * static_cast<int>(std::ceil(2 * c.denoise)) + 1, 8 * c.denoise / 255,
                        c.denoise, cv::BORDER_REPLICATE);
    scene = smooth;
  }
  if (c.sharpen > 0) {
    cv::Mat soft;
    cv::GaussianBlur(scene, soft, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REPLICATE);
    cv::addWeighted(scene, 1 + c.sharpen, soft, -c.sharpen, 0, scene);
  }
  scene.convertTo(out.rgb8, CV_8UC3, 255.0);  // saturating, rounded
  if (c.jpeg_quality > 0) {
    SDC_TRY_ASSIGN(auto j, jpeg_roundtrip(ImageView(out.rgb8.data, out.rgb8.cols, out.rgb8.rows, PixelFormat::rgb8,
                                                    static_cast<std::ptrdiff_t>(out.rgb8.step)),
                                          c.jpeg_quality));
    out.rgb8 = cv::Mat(j.height(), j.width(), CV_8UC3, j.data()).clone();
  }
  return out;
}

Image to_image(const cv::Mat& m, PixelFormat f) {
  Image img(m.cols, m.rows, f);
  for (int y = 0; y < m.rows; ++y)
    std::copy_n(m.ptr<std::uint8_t>(y), static_cast<std::size_t>(img.row_stride()), img.row(y));
  return img;
}

Result<cv::Mat> rectify(const cv::Mat& src, const std::array<PointF, 4>& corners, MmSize size, Dpi dpi) {
  if (dpi.v < 72 || dpi.v > 2400)
    return bad("rectify_quad: dpi " + std::to_string(dpi.v) + " is outside 72..2400", "give a dpi from 72 to 2400");
  const double w = to_px_f(size.w, dpi), h = to_px_f(size.h, dpi);
  if (!(w >= 16 && h >= 16)) return bad("rectify_quad: the card size is under 16 x 16 pixels", "give the size in mm");
  SDC_TRY(check_size(w, h));
  double area = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& a = corners[i];
    const auto& b = corners[(i + 1) % 4];
    if (!std::isfinite(a.x) || !std::isfinite(a.y)) return bad("rectify_quad: a corner is not finite", "");
    area += a.x * b.y - b.x * a.y;
  }
  if (std::abs(area) / 2 < 256) return bad("rectify_quad: the quadrilateral is degenerate", "check the corners");
  const int wi = std::max(1, static_cast<int>(std::lround(w))), hi = std::max(1, static_cast<int>(std::lround(h)));
  cv::Point2f s[4], d[4] = {{-0.5f, -0.5f},
                            {static_cast<float>(wi - 0.5), -0.5f},
                            {static_cast<float>(wi - 0.5), static_cast<float>(hi - 0.5)},
                            {-0.5f, static_cast<float>(hi - 0.5)}};
  for (std::size_t i = 0; i < 4; ++i)
    s[i] = cv::Point2f(static_cast<float>(corners[i].x), static_cast<float>(corners[i].y));
  cv::Mat out;
  cv::warpPerspective(src, out, cv::getPerspectiveTransform(s, d), cv::Size(wi, hi), cv::INTER_LINEAR,
                      cv::BORDER_REPLICATE);
  return out;
}

template <class F>
auto guarded(F&& f, const char* doing) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, std::string("out of memory while ") + doing, "use smaller images");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("internal error while ") + doing + ": " + e.what(),
                 "this is a bug in sdc: please report it");
  }
}

}  // namespace

std::vector<std::string> channel_preset_names() {
  return {"mild", "medium", "harsh", "copy", "copy-fine", "screen"};
}

Result<Channel> channel_preset(std::string_view name, Dpi print_dpi) {
  if (print_dpi.v < 72 || print_dpi.v > 2400)
    return bad("printer dpi " + std::to_string(print_dpi.v) + " is outside 72..2400", "give a dpi from 72 to 2400");
  // The genuine printer: ink spread of about a third of a 300-dpi dot, 10 % dot gain.
  const PrintStep genuine{.dpi = print_dpi, .dot_gain = 0.1, .blur_mm = 0.025, .noise = 0.03};
  const CaptureStep mild{.dpi = Dpi{600},
                         .blur_px = 0.6,
                         .noise = 1.5,
                         .rotation_deg = 2,
                         .perspective = 0,
                         .lighting = 0.03,
                         .jpeg_quality = 95,
                         .margin_mm = 5,
                         .background = Background::white};
  const CaptureStep medium{.dpi = Dpi{400},
                           .blur_px = 0.8,
                           .noise = 3,
                           .rotation_deg = 15,
                           .perspective = 0.04,
                           .lighting = 0.2,
                           .jpeg_quality = 85,
                           .margin_mm = 15,
                           .background = Background::desk};
  const CaptureStep harsh{.dpi = Dpi{300},
                          .blur_px = 1.2,
                          .noise = 6,
                          .rotation_deg = 180,
                          .perspective = 0.08,
                          .lighting = 0.4,
                          .jpeg_quality = 70,
                          .margin_mm = 20,
                          .background = Background::desk};
  Channel ch;
  ch.name = std::string(name);
  if (name == "mild") {
    ch.passes = {{genuine, mild}};
  } else if (name == "medium") {
    ch.passes = {{genuine, medium}};
  } else if (name == "harsh") {
    ch.passes = {{genuine, harsh}};
  } else if (name == "copy" || name == "copy-fine") {
    // The forger's flatbed scan of the original.
    CaptureStep scan{.dpi = Dpi{300},
                     .blur_px = 0.5,
                     .noise = 1.5,
                     .rotation_deg = 1,
                     .perspective = 0,
                     .lighting = 0.02,
                     .jpeg_quality = 90,
                     .margin_mm = 5,
                     .background = Background::white};
    // A forger's dye-sublimation printer: 300 dpi, more gain and spread.
    PrintStep forger{.dpi = Dpi{300}, .dot_gain = 0.12, .blur_mm = 0.035, .noise = 0.03};
    if (name == "copy-fine") {
      // A careful forger: a 1200 dpi scan kept lossless, printed on a printer as fine as the issuer's.
      scan.dpi = Dpi{1200};
      scan.blur_px = 0.8;
      scan.noise = 1.0;
      scan.jpeg_quality = 0;
      forger = genuine;
    }
    ch.passes = {{genuine, scan}, {forger, medium}};
  } else if (name == "screen") {
    // The replay: the card scanned at 600 dpi and shown at its size on a phone's screen.
    CaptureStep scan = mild;
    scan.rotation_deg = 1;
    const PrintStep phone_screen{.dpi = Dpi{460}, .screen = true};
    ch.passes = {{genuine, scan}, {phone_screen, medium}};
  } else {
    return bad("unknown channel '" + std::string(name).substr(0, 40) + "'",
               "use mild, medium, harsh, copy, copy-fine or screen");
  }
  return ch;
}

Result<Capture> simulate(const ImageView& card, Dpi dpi, PxRect trim, const Channel& channel, std::uint64_t seed) {
  if (card.empty() || card.format() == PixelFormat::cmyk8)
    return bad("simulate needs a non-empty gray8, rgb8 or rgba8 image", "composite the planes first (composite())");
  if (dpi.v < 72 || dpi.v > 2400) return bad("simulate: dpi " + std::to_string(dpi.v) + " is outside 72..2400", "");
  if (trim.x < 0 || trim.y < 0 || trim.w < 16 || trim.h < 16 || trim.x + trim.w > card.width() ||
      trim.y + trim.h > card.height())
    return bad("simulate: the trim rectangle is outside the image or under 16 x 16 px",
               "pass Planes::trim of the rendered side");
  SDC_TRY(validate(channel));
  return guarded(
      [&]() -> Result<Capture> {
        Rng rng(seed);
        cv::Mat art = to_reflectance(card.cropped(trim));
        double art_dpi = dpi.v;
        const MmSize size{to_mm(Px{trim.w}, dpi), to_mm(Px{trim.h}, dpi)};
        Captured cap;
        for (std::size_t i = 0; i < channel.passes.size(); ++i) {
          const auto& pass = channel.passes[i];
          // A screen's image is at its subpixels' resolution, three times its own.
          const double shown_dpi = (pass.print.screen ? 3 : 1) * pass.print.dpi.v;
          SDC_TRY(check_size(art.cols * shown_dpi / art_dpi, art.rows * shown_dpi / art_dpi));
          const cv::Mat printed = pass.print.screen ? show_on_screen(art, art_dpi, pass.print)
                                                    : print(std::move(art), art_dpi, pass.print, rng);
          SDC_TRY_ASSIGN(cap, capture(printed, shown_dpi, pass.capture, rng));
          if (i + 1 < channel.passes.size()) {
            // The copier straightens its scan to the card and prints that.
            SDC_TRY_ASSIGN(auto flat, rectify(cap.rgb8, cap.corners, size, pass.capture.dpi));
            flat.convertTo(art, CV_32FC3, 1.0 / 255);
            art_dpi = pass.capture.dpi.v;
          }
        }
        Capture out;
        out.image = to_image(cap.rgb8, PixelFormat::rgb8);
        out.image.set_dpi(channel.passes.back().capture.dpi);
        out.corners = cap.corners;
        return out;
      },
      "simulating a print-scan channel");
}

Result<Image> rectify_quad(const ImageView& image, const std::array<PointF, 4>& corners, MmSize size, Dpi dpi) {
  if (image.empty() || image.format() == PixelFormat::cmyk8)
    return bad("rectify_quad needs a non-empty gray8, rgb8 or rgba8 image", "");
  return guarded(
      [&]() -> Result<Image> {
        cv::Mat src = wrap(image);
        if (image.format() == PixelFormat::rgba8) {
          cv::Mat rgb;
          cv::cvtColor(src, rgb, cv::COLOR_RGBA2RGB);
          src = rgb;
        }
        SDC_TRY_ASSIGN(auto out, rectify(src, corners, size, dpi));
        Image img = to_image(out, image.format() == PixelFormat::gray8 ? PixelFormat::gray8 : PixelFormat::rgb8);
        img.set_dpi(dpi);
        return img;
      },
      "rectifying a card image");
}

}  // namespace sdc
