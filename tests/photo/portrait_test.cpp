// crop_portrait and FaceDetector on the specimen astronaut and on generated images.
#include <gtest/gtest.h>
#include <sdc/image.hpp>
#include <sdc/photo.hpp>

#include "photo/portrait_geometry.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace sdc;

namespace {

const char* const kAstronaut = SDC_SOURCE_DIR "/assets/records/photos/astronaut.png";

const FaceDetector& detector() {
  static const FaceDetector d = FaceDetector::create().value();
  return d;
}

// What `Composer` frames portraits with: the LBP cascade confirms its own candidates.
const FaceDetector& framing() {
  static const FaceDetector d = FaceDetector::create({.lbp_confirmation = true}).value();
  return d;
}

const Image& astronaut() {
  static const Image img = load_image(kAstronaut).value();
  return img;
}

bool has_warning(const PortraitCrop& c, PortraitWarningKind k) {
  return std::any_of(c.warnings.begin(), c.warnings.end(), [k](const PortraitWarning& w) { return w.kind == k; });
}

cv::Mat mat(const Image& img) {
  return cv::Mat(img.height(), img.width(), CV_8UC(channels(img.format())), const_cast<std::uint8_t*>(img.data()));
}

Image from_mat(const cv::Mat& m) {
  Image img(m.cols, m.rows, m.channels() == 1 ? PixelFormat::gray8 : PixelFormat::rgb8);
  m.copyTo(mat(img));
  return img;
}

// 25 x 32 mm at 300 and 600 dpi (the specimen's photo box).
constexpr int kW300 = 295, kH300 = 378, kW600 = 591, kH600 = 756;

}  // namespace

TEST(FaceDetector, FindsTheAstronautsFace) {
  auto faces = detector().detect(astronaut().view());
  ASSERT_TRUE(faces) << faces.error().to_string();
  ASSERT_GE(faces->size(), 1u);
  const PxRect f = faces->front();
  // The face is in the upper middle of the 512 x 512 photo (eyes near y = 100, x = 200..250).
  EXPECT_GT(f.x, 150);
  EXPECT_LT(f.x + f.w, 300);
  EXPECT_GT(f.y, 40);
  EXPECT_LT(f.y + f.h, 200);
  EXPECT_GT(f.w, 70);
}

TEST(FaceDetector, MissingCascadeIsAnIoErrorWithAHint) {
  auto d = FaceDetector::create({.cascade_path = "/nonexistent/cascade.xml"});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code(), Errc::io);
  EXPECT_EQ(d.error().where().file, "/nonexistent/cascade.xml");
  EXPECT_NE(d.error().hint().find("opencv-data"), std::string::npos);
  auto r = crop_portrait(astronaut(), 100, 128, PortraitOptions{.detector = {.cascade_path = "/nonexistent/c.xml"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::io);
  EXPECT_FALSE(FaceDetector().detect(astronaut().view()));
}

TEST(FaceDetector, ConcurrentCallsAgree) {
  const auto expected = detector().detect(astronaut().view()).value();
  std::vector<std::thread> threads;
  std::vector<std::vector<PxRect>> got(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) got[t] = detector().detect(astronaut().view()).value();
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

// A FaceScratch gives the faces detect gives without one, per thread, and the classifiers of the
// detector it is used with: one scratch used in turn with a detector of another cascade (alt2)
// finds that detector's faces, not the first one's.
TEST(FaceDetector, AScratchFindsTheFacesOfTheDetectorItIsUsedWith) {
  const FaceDetector alt2 =
      FaceDetector::create({.cascade_path = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml",
                            .min_neighbors = 1,
                            .lbp_candidates = false})
          .value();
  const auto expected = detector().detect(astronaut().view()).value();
  const auto expected_alt2 = alt2.detect(astronaut().view()).value();
  ASSERT_NE(expected, expected_alt2);  // else the test could not tell the classifiers apart
  FaceScratch scratch;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(detector().detect(astronaut().view(), scratch).value(), expected);
    EXPECT_EQ(alt2.detect(astronaut().view(), scratch).value(), expected_alt2);
  }
  std::vector<std::thread> threads;
  std::vector<std::vector<PxRect>> got(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      FaceScratch own;
      for (int i = 0; i < 3; ++i) got[t] = detector().detect(astronaut().view(), own).value();
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
  // The portrait crop with a scratch is the crop without one.
  const auto plain = crop_portrait(astronaut(), 260, 320, detector()).value();
  const auto with = crop_portrait(astronaut(), 260, 320, detector(), {}, scratch).value();
  ASSERT_EQ(plain.image.size_bytes(), with.image.size_bytes());
  EXPECT_EQ(std::memcmp(plain.image.data(), with.image.data(), plain.image.size_bytes()), 0);
  EXPECT_EQ(plain.face, with.face);
}

namespace {
// The crop puts the head at ICAO proportions, measured on the output with the Haar face and eye
// cascades (whichever cascade framed it).
void astronaut_is_placed_by_icao_proportions(const FaceDetector& framer) {
  auto crop = crop_portrait(astronaut(), kW300, kH300, framer, {.dpi = Dpi{300}});
  ASSERT_TRUE(crop) << crop.error().to_string();
  ASSERT_TRUE(crop->face.has_value());
  EXPECT_FALSE(has_warning(*crop, PortraitWarningKind::no_face));
  EXPECT_EQ(crop->image.width(), kW300);
  EXPECT_EQ(crop->image.height(), kH300);
  EXPECT_EQ(crop->image.format(), PixelFormat::rgb8);
  EXPECT_EQ(crop->image.dpi().v, 300);
  EXPECT_NEAR(crop->head_fraction, 0.75, 0.01);
  EXPECT_GE(crop->eye_line, 0.30);
  EXPECT_LE(crop->eye_line, 0.50);

  // Measured on the output, independently of the geometry above: the face detector on the crop
  // gives the head height, the eye cascade gives the eye line.
  auto faces = detector().detect(crop->image.view());
  ASSERT_TRUE(faces);
  ASSERT_GE(faces->size(), 1u);
  const auto g = detail::head_from_face(faces->front());
  const double head = g.head_height() / kH300;
  std::printf("head fraction on the output: %.3f (face box %d px)\n", head, faces->front().h);
  EXPECT_GE(head, 0.65);
  EXPECT_LE(head, 0.85);
  const double centre = g.centre_x / kW300;
  EXPECT_NEAR(centre, 0.5, 0.06);

  cv::CascadeClassifier eyes("/usr/share/opencv4/haarcascades/haarcascade_eye.xml");
  ASSERT_FALSE(eyes.empty());
  cv::Mat grey;
  cv::cvtColor(mat(crop->image), grey, cv::COLOR_RGB2GRAY);
  const PxRect f = faces->front();
  const cv::Rect upper_face(f.x, f.y, f.w, f.h / 2 + f.h / 8);
  std::vector<cv::Rect> found;
  eyes.detectMultiScale(grey(upper_face), found, 1.1, 3);
  ASSERT_GE(found.size(), 2u);
  double eye_y = 0;
  for (std::size_t i = 0; i < 2; ++i) eye_y += upper_face.y + found[i].y + found[i].height / 2.0;
  eye_y /= 2.0 * kH300;
  std::printf("eye line on the output: %.3f of the height from the top\n", eye_y);
  EXPECT_GE(eye_y, 0.30);
  EXPECT_LE(eye_y, 0.50);
}
}  // namespace

TEST(Portrait, AstronautIsPlacedByIcaoProportions) {
  for (const FaceDetector* framer : {&detector(), &framing()}) {
    SCOPED_TRACE(framer->options().lbp_confirmation ? "LBP confirmation" : "Haar confirmation");
    astronaut_is_placed_by_icao_proportions(*framer);
  }
}

TEST(Portrait, OutputAspectIsExactAndCropIsDeterministic) {
  for (auto [w, h] : {std::pair{kW300, kH300}, std::pair{100, 128}, std::pair{37, 200}, std::pair{400, 300}}) {
    auto a = crop_portrait(astronaut(), w, h, detector());
    ASSERT_TRUE(a) << a.error().to_string();
    EXPECT_EQ(a->image.width(), w);
    EXPECT_EQ(a->image.height(), h);
    EXPECT_NEAR(static_cast<double>(a->source_rect.w) / a->source_rect.h, static_cast<double>(w) / h,
                1.5 / a->source_rect.h);
    auto b = crop_portrait(astronaut(), w, h, detector());
    ASSERT_TRUE(b);
    ASSERT_EQ(a->image.size_bytes(), b->image.size_bytes());
    EXPECT_EQ(std::memcmp(a->image.data(), b->image.data(), a->image.size_bytes()), 0);
    EXPECT_EQ(a->source_rect, b->source_rect);
  }
}

TEST(Portrait, FacelessImageGivesCentredCropAndWarning) {
  Image ramp(400, 300, PixelFormat::gray8);  // a left-to-right ramp: content, but no face
  for (int y = 0; y < 300; ++y)
    for (int x = 0; x < 400; ++x) ramp.row(y)[x] = static_cast<std::uint8_t>(x * 255 / 399);
  auto crop = crop_portrait(ramp, 250, 320, detector());
  ASSERT_TRUE(crop) << crop.error().to_string();
  EXPECT_FALSE(crop->face.has_value());
  ASSERT_TRUE(has_warning(*crop, PortraitWarningKind::no_face));
  EXPECT_EQ(crop->warnings.front().message, "no face found: centred crop");
  // Largest centred rectangle of aspect 250:320 in 400 x 300: 234.4 x 300 at x = 82.8.
  EXPECT_EQ(crop->source_rect, (PxRect{83, 0, 234, 300}));
  EXPECT_EQ(crop->image.width(), 250);
  EXPECT_EQ(crop->image.height(), 320);
  EXPECT_LT(crop->image.row(160)[0], crop->image.row(160)[3 * 249]);  // the ramp survives, left to right
}

// Hostile input 18: a 1 x 1, an all-black or a blank photo made a sealed card with a warning.
TEST(Portrait, PhotosThatShowNobodyAreRefused) {
  for (const auto& [w, h] : {std::pair{1, 1}, std::pair{40, 400}, std::pair{47, 47}}) {
    Image tiny(w, h, PixelFormat::rgb8);
    for (std::size_t i = 0; i < tiny.size_bytes(); ++i) tiny.data()[i] = static_cast<std::uint8_t>(i * 37);
    auto crop = crop_portrait(tiny, 250, 320, detector());
    ASSERT_FALSE(crop) << w << "x" << h;
    EXPECT_EQ(crop.error().code(), Errc::invalid_argument);
    EXPECT_NE(crop.error().message().find("too small to show a face"), std::string::npos);
  }
  for (const int level : {0, 128, 255}) {
    Image flat(400, 500, PixelFormat::rgb8);
    std::memset(flat.data(), level, flat.size_bytes());
    auto crop = crop_portrait(flat, 250, 320, detector());
    ASSERT_FALSE(crop) << level;
    EXPECT_NE(crop.error().message().find("one flat tone (level " + std::to_string(level)), std::string::npos)
        << crop.error().message();
  }
  // Faint content (a spread of a few levels: a very dark but real photo) is still a photo.
  Image dark(400, 500, PixelFormat::gray8);
  for (int y = 0; y < 500; ++y)
    for (int x = 0; x < 400; ++x) dark.row(y)[x] = static_cast<std::uint8_t>((x / 20 + y / 25) % 2 ? 3 : 12);
  EXPECT_TRUE(crop_portrait(dark, 250, 320, detector()));
}

TEST(Portrait, FaceNearTheEdgeIsPaddedWithTheBackground) {
  // Cut the astronaut through her hair: the crown and the space above it are missing.
  const Image top_cut = Image::copy_of(astronaut().view().cropped({0, 50, 512, 462}));
  for (const FaceDetector* framer : {&detector(), &framing()}) {
    auto crop = crop_portrait(top_cut, kW300, kH300, *framer);
    ASSERT_TRUE(crop) << crop.error().to_string();
    ASSERT_TRUE(crop->face.has_value()) << "face lost after cutting the photo";
    ASSERT_TRUE(has_warning(*crop, PortraitWarningKind::padded));
    EXPECT_LT(crop->source_rect.y, 0);
    // The padded top rows take the background colour (the light grey studio backdrop), not black.
    const std::uint8_t* row = crop->image.row(2);
    for (int x = 0; x < kW300; x += 20) {
      EXPECT_GT(row[x * 3 + 0], 150) << x;
      EXPECT_GT(row[x * 3 + 1], 150) << x;
    }
  }
}

TEST(Portrait, LowResolutionPhotoWarnsWithTheNumbers) {
  auto crop = crop_portrait(astronaut(), kW600, kH600, detector(), {.dpi = Dpi{600}});
  ASSERT_TRUE(crop) << crop.error().to_string();
  ASSERT_TRUE(has_warning(*crop, PortraitWarningKind::upscaled));
  const auto& w = *std::find_if(crop->warnings.begin(), crop->warnings.end(),
                                [](const PortraitWarning& x) { return x.kind == PortraitWarningKind::upscaled; });
  EXPECT_NE(w.message.find("600 dpi"), std::string::npos) << w.message;
  EXPECT_NE(w.message.find("upscaled to 756 px"), std::string::npos) << w.message;
  // Shrinking does not warn.
  auto small = crop_portrait(astronaut(), 100, 128, detector());
  ASSERT_TRUE(small);
  EXPECT_FALSE(has_warning(*small, PortraitWarningKind::upscaled));
}

TEST(Portrait, TwoFacesUseTheLargestAndWarn) {
  // The astronaut at full size beside a copy at 80 %.
  cv::Mat canvas(512, 1000, CV_8UC3, cv::Scalar(200, 200, 200));
  const cv::Mat src = mat(astronaut());
  src.copyTo(canvas(cv::Rect(0, 0, 512, 512)));
  cv::Mat smaller;
  cv::resize(src, smaller, cv::Size(410, 410), 0, 0, cv::INTER_AREA);
  smaller.copyTo(canvas(cv::Rect(560, 60, 410, 410)));
  const Image two = from_mat(canvas);
  for (const FaceDetector* framer : {&detector(), &framing()}) {
    auto crop = crop_portrait(two, kW300, kH300, *framer);
    ASSERT_TRUE(crop) << crop.error().to_string();
    ASSERT_TRUE(crop->face.has_value());
    EXPECT_LT(crop->face->x, 512);  // the larger, left face
    EXPECT_TRUE(has_warning(*crop, PortraitWarningKind::several_faces)) << framer->options().lbp_confirmation;
  }
}

TEST(Portrait, AcceptsGreyAndRgbaAndRejectsBadArguments) {
  cv::Mat grey;
  cv::cvtColor(mat(astronaut()), grey, cv::COLOR_RGB2GRAY);
  auto g = crop_portrait(from_mat(grey), 100, 128, detector());
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_TRUE(g->face.has_value());
  EXPECT_EQ(g->image.format(), PixelFormat::rgb8);

  cv::Mat rgba;
  cv::cvtColor(mat(astronaut()), rgba, cv::COLOR_RGB2RGBA);
  Image rgba_img(512, 512, PixelFormat::rgba8);
  rgba.copyTo(mat(rgba_img));
  auto a = crop_portrait(rgba_img, 100, 128, detector());
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_TRUE(a->face.has_value());

  EXPECT_EQ(crop_portrait(Image(), 100, 128, detector()).error().code(), Errc::invalid_argument);
  EXPECT_EQ(crop_portrait(astronaut(), 0, 128, detector()).error().code(), Errc::invalid_argument);
  auto bad = crop_portrait(astronaut(), 100, 128, detector(), {.head_fraction = 1.5});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::invalid_argument);
  EXPECT_EQ(bad.error().where().field, "head_fraction");
}

TEST(FaceDetector, LargePhotoIsReducedForDetectionAndReportedInSourcePixels) {
  cv::Mat big;
  cv::resize(mat(astronaut()), big, cv::Size(1600, 1600), 0, 0, cv::INTER_CUBIC);  // > max_detection_side
  const auto small_faces = detector().detect(astronaut().view()).value();
  const auto big_faces = detector().detect(from_mat(big).view()).value();
  ASSERT_FALSE(small_faces.empty());
  ASSERT_FALSE(big_faces.empty());
  const double k = 1600.0 / 512.0;
  const PxRect s = small_faces.front(), b = big_faces.front();
  EXPECT_NEAR(b.x, s.x * k, 0.1 * s.w * k);
  EXPECT_NEAR(b.y, s.y * k, 0.1 * s.h * k);
  EXPECT_NEAR(b.w, s.w * k, 0.1 * s.w * k);
}

// The coarse-to-fine search (the default) confirms each face found on a small copy with the Haar
// cascade near it, so it reports the whole-photo search's box to within a tenth of the face (the
// confirmation runs on a window reduced to a face of about 72 px and at sizes near the candidate's;
// bench/RESULTS.md measures IoU 0.85 to 0.98); a photo where the small copy finds nothing is
// searched whole. With Haar candidates or LBP candidates alike.
TEST(FaceDetector, CoarseToFineGivesTheBoxOfTheWholePhotoSearch) {
  const FaceDetector whole = FaceDetector::create({.coarse_side = 0}).value();
  const FaceDetector haar_only = FaceDetector::create({.lbp_candidates = false}).value();
  cv::Mat big, canvas(800, 600, CV_8UC3, cv::Scalar(190, 190, 190));
  cv::resize(mat(astronaut()), big, cv::Size(1024, 1024), 0, 0, cv::INTER_CUBIC);
  mat(astronaut()).copyTo(canvas(cv::Rect(44, 144, 512, 512)));
  for (const Image& photo : {Image::copy_of(astronaut().view()), from_mat(big), from_mat(canvas)}) {
    const auto a = whole.detect(photo.view()).value();
    ASSERT_FALSE(a.empty());
    const PxRect x = a.front();
    for (const FaceDetector* d : {&detector(), &haar_only, &framing()}) {
      SCOPED_TRACE(std::to_string(photo.width()) + " lbp candidates " + std::to_string(d->options().lbp_candidates) +
                   ", lbp confirmation " + std::to_string(d->options().lbp_confirmation));
      const auto b = d->detect(photo.view()).value();
      ASSERT_FALSE(b.empty());
      const PxRect y = b.front();
      EXPECT_NEAR(y.x, x.x, 0.1 * x.w);
      EXPECT_NEAR(y.y, x.y, 0.1 * x.h);
      EXPECT_NEAR(y.w, x.w, 0.1 * x.w);
    }
  }
  // Nothing to find: both search the whole photo and agree.
  const Image blank(640, 480, PixelFormat::gray8);
  EXPECT_TRUE(detector().detect(blank.view()).value().empty());
  auto bad = FaceDetector::create({.coarse_side = 50});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().field, "coarse_side");
  auto lone = FaceDetector::create({.lbp_candidates = false, .lbp_confirmation = true});
  ASSERT_FALSE(lone);
  EXPECT_EQ(lone.error().where().field, "lbp_confirmation");
}

// LBP proposes fewer faces than Haar when the head is turned in the picture plane; such a face is
// still found (the copy is then searched with Haar), at the same place as the Haar-only detector's.
TEST(FaceDetector, AFaceTheLbpCascadeMissesIsFoundByTheHaarCascade) {
  const FaceDetector haar_only = FaceDetector::create({.lbp_candidates = false}).value();
  int turned_found = 0;
  for (double angle : {-14.0, -10.0, 10.0, 14.0}) {
    cv::Mat turned;
    const cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(256, 256), angle, 1.0);
    cv::warpAffine(mat(astronaut()), turned, rot, cv::Size(512, 512), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(190, 190, 190));
    const Image photo = from_mat(turned);
    const auto a = haar_only.detect(photo.view()).value();
    for (const FaceDetector* d : {&detector(), &framing()}) {
      const auto b = d->detect(photo.view()).value();
      ASSERT_EQ(a.empty(), b.empty()) << angle;
      if (a.empty()) continue;
      turned_found += d == &detector();
      // Haar measures what it found itself; an LBP-confirmed box is within a tenth plus the
      // tenth that an LBP box may be larger.
      const double tol = d == &detector() ? 0.1 : 0.2;
      EXPECT_NEAR(b.front().x, a.front().x, tol * a.front().w) << angle;
      EXPECT_NEAR(b.front().y, a.front().y, tol * a.front().h) << angle;
      EXPECT_NEAR(b.front().w, a.front().w, tol * a.front().w) << angle;
    }
  }
  EXPECT_GE(turned_found, 3);
}

// The LBP cascade confirming its own candidates must not see faces the Haar confirmation rejects:
// textures a portrait photo or its background may hold, and the specimen photo with its face
// covered, give no face to either.
TEST(FaceDetector, LbpConfirmationSeesNoFaceWhereThereIsNone) {
  std::vector<std::pair<std::string, cv::Mat>> scenes;
  cv::Mat noise(600, 480, CV_8UC3);
  cv::RNG(7).fill(noise, cv::RNG::NORMAL, 128, 40);
  scenes.emplace_back("noise", noise);
  cv::Mat waves(600, 480, CV_8UC3);
  for (int y = 0; y < waves.rows; ++y)
    for (int x = 0; x < waves.cols; ++x) {
      const double v = 128 + 60 * std::sin(x * 0.21 + 9 * std::sin(y * 0.03)) + 50 * std::cos(y * 0.17 + x * 0.05);
      waves.at<cv::Vec3b>(y, x) = cv::Vec3b::all(cv::saturate_cast<std::uint8_t>(v));
    }
  scenes.emplace_back("guilloche-like waves", waves);
  cv::Mat checks(600, 480, CV_8UC3);
  for (int y = 0; y < checks.rows; ++y)
    for (int x = 0; x < checks.cols; ++x) checks.at<cv::Vec3b>(y, x) = cv::Vec3b::all((x / 24 + y / 24) % 2 ? 230 : 30);
  scenes.emplace_back("checks", checks);
  cv::Mat covered = mat(astronaut()).clone();
  const PxRect f = detector().detect(astronaut().view()).value().front();
  cv::rectangle(covered, cv::Rect(f.x - f.w / 2, f.y - f.h / 2, 2 * f.w, 2 * f.h), cv::Scalar(128, 128, 128),
                cv::FILLED);
  scenes.emplace_back("face covered", covered);
  for (const auto& [name, scene] : scenes) {
    const Image photo = from_mat(scene);
    EXPECT_TRUE(detector().detect(photo.view()).value().empty()) << name;
    EXPECT_TRUE(framing().detect(photo.view()).value().empty()) << name;
  }
}

TEST(FaceDetector, AMissingOrBrokenLbpCascadeIsNamed) {
  auto missing = FaceDetector::create({.lbp_cascade_path = "/nonexistent/lbp.xml"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
  EXPECT_EQ(missing.error().where().field, "lbp_cascade_path");
  EXPECT_EQ(missing.error().where().file, "/nonexistent/lbp.xml");
  // Not asked for: not read.
  EXPECT_TRUE(FaceDetector::create({.lbp_candidates = false, .lbp_cascade_path = "/nonexistent/lbp.xml"}));
  const auto not_xml = std::filesystem::temp_directory_path() / "sdc_not_a_cascade.xml";
  std::ofstream(not_xml) << "<opencv_storage><x>1</x></opencv_storage>";
  auto broken = FaceDetector::create({.lbp_cascade_path = not_xml.string()});
  std::filesystem::remove(not_xml);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().where().field, "lbp_cascade_path");
}

// A caller-owned frame with padded rows (as cameras deliver them) is used in place through a view
// and gives the same crop as the owning Image; only the Image overload carries the ICC profile.
TEST(PortraitCrop, StridedViewGivesTheSameCropAsTheImage) {
  const Image& src = astronaut();
  const std::ptrdiff_t stride = src.row_stride() + 64;
  std::vector<std::uint8_t> frame(static_cast<std::size_t>(stride) * src.height(), 0xAB);
  for (int y = 0; y < src.height(); ++y)
    std::memcpy(frame.data() + y * stride, src.row(y), static_cast<std::size_t>(src.row_stride()));
  const ImageView view(frame.data(), src.width(), src.height(), src.format(), stride);
  auto from_view = crop_portrait(view, 100, 128, detector());
  auto from_image = crop_portrait(src, 100, 128, detector());
  ASSERT_TRUE(from_view && from_image);
  ASSERT_EQ(from_view->image.size_bytes(), from_image->image.size_bytes());
  EXPECT_EQ(std::memcmp(from_view->image.data(), from_image->image.data(), from_view->image.size_bytes()), 0);
  EXPECT_TRUE(from_view->image.icc_profile().empty());
  EXPECT_EQ(from_image->image.icc_profile(), src.icc_profile());

  const Image ghost_v = ghost_image(view);
  const Image ghost_i = ghost_image(src);
  ASSERT_EQ(ghost_v.size_bytes(), ghost_i.size_bytes());
  EXPECT_EQ(std::memcmp(ghost_v.data(), ghost_i.data(), ghost_v.size_bytes()), 0);
}
