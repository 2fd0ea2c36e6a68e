// The perceptual photo hash: distances for degraded copies of the printed portrait and for other
// faces (docs/seal.md records this test's output).
#include "seal/seal_support.hpp"

#include "../image/jpeg_test_support.hpp"

#include <sdc/image.hpp>

#include <opencv2/imgproc.hpp>

#include <random>

namespace sdc::test {
namespace {

// The specimen photo as RGB (empty when it does not load).
cv::Mat astronaut_rgb() {
  auto img = load_image(std::string(SDC_SOURCE_DIR) + "/assets/records/photos/astronaut.png");
  if (!img || img->format() != PixelFormat::rgb8) return {};
  return cv::Mat(img->height(), img->width(), CV_8UC3, img->data()).clone();
}

cv::Mat portrait() {
  // The specimen portrait, cropped to the card's 35 x 45 mm photo box at 300 dpi (413 x 531 px).
  cv::Mat src = astronaut_rgb();
  if (src.empty()) return src;
  const int h = src.rows, w = h * 35 / 45;
  cv::Mat crop = src(cv::Rect((src.cols - w) / 2, 0, w, h)).clone();
  cv::Mat out;
  cv::resize(crop, out, cv::Size(413, 531), 0, 0, cv::INTER_AREA);
  return out;
}

std::vector<std::uint8_t> hash_of(const cv::Mat& rgb) {
  const ImageView view(rgb.data, rgb.cols, rgb.rows, rgb.channels() == 3 ? PixelFormat::rgb8 : PixelFormat::gray8,
                       static_cast<std::ptrdiff_t>(rgb.step));
  auto h = photo_hash(view);
  EXPECT_TRUE(h) << h.error().message();
  return h ? *h : std::vector<std::uint8_t>{};
}

cv::Mat jpeg(const cv::Mat& m, int quality) {
  const ImageView v(m.data, m.cols, m.rows, m.channels() == 3 ? PixelFormat::rgb8 : PixelFormat::gray8,
                    static_cast<std::ptrdiff_t>(m.step));
  const std::vector<std::uint8_t> buf = encode_jpeg(v, quality);
  auto img = decode_image(buf.data(), buf.size(), "round_trip.jpg");
  if (!img) return {};
  return cv::Mat(img->height(), img->width(), CV_8UC(channels(img->format())), img->data()).clone();
}

cv::Mat shifted(const cv::Mat& m, double fx, double fy) {
  // The checker's crop lands a little off: shift the content, replicating the border.
  cv::Mat out;
  const cv::Mat t = (cv::Mat_<double>(2, 3) << 1, 0, fx * m.cols, 0, 1, fy * m.rows);
  cv::warpAffine(m, out, t, m.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

cv::Mat print_scan(const cv::Mat& m, unsigned seed) {
  // Dye-sublimation print at 300 dpi, scanned at 600 dpi and cropped again: tone curve (paper
  // white 235, ink black 30, gamma 1.2), dot gain blur, 1 degree skew, sensor noise, JPEG 75,
  // back to the print size.
  cv::Mat up, out;
  cv::resize(m, up, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  cv::GaussianBlur(up, up, cv::Size(0, 0), 1.6);
  cv::Mat lut(1, 256, CV_8U);
  for (int i = 0; i < 256; ++i)
    lut.at<std::uint8_t>(i) = cv::saturate_cast<std::uint8_t>(30 + 205 * std::pow(i / 255.0, 1.2));
  cv::LUT(up, lut, up);
  const cv::Mat r =
      cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(up.cols) / 2, static_cast<float>(up.rows) / 2), 1.0, 1.0);
  cv::warpAffine(up, up, r, up.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::Mat noise(up.size(), up.type());
  cv::theRNG().state = seed;
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
  cv::add(up, noise, up, cv::noArray(), up.type());
  up = jpeg(up, 75);
  cv::resize(up, out, m.size(), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat synthetic_face(const cv::Size& size, unsigned seed) {
  // A drawn face: background, hair, head, eyes, nose, mouth at seeded positions.
  std::mt19937 rng(seed);
  auto u = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1)); };
  cv::Mat m(size, CV_8UC3, cv::Scalar(u(150, 230), u(150, 230), u(150, 230)));
  const cv::Point c(size.width / 2 + u(-20, 20), size.height / 2 + u(-20, 20));
  cv::ellipse(m, c - cv::Point(0, 40), cv::Size(150, 190), 0, 0, 360, cv::Scalar(u(20, 90), u(20, 70), u(10, 50)), -1);
  cv::ellipse(m, c, cv::Size(120 + u(-15, 15), 160 + u(-15, 15)), 0, 0, 360,
              cv::Scalar(u(140, 220), u(120, 190), u(100, 170)), -1);
  for (int s : {-1, 1})
    cv::ellipse(m, c + cv::Point(s * u(40, 55), u(-50, -30)), cv::Size(22, 11), 0, 0, 360, cv::Scalar(40, 30, 30), -1);
  cv::line(m, c + cv::Point(0, -10), c + cv::Point(u(-8, 8), 40), cv::Scalar(90, 70, 60), 5);
  cv::ellipse(m, c + cv::Point(0, u(70, 90)), cv::Size(u(30, 50), 12), 0, 0, 180, cv::Scalar(60, 40, 120), 6);
  cv::ellipse(m, cv::Point(c.x, size.height + 40), cv::Size(200, 150), 0, 180, 360,
              cv::Scalar(u(0, 255), u(0, 255), u(0, 255)), -1);
  cv::GaussianBlur(m, m, cv::Size(0, 0), 2.0);
  return m;
}

TEST(PhotoHash, RobustToPrintingAndScanningButNotToAnotherFace) {
  const cv::Mat original = portrait();
  if (original.empty()) GTEST_SKIP() << "assets/records/photos/astronaut.png not found";
  const auto h0 = hash_of(original);
  ASSERT_EQ(h0.size(), 8u);

  std::vector<std::pair<std::string, cv::Mat>> same;
  cv::Mat m;
  cv::GaussianBlur(original, m, cv::Size(0, 0), 1.5);
  same.emplace_back("Gaussian blur sigma 1.5 px", m.clone());
  cv::GaussianBlur(original, m, cv::Size(0, 0), 3.0);
  same.emplace_back("Gaussian blur sigma 3 px", m.clone());
  same.emplace_back("JPEG quality 50", jpeg(original, 50));
  same.emplace_back("JPEG quality 15", jpeg(original, 15));
  cv::resize(original, m, cv::Size(), 0.3, 0.3, cv::INTER_AREA);
  same.emplace_back("downscaled to 30 % (124 x 159)", m.clone());
  cv::resize(original, m, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
  same.emplace_back("upscaled to 200 % (600 dpi scan)", m.clone());
  same.emplace_back("shifted 2 % right", shifted(original, 0.02, 0));
  same.emplace_back("shifted 3 % right and down", shifted(original, 0.03, 0.03));
  same.emplace_back("shifted 5 % down", shifted(original, 0, 0.05));
  cv::Mat grey;
  cv::cvtColor(original, grey, cv::COLOR_RGB2GRAY);
  same.emplace_back("greyscale copy", grey);
  same.emplace_back("print-scan simulation, seed 1", print_scan(original, 1));
  same.emplace_back("print-scan simulation, seed 2", print_scan(original, 2));

  std::vector<std::pair<std::string, cv::Mat>> other;
  cv::flip(original, m, 1);
  other.emplace_back("mirrored portrait", m.clone());
  cv::Mat src = astronaut_rgb();
  if (!src.empty()) {
    cv::Mat crop;
    cv::resize(src(cv::Rect(0, 0, src.cols / 2, src.rows * 2 / 3)), crop, original.size(), 0, 0, cv::INTER_AREA);
    other.emplace_back("another part of the source photo", crop);
  }
  for (unsigned seed = 1; seed <= 6; ++seed)
    other.emplace_back("synthetic face " + std::to_string(seed), synthetic_face(original.size(), seed));

  int worst_same = 0, best_other = 64;
  for (const auto& [name, img] : same) {
    const int d = photo_hash_distance(h0, hash_of(img));
    std::printf("[ photo hash ] %-40s distance %2d / 64\n", name.c_str(), d);
    EXPECT_LE(d, photo_hash_threshold) << name;
    worst_same = std::max(worst_same, d);
  }
  for (const auto& [name, img] : other) {
    const int d = photo_hash_distance(h0, hash_of(img));
    std::printf("[ photo hash ] %-40s distance %2d / 64\n", name.c_str(), d);
    EXPECT_GT(d, photo_hash_threshold) << name;
    best_other = std::min(best_other, d);
  }
  std::printf("[ photo hash ] same photo: at most %d; other faces: at least %d; threshold %d\n", worst_same, best_other,
              photo_hash_threshold);
}

TEST(PhotoHash, FormatsAndErrors) {
  const cv::Mat original = portrait();
  if (original.empty()) GTEST_SKIP() << "assets/records/photos/astronaut.png not found";
  const auto h = hash_of(original);
  // rgba8 and cmyk8 give (nearly) the same hash as rgb8.
  cv::Mat rgba;
  cv::cvtColor(original, rgba, cv::COLOR_RGB2RGBA);
  auto hr = photo_hash(
      ImageView(rgba.data, rgba.cols, rgba.rows, PixelFormat::rgba8, static_cast<std::ptrdiff_t>(rgba.step)));
  ASSERT_TRUE(hr);
  EXPECT_EQ(photo_hash_distance(h, *hr), 0);
  Image cmyk(original.cols, original.rows, PixelFormat::cmyk8);
  for (int y = 0; y < original.rows; ++y)
    for (int x = 0; x < original.cols; ++x)
      for (int c = 0; c < 3; ++c)
        cmyk.row(y)[x * 4 + c] = static_cast<std::uint8_t>(255 - original.at<cv::Vec3b>(y, x)[c]);
  auto hc = photo_hash(cmyk.view());
  ASSERT_TRUE(hc);
  EXPECT_LE(photo_hash_distance(h, *hc), 2);
  // Deterministic.
  EXPECT_EQ(hash_of(original), h);
  auto small =
      photo_hash(ImageView(original.data, 8, 8, PixelFormat::rgb8, static_cast<std::ptrdiff_t>(original.step)));
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code(), Errc::bad_image);
  EXPECT_EQ(photo_hash_distance(h, std::vector<std::uint8_t>(4)), -1);
  EXPECT_EQ(photo_hash_distance({}, {}), -1);
}

}  // namespace
}  // namespace sdc::test
