// Checker::check_card and its stages on generated captures: the specimen card rendered, warped with
// a known homography onto a seeded cluttered background, turned, unevenly lit, blurred and JPEG
// compressed; the corners found must be within a few pixels of the truth and the verdict genuine.
// Attacks (a swapped portrait) are invalid; hostile input (no card, two cards, too many pixels, a
// truncated JPEG, a QR code of junk) gives findings, never a crash. A generic ID-1 card that is not
// sdc's is found too.
#include "image/jpeg_test_support.hpp"
#include "verify/checker_detail.hpp"
#include "verify/corner_error.hpp"
#include "verify/glare.hpp"
#include "verify/scene_test_support.hpp"

#include <sdc/compose.hpp>
#include <sdc/mrz.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <iterator>
#include <random>

namespace sdc::test {
namespace {

const std::filesystem::path kSrc = SDC_SOURCE_DIR;
const std::int64_t kAt = 1796083200;  // 2026-12-01

struct Fixture {
  Template specimen;
  Card card;
  Image front, back;  // trim box only, 300 dpi, rgb8
  TrustStore trust;
};

template <class T>
T ok(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

// The specimen card's two sides, trimmed, at 300 dpi.
const Fixture& fx() {
  static const std::unique_ptr<Fixture> f = [] {
    auto out = std::make_unique<Fixture>();
    out->specimen = ok(Template::load(kSrc / "assets/templates/specimen.json"));
    const auto records = ok(load_records(kSrc / "assets/records/specimen.csv"));
    const Composer composer = ok(Composer::create({.fonts_dir = kSrc / "fonts"}));
    const Renderer renderer = ok(Renderer::create(composer.fonts()));
    const auto key_dir = kSrc / "assets/keys/specimen-ed25519";
    Issuer issuer;
    issuer.signer = ok(load_signer(key_dir / "key.pem", key_dir / "cert.pem"));
    out->card = ok(composer.compose(out->specimen, records.at(0), issuer, {.dpi = Dpi{300}}));
    for (Side s : {Side::front, Side::back}) {
      const Planes p = ok(renderer.render(out->card, s, {Dpi{300}}));
      const Image full = composite(p);
      (s == Side::front ? out->front : out->back) = Image::copy_of(full.view().cropped(p.trim));
    }
    std::ifstream cert(key_dir / "cert.pem", std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(cert)), std::istreambuf_iterator<char>());
    auto st = out->trust.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    if (!st) throw std::runtime_error(st.error().to_string());
    return out;
  }();
  return *f;
}

Checker checker(CheckerOptions o = {}) {
  o.check_time = kAt;
  o.resources = Resources::at(SDC_SOURCE_DIR);  // fonts for the MRZ reader
  if (o.card_template.empty() && o.templates.empty()) o.templates = {fx().specimen};
  return ok(Checker::create(fx().trust, o));
}

// One checker with the options above for the tests that need no other: what a Checker keeps from
// one check to the next (its face cascades, copy bases and references) must not change a report,
// and each test is spared making its own.
const Checker& shared_checker() {
  static const Checker c = checker();
  return c;
}

cv::Mat mat(const Image& img) {
  return cv::Mat(img.height(), img.width(), img.format() == PixelFormat::gray8 ? CV_8UC1 : CV_8UC3,
                 const_cast<std::uint8_t*>(img.data()));
}
Image image_of(const cv::Mat& m) {
  Image out(m.cols, m.rows, m.channels() == 1 ? PixelFormat::gray8 : PixelFormat::rgb8);
  cv::Mat(m.rows, m.cols, m.type(), out.data()) += m;
  return out;
}

// A cluttered desk: random rectangles, lines, blobs of text-like marks and noise, seeded.
cv::Mat clutter(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  auto u = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  cv::Mat m(h, w, CV_8UC3, cv::Scalar(u(40, 110), u(40, 110), u(40, 110)));
  for (int i = 0; i < 40; ++i) {
    const cv::Point a(u(-w / 4, w), u(-h / 4, h));
    cv::rectangle(m, a, a + cv::Point(u(20, w / 4), u(20, h / 4)), cv::Scalar(u(0, 200), u(0, 200), u(0, 200)),
                  u(0, 1) ? -1 : u(1, 6));
  }
  for (int i = 0; i < 30; ++i)
    cv::line(m, {u(0, w), u(0, h)}, {u(0, w), u(0, h)}, cv::Scalar(u(0, 255), u(0, 255), u(0, 255)), u(1, 4));
  for (int i = 0; i < 12; ++i)
    cv::putText(m, "Lorem ipsum 42", {u(0, w), u(0, h)}, cv::FONT_HERSHEY_SIMPLEX, u(5, 20) / 10.0,
                cv::Scalar(u(0, 255), u(0, 255), u(0, 255)), u(1, 3));
  cv::Mat noise(h, w, CV_8UC3);
  // A generator of the scene's own: OpenCV's global one (cv::randn) gives another scene after
  // other tests in the same process.
  cv::RNG(seed).fill(noise, cv::RNG::NORMAL, 0, 6);
  m += noise;
  return m;
}

// Places `card` (the trim box, 300 dpi) at corners `dst` (edge coordinates, TL TR BR BL) in `scene`.
void place(cv::Mat& scene, const Image& card, const std::array<cv::Point2d, 4>& dst) {
  place_card(scene, mat(card), dst);
}

// Uneven light (a gradient from 60 % to 110 %), blur, then JPEG at `quality`, decoded again.
Image degrade(cv::Mat scene, double sigma, int quality) {
  cv::Mat f;
  scene.convertTo(f, CV_32FC3);
  for (int y = 0; y < f.rows; ++y)
    for (int x = 0; x < f.cols; ++x)
      f.at<cv::Vec3f>(y, x) *= static_cast<float>(0.6 + 0.5 * x / f.cols + 0.1 * y / f.rows);
  f.convertTo(scene, CV_8UC3);
  if (sigma > 0) cv::GaussianBlur(scene, scene, cv::Size(), sigma);
  const Image img = image_of(scene);
  const auto jpg = encode_jpeg(img.view(), quality);
  return ok(decode_image(jpg.data(), jpg.size(), "scene.jpg"));
}

// Corners of a card of `width` px at centre c, turned by `deg`, with perspective `tilt` (the far
// edge shrunk by that fraction).
std::array<cv::Point2d, 4> quad(cv::Point2d c, double width, double deg, double tilt = 0) {
  const double h = width * 53.98 / 85.60, a = deg * CV_PI / 180;
  std::array<cv::Point2d, 4> q{cv::Point2d(-width / 2 * (1 - tilt), -h / 2),
                               cv::Point2d(width / 2 * (1 - tilt), -h / 2), cv::Point2d(width / 2, h / 2),
                               cv::Point2d(-width / 2, h / 2)};
  for (auto& p : q) p = c + cv::Point2d(p.x * std::cos(a) + p.y * std::sin(a), -p.x * std::sin(a) + p.y * std::cos(a));
  return q;
}

const Finding& need(const Report& r, std::string_view check, int seal = 0) {
  const Finding* f = r.find(check, seal);
  if (!f) throw std::runtime_error("no finding " + std::string(check));
  return *f;
}

std::string dump(const Report& r) {
  return to_json(r);
}

TEST(CheckCard, ExportedPngsAreTheCardWithOrWithoutBleed) {
  // The trimmed sides, and the back with 1 mm of bleed as `sdc render` writes it.
  const Checker& c = shared_checker();
  auto r = c.check_card(fx().front.view(), fx().back.view(), "front.png", "back.png");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->verdict, Verdict::genuine) << dump(*r);
  ASSERT_EQ(r->sides.size(), 2u);
  EXPECT_EQ(r->sides[0].side, "front");
  EXPECT_EQ(r->sides[1].side, "back");
  EXPECT_EQ(r->sides[1].location.method, "whole_image");
  EXPECT_NEAR(r->sides[1].location.corners[2].x, fx().back.width(), 1.0);
  EXPECT_EQ(need(*r, "photo").outcome, Outcome::pass);
  EXPECT_LE(*need(*r, "photo").score, 8);
  EXPECT_EQ(r->template_id, fx().specimen.content_id());
  ASSERT_EQ(r->timings.size(), 7u);  // locate, rectify, seal, photo, forensics, mrz, total
  EXPECT_EQ(r->timings.back().stage, "total");

  cv::Mat bled;
  const int b = static_cast<int>(std::lround(300 / 25.4));
  cv::copyMakeBorder(mat(fx().back), bled, b, b, b, b, cv::BORDER_REPLICATE);
  auto r2 = c.check_card(fx().front.view(), image_of(bled).view());
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->verdict, Verdict::genuine) << dump(*r2);
  EXPECT_NEAR(r2->sides[1].location.corners[0].x, b, 1.5);
  EXPECT_NEAR(r2->sides[1].location.corners[0].y, b, 1.5);
}

struct Capture {
  double deg, tilt, sigma;
  int quality;
};

class PhonePhoto : public ::testing::TestWithParam<Capture> {};

TEST_P(PhonePhoto, CornersWithinAFewPixelsAndGenuine) {
  const Capture cap = GetParam();
  std::array<std::array<cv::Point2d, 4>, 2> truth;
  std::array<Image, 2> shots;
  for (int s = 0; s < 2; ++s) {
    cv::Mat scene = clutter(1920, 1080, 7u + static_cast<unsigned>(s));
    truth[static_cast<std::size_t>(s)] =
        quad({960 + 20.0 * s, 540}, cap.deg == 90 || cap.deg == 270 ? 900 : 1300, cap.deg, cap.tilt);
    place(scene, s == 0 ? fx().front : fx().back, truth[static_cast<std::size_t>(s)]);
    shots[static_cast<std::size_t>(s)] = degrade(scene, cap.sigma, cap.quality);
  }
  auto r = shared_checker().check_card(shots[0].view(), shots[1].view());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->verdict, Verdict::genuine) << dump(*r);
  for (int s = 0; s < 2; ++s) {
    const auto& l = r->sides[static_cast<std::size_t>(s)].location;
    ASSERT_TRUE(l.found) << s;
    EXPECT_EQ(l.method, "outline");
    EXPECT_TRUE(l.upright_known);
    EXPECT_LT(corner_error(l, truth[static_cast<std::size_t>(s)]), 3.0) << "side " << s << "\n" << dump(*r);
    EXPECT_GT(r->sides[static_cast<std::size_t>(s)].capture.dpi, 200);
  }
}

INSTANTIATE_TEST_SUITE_P(Captures, PhonePhoto,
                         ::testing::Values(Capture{4, 0, 0, 92},         // a flatbed-like capture
                                           Capture{90, 0.05, 0.8, 85},   // on its side
                                           Capture{180, 0.08, 1.2, 75},  // upside down
                                           Capture{270, 0, 0.6, 85},
                                           // A phone held at an angle: the front's dark top band
                                           // against the dark desk leaves the card's top edge weak
                                           // (edge along about 0.5 of it), and the outline through
                                           // the band's inner edge scores as well as the card's.
                                           // The card's left and right sides run on past that
                                           // outline's corners and end at the card's: it is part of
                                           // the card.
                                           Capture{-12, 0.12, 1.0, 80}));

// `sdc mrz --image` on a phone photo taken at an angle: the keystone misreads the zone as it is
// (or talks it into holding by many corrections), the rectified card reads cleanly, and the zone's
// corners come back in the photo's pixels, on the card.
TEST(ReadDocumentMrz, APhoneAtAnAngleIsReadOnTheRectifiedCard) {
  const MrzReader reader = ok(MrzReader::create({.ocrb_font = kSrc / "fonts/OCRB.otf"}));
  for (const auto& [deg, seed] : {std::pair{3.0, 31u}, std::pair{95.0, 32u}}) {
    cv::Mat scene = clutter(1920, 1080, seed);
    const auto truth = quad({960, 540}, deg == 3.0 ? 1300 : 900, deg, 0.3);
    place(scene, fx().back, truth);
    const Image shot = degrade(scene, 1.0, 85);
    const auto as_is = reader.read(shot.view());
    EXPECT_TRUE(!as_is || !as_is->all_checks_ok() || !as_is->corrections.empty()) << deg;
    auto r = read_document_mrz(shot.view(), reader);
    ASSERT_TRUE(r) << deg << ": " << r.error().to_string();
    EXPECT_EQ(r->lines, fx().card.mrz_lines()) << deg;
    EXPECT_TRUE(r->all_checks_ok()) << deg;
    std::vector<cv::Point2f> card;
    for (const auto& p : truth) card.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    for (const auto& c : r->location.corners)
      EXPECT_GT(cv::pointPolygonTest(card, cv::Point2f(static_cast<float>(c[0]), static_cast<float>(c[1])), false), 0)
          << deg << ": " << c[0] << ", " << c[1];
    EXPECT_NEAR(std::remainder(r->location.angle_deg - deg, 180.0), 0.0, 12.0) << deg;
  }
}

TEST(CheckCard, ASwappedPortraitIsInvalid) {
  Image front = Image::copy_of(fx().front.view());
  // Another face: the printed one mirrored and shifted.
  const double k = 300 / 25.4;
  const cv::Rect box(static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                     static_cast<int>(28.4 * k));
  cv::Mat m = mat(front), other;
  cv::flip(m(box), other, 1);
  cv::Mat shifted;
  cv::warpAffine(other, shifted, cv::Mat_<double>({2, 3}, {1, 0, 25, 0, 1, -30}), other.size(), cv::INTER_LINEAR,
                 cv::BORDER_REFLECT);
  shifted.copyTo(m(box));
  auto r = shared_checker().check_card(front.view(), fx().back.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::invalid) << dump(*r);
  EXPECT_EQ(need(*r, "photo").code, "mismatch");
  EXPECT_GT(*need(*r, "photo").score, *need(*r, "photo").threshold);
}

// `img` (at 300 dpi) with its light times 1 - strength beyond the line through (x_mm, y_mm) at
// `deg` degrees, over a penumbra of `edge_mm`: a phone's or a hand's shadow.
void shade(Image& img, double x_mm, double y_mm, double deg, double strength, double edge_mm) {
  const double k = 300 / 25.4, nx = std::cos(deg * CV_PI / 180), ny = std::sin(deg * CV_PI / 180);
  const int nc = channels(img.format());
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const double d = ((x + 0.5) / k - x_mm) * nx + ((y + 0.5) / k - y_mm) * ny;
      const double gain = 1 - strength * std::clamp(0.5 + d / edge_mm, 0.0, 1.0);
      for (int c = 0; c < nc; ++c) {
        std::uint8_t& v = img.row(y)[nc * x + c];
        v = static_cast<std::uint8_t>(std::lround(v * gain));
      }
    }
}

// A shadow's edge across the portrait (a phone or a hand between the light and the card) moves
// its perceptual hash by a step: here 25 bits, over the threshold of 20. The paper around the
// portrait shows the edge, and the portrait compared with its light evened out matches; another
// face under such shadows does not, even where the shadow brings it within the threshold (19 bits
// here): the evened comparison stands, not the nearer. In even light nothing is evened.
TEST(CheckCard, AShadowsEdgeAcrossThePortraitIsComparedWithTheLightEvenedOut) {
  const double k = 300 / 25.4;
  const cv::Rect box(static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                     static_cast<int>(28.4 * k));
  const PxRect px{box.x, box.y, box.width, box.height};
  EXPECT_TRUE(detail::even_out_shadow_edge(fx().front.view(), Dpi{300}, px).empty());
  {  // dark print in the band beside the box is no shadow's edge: nothing to even either
    Image printed = Image::copy_of(fx().front.view());
    mat(printed)(
        cv::Rect(box.x - static_cast<int>(2.0 * k), box.y + box.height / 3, static_cast<int>(1.5 * k), box.height / 3))
        .setTo(cv::Scalar(20, 20, 60));
    EXPECT_TRUE(detail::even_out_shadow_edge(printed.view(), Dpi{300}, px).empty());
  }
  Image front = Image::copy_of(fx().front.view());
  shade(front, 14, 18, 150, 0.8, 0.3);
  EXPECT_FALSE(detail::even_out_shadow_edge(front.view(), Dpi{300}, px).empty());
  const auto lit = ok(photo_hash(fx().front.view().cropped(px))), dark = ok(photo_hash(front.view().cropped(px)));
  ASSERT_GT(photo_hash_distance(lit, dark), 20) << "the shadow no longer moves the hash: move it";
  auto r = shared_checker().check_card(front.view(), fx().back.view());
  ASSERT_TRUE(r);
  const Finding& photo = need(*r, "photo");
  EXPECT_EQ(photo.outcome, Outcome::pass) << dump(*r);
  EXPECT_NE(photo.reason.find("evened out"), std::string::npos) << photo.reason;

  Image swapped = Image::copy_of(fx().front.view());  // another face: the portrait mirrored
  cv::Mat sm = mat(swapped), other;
  cv::flip(sm(box), other, 1);
  other.copyTo(sm(box));
  struct Shadow {
    double x, y, deg;
    bool within;  // brings the other face within the threshold unevened
  };
  for (const Shadow& sh : {Shadow{14, 18, 150, false}, Shadow{20, 20, 105, true}}) {
    Image shaded = Image::copy_of(swapped.view());
    shade(shaded, sh.x, sh.y, sh.deg, 0.8, 0.3);
    auto forged = shared_checker().check_card(shaded.view(), fx().back.view());
    ASSERT_TRUE(forged);
    EXPECT_EQ(need(*forged, "photo").code, "mismatch") << dump(*forged);
    EXPECT_EQ(forged->verdict, Verdict::invalid) << dump(*forged);
    // The second shadow brings the other face within the threshold: the nearer of the two
    // comparisons would have passed it.
    if (sh.within) {
      EXPECT_LE(photo_hash_distance(lit, ok(photo_hash(shaded.view().cropped(px)))), 20);
    }
  }
}

// A face that is not where a printed portrait's is (here: the portrait shrunk to 60 % about its
// centre, as a card located too large shows it; moved sideways by a quarter of the box, as one
// located 5 mm off does; or up by a fifth, as one whose top edge was taken on a band printed
// across the card shows it) is a retake too, and says so; the portrait in its place but another
// face (the swapped portrait above, moved by a tenth of the box) still fails.
TEST(CheckCard, AFaceOutOfItsPlaceIsARetakeNotInvalid) {
  const double k = 300 / 25.4;
  const cv::Rect box(static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                     static_cast<int>(28.4 * k));
  const cv::Mat_<double> shrunk({2, 3}, {0.6, 0, 0.2 * box.width, 0, 0.6, 0.2 * box.height}),
      moved({2, 3}, {1, 0, box.width / 4.0, 0, 1, 0}), raised({2, 3}, {1, 0, 0, 0, 1, -box.height / 5.0});
  for (const auto& how : {shrunk, moved, raised}) {
    Image front = Image::copy_of(fx().front.view());
    cv::Mat m = mat(front), out;
    cv::warpAffine(m(box), out, how, box.size(), cv::INTER_AREA, cv::BORDER_REPLICATE);
    out.copyTo(m(box));
    auto r = shared_checker().check_card(front.view(), fx().back.view());
    ASSERT_TRUE(r);
    const Finding& photo = need(*r, "photo");
    EXPECT_EQ(photo.outcome, Outcome::warn) << dump(*r);
    EXPECT_EQ(photo.code, "face_misplaced") << how(0, 0) << " " << photo.reason;
    EXPECT_NE(photo.reason.find("retake"), std::string::npos) << photo.reason;
    EXPECT_EQ(r->verdict, Verdict::suspicious) << dump(*r);
    // Raised, the face keeps its size and its place across: only its height in the box tells.
    if (how(1, 2) < 0) {
      EXPECT_NE(photo.reason.find("mm higher than a printed"), std::string::npos) << photo.reason;
    }
  }
}

// Where the template puts the portrait and no face shows (here: covered; in a poor phone photo:
// the card located or turned wrongly), a mismatch is a retake, not a verdict on the holder: the
// card is suspicious, never genuine, and the reason says why.
TEST(CheckCard, APortraitAreaWithNoFaceIsARetakeNotInvalid) {
  Image front = Image::copy_of(fx().front.view());
  const double k = 300 / 25.4;
  const cv::Rect box(static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                     static_cast<int>(28.4 * k));
  // Covered by a plain label. (Not noise: the Haar cascade finds a "face" in some blurred noise,
  // and then the mismatch fails as before.)
  cv::Mat m = mat(front);
  m(box).setTo(cv::Scalar(205, 200, 190));
  auto r = shared_checker().check_card(front.view(), fx().back.view());
  ASSERT_TRUE(r);
  const Finding& photo = need(*r, "photo");
  EXPECT_EQ(photo.outcome, Outcome::warn) << dump(*r);
  EXPECT_EQ(photo.code, "no_face");
  EXPECT_NE(photo.reason.find("retake"), std::string::npos) << photo.reason;
  EXPECT_GT(*photo.score, *photo.threshold);
  EXPECT_EQ(r->verdict, Verdict::suspicious) << dump(*r);
}

// `img` (at 300 dpi) with a specular highlight: the light lifted by up to `peak` levels (clipped
// to white at its core) over an ellipse centred on (x_mm, y_mm) with these radii (1 sigma).
void highlight(Image& img, double x_mm, double y_mm, double rx_mm, double ry_mm, double peak = 300) {
  const double k = 300 / 25.4;
  const int nc = channels(img.format());
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const double dx = ((x + 0.5) / k - x_mm) / rx_mm, dy = ((y + 0.5) / k - y_mm) / ry_mm;
      const double lift = peak * std::exp(-(dx * dx + dy * dy) / 2);
      for (int c = 0; c < nc; ++c) {
        std::uint8_t& v = img.row(y)[nc * x + c];
        v = static_cast<std::uint8_t>(std::min(255L, std::lround(v + lift)));
      }
    }
}

// A highlight over the portrait's face (a lamp in the laminate; here over its lower left, a fifth
// of the face clipped white) moves its hash as far as another face does: a genuine card is then a
// retake (`glare`), not invalid, and checked with a capture away from the light
// (Checker::check_captures) it is genuine, even where the light then hides the QR code. Over the
// face's middle the face goes unseen: still `glare`, the light named rather than the card's place
// (a portrait covered otherwise is `no_face`, above); and where the face is mostly washed out but
// the hash still within its threshold, the match says nothing of the face. Another face under the
// same highlight is a retake too, never genuine, and fails as soon as a capture shows it in good
// light.
TEST(CheckCard, AHighlightOverThePortraitsFaceIsARetakeNotInvalid) {
  const double k = 300 / 25.4;
  const cv::Rect box(static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                     static_cast<int>(28.4 * k));
  const PxRect px{box.x, box.y, box.width, box.height};
  Image lit = Image::copy_of(fx().front.view());
  highlight(lit, 8, 36, 7, 4.2, 500);
  const auto sealed = ok(photo_hash(fx().front.view().cropped(px)));
  ASSERT_GT(photo_hash_distance(sealed, ok(photo_hash(lit.view().cropped(px)))), 20)
      << "the highlight no longer moves the hash: make it larger";
  const Checker& c = shared_checker();
  const Report one = ok(c.check_card(lit.view(), fx().back.view()));
  const Finding& photo = need(one, "photo");
  EXPECT_EQ(photo.outcome, Outcome::warn) << dump(one);
  EXPECT_EQ(photo.code, "glare") << photo.reason;
  EXPECT_NE(photo.reason.find("of the portrait's face"), std::string::npos) << photo.reason;
  EXPECT_NE(photo.reason.find("retake"), std::string::npos) << photo.reason;
  EXPECT_EQ(one.verdict, Verdict::suspicious) << dump(one);
  Image middle = Image::copy_of(fx().front.view());
  highlight(middle, 14, 29, 7, 5.6, 900);
  const Report unseen = ok(c.check_card(middle.view(), fx().back.view()));
  const Finding& hidden_face = need(unseen, "photo");
  EXPECT_EQ(hidden_face.code, "glare") << hidden_face.reason;
  EXPECT_NE(hidden_face.reason.find("of where the portrait's face is printed"), std::string::npos)
      << hidden_face.reason;
  EXPECT_NE(hidden_face.reason.find("no face shows there"), std::string::npos) << hidden_face.reason;
  EXPECT_EQ(unseen.verdict, Verdict::suspicious) << dump(unseen);
  // A highlight over most of the face that leaves the hash within its threshold: the match is of
  // the rest of the portrait, which another face framed alike may share, so a retake too.
  Image most = Image::copy_of(fx().front.view());
  highlight(most, 14, 26.5, 7, 5.6, 600);
  const Report matched = ok(c.check_card(most.view(), fx().back.view()));
  const Finding& washed = need(matched, "photo");
  EXPECT_EQ(washed.code, "glare") << washed.reason;
  EXPECT_NE(washed.reason.find("sealed photo hash (at most"), std::string::npos) << washed.reason;
  EXPECT_NE(washed.reason.find("the match says nothing of the face"), std::string::npos) << washed.reason;
  EXPECT_EQ(matched.verdict, Verdict::suspicious) << dump(matched);
  // The retake away from the light, whose QR code the light now hides (whited out): its print is
  // checked against the seal the other capture read, its images taken as the sides that capture
  // showed in the same places (here back first). Given first, it is checked again once that seal
  // is read.
  Image hidden = Image::copy_of(fx().back.view());
  for (const auto& e : fx().specimen.elements(Side::back))
    if (e.type == "qr")
      mat(hidden)(cv::Rect(static_cast<int>(e.box.x.v * k), static_cast<int>(e.box.y.v * k),
                           static_cast<int>(e.box.w.v * k), static_cast<int>(e.box.h.v * k)))
          .setTo(cv::Scalar(255, 255, 255));
  const std::vector<CardImages> retaken{{hidden.view(), fx().front.view(), "retake-back", "retake"},
                                        {fx().back.view(), lit.view(), "back", "lit"}};
  const Report both = ok(c.check_captures(retaken));
  EXPECT_EQ(need(both, "photo").outcome, Outcome::pass) << dump(both);
  EXPECT_EQ(both.verdict, Verdict::genuine) << dump(both);
  EXPECT_NE(
      need(both, "captures", -1).reason.find("no seal read on capture 1 ('retake-back'), checked against capture 2"),
      std::string::npos)
      << dump(both);
  // Capture 1's first check (before the seal was known) is timed as a first check, within the total.
  const auto stage = [&](const char* name) {
    const auto at =
        std::find_if(both.timings.begin(), both.timings.end(), [&](const StageTime& t) { return t.stage == name; });
    return at == both.timings.end() ? -1.0 : at->ms;
  };
  EXPECT_GT(stage("first_check"), 0) << dump(both);
  EXPECT_GT(stage("total"), stage("first_check")) << dump(both);

  Image swapped = Image::copy_of(fx().front.view());  // another face: the portrait mirrored
  cv::Mat sm = mat(swapped), other;
  cv::flip(sm(box), other, 1);
  other.copyTo(sm(box));
  Image swapped_lit = Image::copy_of(swapped.view());
  highlight(swapped_lit, 8, 36, 7, 4.2, 500);
  const std::vector<CardImages> forged{{swapped_lit.view(), fx().back.view(), "lit", "back"},
                                       {swapped.view(), hidden.view(), "retake", "retake-back"}};
  const Report f = ok(c.check_captures(forged));
  EXPECT_EQ(need(f, "photo").outcome, Outcome::fail) << dump(f);
  EXPECT_EQ(f.verdict, Verdict::invalid) << dump(f);
}

TEST(CheckCard, WithoutTheTemplateThePhotoIsNotCheckedSoNotGenuine) {
  CheckerOptions o;
  o.templates = {};
  o.check_time = kAt;
  auto c = ok(Checker::create(fx().trust, o));
  auto r = c.check_card(fx().front.view(), fx().back.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::suspicious) << dump(*r);
  EXPECT_EQ(need(*r, "template", -1).code, "no_template");
  EXPECT_EQ(need(*r, "photo").outcome, Outcome::warn);
}

TEST(CheckCard, OnlyTheBackGivenIsNotGenuine) {
  auto r = shared_checker().check_card(fx().back.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::suspicious) << dump(*r);
  EXPECT_EQ(need(*r, "photo").code, "not_checked");
}

TEST(CheckCard, NoCardInTheImageIsUnreadable) {
  const Image img = image_of(clutter(1280, 720, 99));
  auto r = shared_checker().check_card(img.view(), {}, "desk.jpg");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable) << dump(*r);
  EXPECT_EQ(need(*r, "qr", -1).code, "no_code");
}

TEST(CheckCard, TwoCardsInOneFrameAreSuspicious) {
  cv::Mat scene = clutter(2400, 1200, 3);
  place(scene, fx().back, quad({600, 600}, 1000, 5));
  place(scene, fx().back, quad({1800, 600}, 1000, -5));
  const Image img = image_of(scene);
  auto r = shared_checker().check_card(fx().front.view(), img.view());
  ASSERT_TRUE(r);
  EXPECT_NE(r->verdict, Verdict::genuine) << dump(*r);
  EXPECT_EQ(need(*r, "locate", -1).outcome, Outcome::pass) << "the front is alone";
  bool several = false;
  for (const auto& f : r->findings) several |= f.check == "locate" && f.code == "several_cards";
  EXPECT_TRUE(several) << dump(*r);
}

TEST(CheckCard, AnImageOverThePixelLimitIsAFinding) {
  CheckerOptions o;
  o.max_image_pixels = 500'000;
  auto r = checker(o).check_card(fx().front.view(), fx().back.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable) << dump(*r);
  EXPECT_EQ(need(*r, "image", -1).code, "too_large");
}

TEST(CheckCard, AnEmptyImageIsAFinding) {
  auto r = shared_checker().check_card(ImageView{});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable);
  EXPECT_EQ(need(*r, "image", -1).code, "empty");
}

TEST(CheckCard, ATruncatedJpegIsAClearError) {
  const auto jpg = encode_jpeg(fx().back.view(), 90);
  const auto cut = std::vector<std::uint8_t>(jpg.begin(), jpg.begin() + static_cast<std::ptrdiff_t>(jpg.size() / 3));
  auto img = decode_image(cut.data(), cut.size(), "cut.jpg");
  if (img) {
    // libjpeg may hand back the rows it had, the rest grey: then it is a card image with a hole.
    auto r = shared_checker().check_card(img->view());
    ASSERT_TRUE(r);
    EXPECT_NE(r->verdict, Verdict::genuine);
  } else {
    EXPECT_EQ(img.error().code(), Errc::bad_image) << img.error().to_string();
  }
}

TEST(CheckCard, AQrCodeOfJunkIsUnreadable) {
  std::mt19937 rng(5);
  std::string junk = "SDC1:";
  const char* alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  while (junk.size() < 3000) junk += alnum[rng() % 45];
  const QrMatrix m = ok(encode_qr(junk, QrEcLevel::L));
  const int px = 4, side = (m.size + 8) * px;
  cv::Mat scene = clutter(1600, 1200, 11);
  cv::Mat code(side, side, CV_8UC3, cv::Scalar::all(255));
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y)) cv::rectangle(code, cv::Rect((x + 4) * px, (y + 4) * px, px, px), cv::Scalar::all(0), -1);
  code.copyTo(scene(cv::Rect(200, 200, side, side)));
  const Image img = image_of(scene);
  auto r = shared_checker().check_card(img.view());
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->verdict, Verdict::unreadable) << dump(*r);
  EXPECT_EQ(need(*r, "seal_format").outcome, Outcome::fail);
  EXPECT_NO_THROW(nlohmann::json::parse(to_json(*r)));
}

// Any ID-1 card, not only sdc's, on clutter: found by its outline, within 3 px.
TEST(LocateCard, FindsAGenericId1CardThatIsNotOurs) {
  // Another issuer's card: a blue field, a chip, a darker band, blocks of "text", rounded corners.
  cv::Mat card(638, 1011, CV_8UC3, cv::Scalar(170, 120, 60));
  cv::rectangle(card, cv::Rect(0, 420, 1011, 120), cv::Scalar(90, 60, 30), -1);
  cv::rectangle(card, cv::Rect(90, 200, 130, 100), cv::Scalar(60, 180, 220), -1);
  std::mt19937 rng(21);
  for (int i = 0; i < 14; ++i)
    cv::rectangle(card,
                  cv::Rect(300 + static_cast<int>(rng() % 500), 60 + i * 25, 80 + static_cast<int>(rng() % 300), 12),
                  cv::Scalar(240, 240, 240), -1);
  const Image other = image_of(card);
  for (unsigned seed : {1u, 2u, 3u}) {
    cv::Mat scene = clutter(1920, 1080, 100 + seed);
    const auto truth = quad({900.0 + 40 * seed, 520}, 900, -20.0 + 17 * seed, 0.06 * seed);
    place(scene, other, truth);
    const Image img = degrade(scene, 0.8, 85);
    auto l = locate_card(img.view());
    ASSERT_TRUE(l);
    ASSERT_TRUE(l->found) << seed;
    EXPECT_EQ(l->method, "outline");
    EXPECT_LT(corner_error_either(*l, truth), 3.0) << seed;
  }
}

// A finger over the bottom edge: the outline still follows the card's edge, within 4 px.
TEST(LocateCard, AFingerOverAnEdgeDoesNotMoveTheCorners) {
  cv::Mat scene = clutter(1920, 1080, 44);
  const auto truth = quad({960, 540}, 1300, 8, 0.05);
  place(scene, fx().back, truth);
  // A finger: a skin-coloured capsule over the bottom edge.
  const cv::Point2d mid = (truth[2] + truth[3]) * 0.5;
  cv::ellipse(scene, cv::Point(static_cast<int>(mid.x) - 150, static_cast<int>(mid.y) + 40), cv::Size(60, 140), 10, 0,
              360, cv::Scalar(150, 170, 220), -1);
  const Image img = degrade(scene, 0.8, 85);
  auto l = locate_card(img.view());
  ASSERT_TRUE(l && l->found);
  EXPECT_LT(corner_error_either(*l, truth), 4.0);
}

TEST(LocateCard, BadArgumentsAreErrors) {
  EXPECT_EQ(locate_card(ImageView{}).error().code(), Errc::bad_image);
  EXPECT_EQ(locate_card(fx().back.view(), {.detect_side = 10}).error().code(), Errc::invalid_argument);
  EXPECT_FALSE(rectify_card(fx().back.view(), {}, CardFormat::id1, Dpi{300}));
}

TEST(CheckCard, TheReportJsonHasCornersCaptureAndTimes) {
  auto r = shared_checker().check_card(fx().front.view(), fx().back.view(), "f.png", "b.png");
  ASSERT_TRUE(r);
  const auto j = nlohmann::json::parse(to_json(*r));
  EXPECT_EQ(j["verdict"], "genuine");
  ASSERT_EQ(j["sides"].size(), 2u);
  EXPECT_EQ(j["sides"][1]["corners"]["bottom_right"].size(), 2u);
  EXPECT_TRUE(j["sides"][0]["capture"].contains("sharpness"));
  EXPECT_TRUE(j["timings_ms"].contains("locate"));
  EXPECT_EQ(j["template"]["id"], fx().specimen.content_id());
}

TEST(TemplateId, TheSealCarriesItAndOldPayloadsStillDecode) {
  const auto p =
      ok(decode_seal_payload(ok(encode_seal_payload(SealPayload{.issuer = "UTO", .template_id = "0123456789abcdef"}))));
  EXPECT_EQ(p.template_id, "0123456789abcdef");
  const auto old = ok(decode_seal_payload(ok(encode_seal_payload(SealPayload{.issuer = "UTO"}))));
  EXPECT_TRUE(old.template_id.empty());
  EXPECT_FALSE(encode_seal_payload(SealPayload{.template_id = "xyz1"}));
  EXPECT_EQ(verify_seal(fx().card.seal_text(), fx().trust, kAt).payload->template_id,
            fx().specimen.content_id().substr(0, 8));
}

TEST(CheckCard, TheTemplateIsPickedByTheSealsId) {
  CheckerOptions o;
  const auto other = ok(Template::parse(
      R"({"sdc_template": 1, "name": "Other", "format": "ID-1", "front": {"elements": []}})", "other.json"));
  o.templates = {other};
  auto r = checker(o).check_card(fx().front.view(), fx().back.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(need(*r, "template", -1).code, "unknown_template");
  EXPECT_NE(r->verdict, Verdict::genuine);
}

// A thumb over one corner, as a card is held up to a phone: on the back, the outline through the
// header band's inner edge to the corner the thumb hides had no lost corner, and the card's own
// outline, whose two sides stop short of that corner, lost two: 70 to 87 px off at the top
// corners. A corner hidden so (both sides stop over 2 corner radii short) is now counted as one.
TEST(LocateCard, AThumbOverACornerDoesNotMoveTheCorners) {
  for (const Image* side : {&fx().back, &fx().front})
    for (std::size_t k = 0; k < 4; ++k)
      for (unsigned seed : {1u, 2u, 3u}) {
        cv::Mat scene = clutter(1920, 1080, 60 + seed);
        const auto truth = quad({960, 540}, 1140 + 60 * seed, -11.0 + 5 * seed, 0.04);
        place(scene, *side, truth);
        // The thumb: a skin-coloured ellipse over corner k, along the card's short side.
        const cv::Point2d centre = (truth[0] + truth[1] + truth[2] + truth[3]) * 0.25;
        const cv::Point2d at = truth[k] + (centre - truth[k]) * 0.04;
        cv::ellipse(scene, cv::Point(static_cast<int>(at.x), static_cast<int>(at.y)), cv::Size(70, 130),
                    35 + 90 * static_cast<double>(k), 0, 360, cv::Scalar(150, 170, 220), -1);
        const Image img = degrade(scene, 0.8, 85);
        auto l = locate_card(img.view());
        ASSERT_TRUE(l);
        ASSERT_TRUE(l->found) << "corner " << k << " seed " << seed;
        EXPECT_EQ(l->outlines, 1) << "corner " << k << " seed " << seed;
        EXPECT_LT(corner_error_either(*l, truth), 3.0)
            << (side == &fx().back ? "back" : "front") << ", corner " << k << " seed " << seed;
      }
}

}  // namespace
}  // namespace sdc::test
