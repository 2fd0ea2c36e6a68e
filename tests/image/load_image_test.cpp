// load_image / decode_image: formats, channel order, bit depth, ICC profiles, resolution, EXIF
// orientation, limits checked from the header, and bad files. Fixtures are written at test time:
// PNGs chunk by chunk with zlib (independent of the libpng reader), TIFFs with libtiff, JPEGs with
// OpenCV and then edited marker by marker.
#include <gtest/gtest.h>
#include <sdc/image.hpp>

#include <tiffio.h>
#include <zlib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace sdc;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path temp_dir() {
  const fs::path d = fs::path(::testing::TempDir()) / "sdc_image_test";
  fs::create_directories(d);
  return d;
}

fs::path write_file(const std::string& name, const Bytes& bytes) {
  const fs::path p = temp_dir() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return p;
}

Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void put32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}

void png_chunk(Bytes& out, const char* type, const Bytes& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  put32(out, static_cast<std::uint32_t>(crc32(0, out.data() + start, static_cast<uInt>(out.size() - start))));
}

Bytes zcompress(const Bytes& in) {
  uLongf n = compressBound(static_cast<uLong>(in.size()));
  Bytes out(n);
  EXPECT_EQ(compress(out.data(), &n, in.data(), static_cast<uLong>(in.size())), Z_OK);
  out.resize(n);
  return out;
}

Bytes ihdr(std::uint32_t w, std::uint32_t h, int depth, int colour_type) {
  Bytes d;
  put32(d, w);
  put32(d, h);
  d.push_back(static_cast<std::uint8_t>(depth));
  d.push_back(static_cast<std::uint8_t>(colour_type));
  d.insert(d.end(), {0, 0, 0});
  return d;
}

const Bytes kPngSig = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

// An 8-bit RGB PNG whose pixel (x, y) is (x * 10, y * 20, 200), with optional iCCP and pHYs.
Bytes make_png(int w, int h, const Bytes* icc, std::uint32_t px_per_metre) {
  Bytes png = kPngSig;
  png_chunk(png, "IHDR", ihdr(static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h), 8, 2));
  if (icc != nullptr) {
    Bytes d = {'t', 'e', 's', 't', 0, 0};  // profile name, NUL, compression method 0
    const Bytes z = zcompress(*icc);
    d.insert(d.end(), z.begin(), z.end());
    png_chunk(png, "iCCP", d);
  }
  if (px_per_metre > 0) {
    Bytes d;
    put32(d, px_per_metre);
    put32(d, px_per_metre);
    d.push_back(1);
    png_chunk(png, "pHYs", d);
  }
  Bytes raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);  // filter: none
    for (int x = 0; x < w; ++x)
      raw.insert(raw.end(), {static_cast<std::uint8_t>(x * 10), static_cast<std::uint8_t>(y * 20), 200});
  }
  png_chunk(png, "IDAT", zcompress(raw));
  png_chunk(png, "IEND", {});
  return png;
}

Bytes icc_file() {
  for (const char* p : {"/usr/share/color/icc/sRGB.icc", "/usr/share/color/icc/colord/sRGB.icc",
                        "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc"}) {
    if (fs::exists(p)) return read_file(p);
  }
  return {};
}

Bytes jpeg_bytes(const cv::Mat& bgr) {
  std::vector<std::uint8_t> buf;
  EXPECT_TRUE(cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, 100}));
  return buf;
}

// Inserts a marker segment right after SOI.
Bytes with_segment(const Bytes& jpeg, std::uint8_t marker, const Bytes& payload) {
  Bytes seg = {0xFF, marker, static_cast<std::uint8_t>((payload.size() + 2) >> 8),
               static_cast<std::uint8_t>((payload.size() + 2) & 0xFF)};
  seg.insert(seg.end(), payload.begin(), payload.end());
  Bytes out = jpeg;
  out.insert(out.begin() + 2, seg.begin(), seg.end());
  return out;
}

Bytes icc_app2(const Bytes& icc, std::size_t from, std::size_t to, int seq, int count) {
  Bytes p = {'I',
             'C',
             'C',
             '_',
             'P',
             'R',
             'O',
             'F',
             'I',
             'L',
             'E',
             0,
             static_cast<std::uint8_t>(seq),
             static_cast<std::uint8_t>(count)};
  p.insert(p.end(), icc.begin() + static_cast<std::ptrdiff_t>(from), icc.begin() + static_cast<std::ptrdiff_t>(to));
  return p;
}

// A hand-made little-endian grey TIFF: one strip of `strip_bytes` declared, `data_bytes` present.
Bytes hand_tiff(std::uint32_t w, std::uint32_t h, std::uint32_t strip_bytes, std::size_t data_bytes) {
  Bytes tif = {'I', 'I', 42, 0, 8, 0, 0, 0};
  auto le16 = [&](std::uint16_t v) {
    tif.insert(tif.end(), {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)});
  };
  auto le32 = [&](std::uint32_t v) {
    for (int s = 0; s < 32; s += 8) tif.push_back(static_cast<std::uint8_t>(v >> s));
  };
  auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t value) {
    le16(tag);
    le16(type);
    le32(1);
    le32(value);
  };
  le16(7);
  entry(256, 4, w);                   // ImageWidth, LONG
  entry(257, 4, h);                   // ImageLength
  entry(258, 3, 8);                   // BitsPerSample
  entry(262, 3, 1);                   // Photometric: min-is-black
  entry(273, 4, 8 + 2 + 7 * 12 + 4);  // StripOffsets
  entry(278, 4, h);                   // RowsPerStrip
  entry(279, 4, strip_bytes);         // StripByteCounts
  le32(0);
  tif.insert(tif.end(), data_bytes, 0);
  return tif;
}

}  // namespace

TEST(LoadImage, PngIsRgbInSdcOrderWithIccAndDpi) {
  const Bytes icc = icc_file();
  ASSERT_FALSE(icc.empty()) << "no ICC profile found under /usr/share/color/icc";
  const auto path = write_file("icc.png", make_png(8, 6, &icc, 11811));  // 11811 px/m = 300 dpi
  auto img = load_image(path);
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_EQ(img->format(), PixelFormat::rgb8);
  ASSERT_EQ(img->width(), 8);
  ASSERT_EQ(img->height(), 6);
  EXPECT_EQ(img->row(2)[3 * 5 + 0], 50);  // R = x * 10
  EXPECT_EQ(img->row(2)[3 * 5 + 1], 40);  // G = y * 20
  EXPECT_EQ(img->row(2)[3 * 5 + 2], 200);
  EXPECT_EQ(img->icc_profile(), icc);  // byte-identical after zlib round trip
  EXPECT_EQ(img->dpi().v, 300);
}

TEST(LoadImage, PngWithoutMetadataHasNoProfileOrDpi) {
  auto img = load_image(write_file("plain.png", make_png(4, 4, nullptr, 0)));
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_TRUE(img->icc_profile().empty());
  EXPECT_EQ(img->dpi().v, 0);
}

TEST(LoadImage, GreyAlphaAndSixteenBitPngs) {
  cv::Mat grey(5, 7, CV_8UC1, cv::Scalar(77));
  std::vector<std::uint8_t> buf;
  ASSERT_TRUE(cv::imencode(".png", grey, buf));
  auto g = decode_image(buf.data(), buf.size(), "grey.png");
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->format(), PixelFormat::gray8);
  EXPECT_EQ(g->row(4)[6], 77);

  cv::Mat bgra(3, 3, CV_8UC4, cv::Scalar(10, 20, 30, 40));  // B, G, R, A
  ASSERT_TRUE(cv::imencode(".png", bgra, buf));
  auto a = decode_image(buf.data(), buf.size(), "alpha.png");
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_EQ(a->format(), PixelFormat::rgba8);
  EXPECT_EQ(a->row(1)[0], 30);
  EXPECT_EQ(a->row(1)[2], 10);
  EXPECT_EQ(a->row(1)[3], 40);

  cv::Mat deep(2, 2, CV_16UC3, cv::Scalar(0, 32896, 65535));
  ASSERT_TRUE(cv::imencode(".png", deep, buf));
  auto d = decode_image(buf.data(), buf.size(), "deep.png");
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_EQ(d->format(), PixelFormat::rgb8);
  EXPECT_EQ(d->row(0)[0], 255);  // R = 65535
  EXPECT_EQ(d->row(0)[1], 128);  // G = 32896 = 128 * 257
  EXPECT_EQ(d->row(0)[2], 0);
}

TEST(LoadImage, JpegKeepsChunkedIccProfileDensityAndOrientation) {
  const Bytes icc = icc_file();
  ASSERT_GT(icc.size(), 200u);
  cv::Mat bgr(20, 40, CV_8UC3, cv::Scalar(0, 0, 255));  // red
  Bytes jpeg = jpeg_bytes(bgr);
  // Two ICC chunks, written in reverse order on purpose: sequence numbers define the order.
  const std::size_t half = icc.size() / 2;
  jpeg = with_segment(jpeg, 0xE2, icc_app2(icc, half, icc.size(), 2, 2));
  jpeg = with_segment(jpeg, 0xE2, icc_app2(icc, 0, half, 1, 2));
  // JFIF: 300 dots per inch.
  jpeg = with_segment(jpeg, 0xE0, {'J', 'F', 'I', 'F', 0, 1, 2, 1, 0x01, 0x2C, 0x01, 0x2C, 0, 0});
  // Exif IFD0 with Orientation = 6 (rotate 90 degrees clockwise to view).
  jpeg = with_segment(jpeg, 0xE1, {'E',  'x',  'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
                                   0x12, 0x01, 3,   0,   1, 0, 0,   0,   6,  0, 0, 0, 0, 0, 0, 0});
  auto img = decode_image(jpeg.data(), jpeg.size(), "photo.jpg");
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_EQ(img->format(), PixelFormat::rgb8);
  EXPECT_EQ(img->width(), 20);  // rotated upright
  EXPECT_EQ(img->height(), 40);
  EXPECT_GT(img->row(10)[0], 240);  // red in sdc's RGB order
  EXPECT_LT(img->row(10)[2], 15);
  EXPECT_EQ(img->icc_profile(), icc);
  EXPECT_EQ(img->dpi().v, 300);
}

TEST(LoadImage, JpegWithIncompleteIccChunksLoadsWithoutProfile) {
  const Bytes icc = icc_file();
  cv::Mat bgr(8, 8, CV_8UC3, cv::Scalar(1, 2, 3));
  const Bytes jpeg = with_segment(jpeg_bytes(bgr), 0xE2, icc_app2(icc, 0, icc.size() / 2, 1, 2));
  auto img = decode_image(jpeg.data(), jpeg.size(), "half_profile.jpg");
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_TRUE(img->icc_profile().empty());
}

TEST(LoadImage, SixteenBitTiffWithIccAndResolution) {
  const Bytes icc = icc_file();
  const fs::path path = temp_dir() / "deep.tif";
  {
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    const int w = 6, h = 4;
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, 600.0f);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, 600.0f);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(icc.size()), icc.data());
    std::vector<std::uint16_t> row(static_cast<std::size_t>(w) * 3);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        row[x * 3 + 0] = 65535;
        row[x * 3 + 1] = static_cast<std::uint16_t>(257 * (x * 40));
        row[x * 3 + 2] = 0;
      }
      ASSERT_EQ(TIFFWriteScanline(t, row.data(), static_cast<std::uint32_t>(y), 0), 1);
    }
    TIFFClose(t);
  }
  auto img = load_image(path);
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_EQ(img->format(), PixelFormat::rgb8);
  EXPECT_EQ(img->width(), 6);
  EXPECT_EQ(img->row(3)[3 * 5 + 0], 255);
  EXPECT_EQ(img->row(3)[3 * 5 + 1], 200);
  EXPECT_EQ(img->row(3)[3 * 5 + 2], 0);
  EXPECT_EQ(img->icc_profile(), icc);
  EXPECT_EQ(img->dpi().v, 600);
}

TEST(LoadImage, HugePngHeaderIsRefusedBeforeDecoding) {
  Bytes png = kPngSig;
  png_chunk(png, "IHDR", ihdr(100000, 100000, 8, 2));  // correct CRC: only the size is wrong
  png_chunk(png, "IDAT", zcompress(Bytes(1000, 0)));
  png_chunk(png, "IEND", {});
  const auto path = write_file("huge.png", png);
  const auto t0 = std::chrono::steady_clock::now();
  auto img = load_image(path);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), Errc::limit_exceeded);
  EXPECT_EQ(img.error().where().file, path.string());
  EXPECT_NE(img.error().message().find("100000 x 100000"), std::string::npos) << img.error().message();
  EXPECT_FALSE(img.error().hint().empty());
  std::printf("refused in %lld ms\n", static_cast<long long>(ms));  // printed, not asserted
}

TEST(LoadImage, HugeJpegAndTiffHeadersAreRefused) {
  cv::Mat bgr(16, 16, CV_8UC3, cv::Scalar(9, 9, 9));
  Bytes jpeg = jpeg_bytes(bgr);
  // Patch the SOF0 frame size to 60000 x 60000.
  for (std::size_t i = 2; i + 9 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = 0xEA, jpeg[i + 6] = 0x60, jpeg[i + 7] = 0xEA, jpeg[i + 8] = 0x60;
      break;
    }
  }
  auto j = decode_image(jpeg.data(), jpeg.size(), "huge.jpg");
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code(), Errc::limit_exceeded);

  const Bytes tif = hand_tiff(100000, 100000, 10, 10);
  auto t = decode_image(tif.data(), tif.size(), "huge.tif");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::limit_exceeded) << t.error().to_string();
}

TEST(LoadImage, FileSizeLimit) {
  const auto path = write_file("small.png", make_png(4, 4, nullptr, 0));
  auto img = load_image(path, ImageLoadOptions{.max_file_bytes = 10});
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), Errc::limit_exceeded);
  auto px = load_image(path, ImageLoadOptions{.max_pixels = 15});
  ASSERT_FALSE(px);
  EXPECT_EQ(px.error().code(), Errc::limit_exceeded);
  EXPECT_TRUE(load_image(path, ImageLoadOptions{.max_pixels = 16}));
}

TEST(LoadImage, BadFilesGiveClearErrorsNamingTheFile) {
  struct Case {
    std::string name;
    Bytes bytes;
    Errc code;
    std::string says;
  };
  const Bytes png = make_png(16, 16, nullptr, 0);
  cv::Mat noise(32, 32, CV_8UC3);
  cv::RNG(7).fill(noise, cv::RNG::UNIFORM, 0, 255);  // own seed: independent of test order
  const Bytes jpeg = jpeg_bytes(noise);
  Bytes corrupt_png = png;
  // Garbage inside the IDAT data (CRCs no longer match; the structure is intact).
  for (std::size_t i = 8 + 25 + 8 + 2; i < 8 + 25 + 8 + 20; ++i) corrupt_png[i] ^= 0x5A;
  Bytes corrupt_jpeg = jpeg;
  corrupt_jpeg[2] = 0x00;  // the first marker after SOI
  const std::vector<Case> cases = {
      {"empty.png", {}, Errc::bad_image, "empty"},
      {"cut.png", Bytes(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(png.size() / 2)), Errc::bad_image,
       "truncated"},
      {"header_only.png", Bytes(png.begin(), png.begin() + 20), Errc::bad_image, "truncated"},
      {"corrupt.png", corrupt_png, Errc::bad_image, "corrupt"},
      {"cut.jpg", Bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() * 2 / 3)), Errc::bad_image,
       "truncated"},
      {"corrupt.jpg", corrupt_jpeg, Errc::bad_image, "corrupt"},
      {"text.png", Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}, Errc::bad_image,
       "not a PNG, JPEG or TIFF"},
      {"cut.tif", Bytes{'I', 'I', 42, 0, 8, 0, 0, 0, 7, 0}, Errc::bad_image, "TIFF"},
      {"short_strip.tif", hand_tiff(100, 100, 10000, 500), Errc::bad_image, "truncated"},
  };
  for (const auto& c : cases) {
    const auto path = write_file(c.name, c.bytes);
    auto img = load_image(path);
    ASSERT_FALSE(img) << c.name;
    EXPECT_EQ(img.error().code(), c.code) << c.name << ": " << img.error().to_string();
    EXPECT_EQ(img.error().where().file, path.string()) << c.name;
    EXPECT_NE(img.error().message().find(c.says), std::string::npos) << c.name << ": " << img.error().message();
    EXPECT_FALSE(img.error().hint().empty()) << c.name;
    EXPECT_NE(img.error().to_string().find(c.name), std::string::npos) << c.name;
  }
  auto missing = load_image(temp_dir() / "does_not_exist.png");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
  EXPECT_NE(missing.error().to_string().find("does_not_exist.png"), std::string::npos);
  auto dir = load_image(temp_dir());
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().code(), Errc::io);
}

TEST(LoadImage, TruncatedTiffStripIsReported) {
  const fs::path path = temp_dir() / "full.tif";
  {
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 64);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, 64);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
    std::vector<std::uint8_t> row(64, 100);
    for (std::uint32_t y = 0; y < 64; ++y) ASSERT_EQ(TIFFWriteScanline(t, row.data(), y, 0), 1);
    TIFFClose(t);
  }
  const Bytes full = read_file(path);
  auto ok = decode_image(full.data(), full.size(), "full.tif");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->format(), PixelFormat::gray8);
  EXPECT_EQ(ok->row(63)[63], 100);
  // libtiff writes the strip first and the directory after it: a file cut inside the strip has lost
  // its directory too.
  const Bytes cut(full.begin(), full.begin() + 8 + 1000);
  auto bad = decode_image(cut.data(), cut.size(), "cut.tif");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::bad_image);
}

TEST(LoadImage, DecodeMatchesLoad) {
  const Bytes png = make_png(5, 3, nullptr, 0);
  auto a = load_image(write_file("same.png", png));
  auto b = decode_image(png.data(), png.size(), "same.png");
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size_bytes(), b->size_bytes());
  EXPECT_EQ(std::memcmp(a->data(), b->data(), a->size_bytes()), 0);
}

TEST(LoadImage, SpecimenPhotoKeepsItsProfileWithoutDecoderNoise) {
  ::testing::internal::CaptureStderr();
  auto img = load_image(SDC_SOURCE_DIR "/assets/photos/astronaut.png");
  const std::string noise = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_EQ(img->width(), 512);
  EXPECT_EQ(img->format(), PixelFormat::rgb8);
  ASSERT_GE(img->icc_profile().size(), 128u);
  EXPECT_EQ(std::memcmp(img->icc_profile().data() + 16, "RGB ", 4), 0);
  EXPECT_EQ(noise, "");  // OpenCV's libpng would warn about the profile; it never sees the chunk
}

// Seeded mutations of valid files (bytes flipped, cut at random lengths, header fields
// overwritten): decode_image returns an image or a bad_image / limit_exceeded error, never crashes,
// never hangs. Run under ASan/UBSan in CI.
TEST(LoadImage, MutatedFilesNeverCrash) {
  cv::Mat noise(24, 32, CV_8UC3);
  cv::RNG(7).fill(noise, cv::RNG::UNIFORM, 0, 255);  // own seed: independent of test order
  std::vector<std::uint8_t> png_buf;
  ASSERT_TRUE(cv::imencode(".png", noise, png_buf));
  const Bytes icc = icc_file();
  const Bytes jpeg =
      with_segment(jpeg_bytes(noise), 0xE2, icc_app2(icc, 0, std::min<std::size_t>(icc.size(), 3000), 1, 1));
  const Bytes tiff = hand_tiff(40, 30, 1200, 1200);
  const std::vector<Bytes> seeds = {png_buf, make_png(9, 7, &icc, 3780), jpeg, tiff};
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;  // fixed LCG: the same mutations on every run
    return state >> 8;
  };
  int decoded = 0, refused = 0;
  ::testing::internal::CaptureStderr();  // OpenCV's decoders print warnings for corrupt data
  for (const Bytes& seed : seeds) {
    for (int i = 0; i < 150; ++i) {
      Bytes b = seed;
      switch (i % 3) {
        case 0:
          for (int k = 0; k < 1 + static_cast<int>(next() % 4); ++k)
            b[next() % b.size()] ^= static_cast<std::uint8_t>(1 + next() % 255);
          break;
        case 1: b.resize(1 + next() % b.size()); break;
        case 2: {  // hit the header, where sizes and lengths live
          const std::size_t at = next() % std::min<std::size_t>(b.size(), 64);
          b[at] = static_cast<std::uint8_t>(next() % 2 ? 0xFF : next());
          break;
        }
      }
      auto img = decode_image(b.data(), b.size(), "mutant", ImageLoadOptions{.max_pixels = 4'000'000});
      if (img) {
        ++decoded;
        EXPECT_GT(img->width(), 0);
        EXPECT_LE(static_cast<std::int64_t>(img->width()) * img->height(), 4'000'000);
      } else {
        ++refused;
        EXPECT_TRUE(img.error().code() == Errc::bad_image || img.error().code() == Errc::limit_exceeded)
            << img.error().to_string();
        EXPECT_EQ(img.error().where().file, "mutant");
      }
    }
  }
  ::testing::internal::GetCapturedStderr();
  std::printf("mutants: %d decoded, %d refused\n", decoded, refused);
  EXPECT_GT(refused, 100);
}
