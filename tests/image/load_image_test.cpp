// load_image / decode_image: formats, channel order, bit depth, ICC profiles, resolution, EXIF
// orientation, limits checked from the header, and bad files. Fixtures are written at test time:
// PNGs chunk by chunk with zlib (independent of the libpng reader), TIFFs with libtiff, JPEGs with
// libjpeg-turbo's encoder (jpeg_test_support.hpp) and then edited marker by marker.
#include <gtest/gtest.h>
#include <sdc/image.hpp>

#include "jpeg_test_support.hpp"

#include <tiffio.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
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

// A PNG of any depth and colour type from unfiltered rows (each without its filter byte).
Bytes raw_png(int w, int h, int depth, int colour_type, const Bytes& rows, const Bytes* plte = nullptr) {
  Bytes png = kPngSig;
  png_chunk(png, "IHDR", ihdr(static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h), depth, colour_type));
  if (plte != nullptr) png_chunk(png, "PLTE", *plte);
  const std::size_t stride = rows.size() / static_cast<std::size_t>(h);
  Bytes raw;
  for (int y = 0; y < h; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), rows.begin() + static_cast<std::ptrdiff_t>(y * stride),
               rows.begin() + static_cast<std::ptrdiff_t>((y + 1) * stride));
  }
  png_chunk(png, "IDAT", zcompress(raw));
  png_chunk(png, "IEND", {});
  return png;
}

// rgb8 noise from a fixed LCG: the same pixels on every run.
Image noise_rgb(int w, int h, std::uint32_t seed) {
  Image img(w, h, PixelFormat::rgb8);
  for (std::size_t i = 0; i < img.size_bytes(); ++i) {
    seed = seed * 1664525u + 1013904223u;
    img.data()[i] = static_cast<std::uint8_t>(seed >> 24);
  }
  return img;
}

Image solid_rgb(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  Image img(w, h, PixelFormat::rgb8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      img.row(y)[3 * x] = r;
      img.row(y)[3 * x + 1] = g;
      img.row(y)[3 * x + 2] = b;
    }
  return img;
}

Bytes png_of(const Image& img) {
  const int ct = img.format() == PixelFormat::gray8 ? 0 : img.format() == PixelFormat::rgb8 ? 2 : 6;
  return raw_png(img.width(), img.height(), 8, ct, Bytes(img.data(), img.data() + img.size_bytes()));
}

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

Bytes jpeg_bytes(const Image& img) {
  return test::encode_jpeg(img.view(), 100);
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
  // Sized once and copied into (GCC 12 at -O2 reports a false -Warray-bounds on inserting after a
  // braced list).
  const std::string_view tag("ICC_PROFILE\0", 12);
  Bytes p(tag.size() + 2 + (to - from));
  std::copy(tag.begin(), tag.end(), p.begin());
  p[tag.size()] = static_cast<std::uint8_t>(seq);
  p[tag.size() + 1] = static_cast<std::uint8_t>(count);
  std::copy(icc.begin() + static_cast<std::ptrdiff_t>(from), icc.begin() + static_cast<std::ptrdiff_t>(to),
            p.begin() + static_cast<std::ptrdiff_t>(tag.size() + 2));
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
  const Bytes grey = raw_png(7, 5, 8, 0, Bytes(35, 77));
  auto g = decode_image(grey.data(), grey.size(), "grey.png");
  ASSERT_TRUE(g) << g.error().to_string();
  EXPECT_EQ(g->format(), PixelFormat::gray8);
  EXPECT_EQ(g->row(4)[6], 77);

  Bytes ga_rows;
  for (int i = 0; i < 9; ++i) ga_rows.insert(ga_rows.end(), {90, 40});  // grey 90, alpha 40
  const Bytes ga = raw_png(3, 3, 8, 4, ga_rows);
  auto a = decode_image(ga.data(), ga.size(), "grey_alpha.png");
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_EQ(a->format(), PixelFormat::rgba8);
  EXPECT_EQ(a->row(1)[0], 90);
  EXPECT_EQ(a->row(1)[2], 90);
  EXPECT_EQ(a->row(1)[3], 40);

  Bytes rgba_rows;
  for (int i = 0; i < 9; ++i) rgba_rows.insert(rgba_rows.end(), {30, 20, 10, 40});
  const Bytes rgba = raw_png(3, 3, 8, 6, rgba_rows);
  auto c = decode_image(rgba.data(), rgba.size(), "alpha.png");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->format(), PixelFormat::rgba8);
  EXPECT_EQ(c->row(2)[4], 30);
  EXPECT_EQ(c->row(2)[6], 10);
  EXPECT_EQ(c->row(2)[7], 40);

  Bytes deep_rows;  // big-endian 16-bit R, G, B = 65535, 32896, 0
  for (int i = 0; i < 4; ++i) deep_rows.insert(deep_rows.end(), {0xFF, 0xFF, 0x80, 0x80, 0, 0});
  const Bytes deep = raw_png(2, 2, 16, 2, deep_rows);
  auto d = decode_image(deep.data(), deep.size(), "deep.png");
  ASSERT_TRUE(d) << d.error().to_string();
  ASSERT_EQ(d->format(), PixelFormat::rgb8);
  EXPECT_EQ(d->row(0)[0], 255);  // R = 65535
  EXPECT_EQ(d->row(0)[1], 128);  // G = 32896 = 128 * 257
  EXPECT_EQ(d->row(0)[2], 0);
}

TEST(LoadImage, PalettePngIsExpandedToRgb) {
  const Bytes plte = {255, 0, 0, 0, 0, 255};
  const Bytes png = raw_png(4, 2, 8, 3, {0, 1, 0, 1, 1, 1, 0, 0}, &plte);
  auto img = decode_image(png.data(), png.size(), "palette.png");
  ASSERT_TRUE(img) << img.error().to_string();
  ASSERT_EQ(img->format(), PixelFormat::rgb8);
  EXPECT_EQ(img->row(0)[0], 255);      // index 0: red
  EXPECT_EQ(img->row(0)[3 + 2], 255);  // index 1: blue
  EXPECT_EQ(img->row(1)[0 + 2], 255);
}

TEST(LoadImage, JpegKeepsChunkedIccProfileDensityAndOrientation) {
  const Bytes icc = icc_file();
  ASSERT_GT(icc.size(), 200u);
  Bytes jpeg = jpeg_bytes(solid_rgb(40, 20, 255, 0, 0));  // red
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
  const Bytes jpeg = with_segment(jpeg_bytes(solid_rgb(8, 8, 3, 2, 1)), 0xE2, icc_app2(icc, 0, icc.size() / 2, 1, 2));
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
  Bytes jpeg = jpeg_bytes(solid_rgb(16, 16, 9, 9, 9));
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
  const Bytes jpeg = jpeg_bytes(noise_rgb(32, 32, 7));
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
      // Formats sdc does not read are named (an iPhone's HEIC photo is the one an officer meets).
      {"IMG_0001.HEIC", Bytes{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1'},
       Errc::bad_image, "is a HEIC (HEIF) image"},
      {"photo.webp", Bytes{'R', 'I', 'F', 'F', 40, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '}, Errc::bad_image,
       "is a WebP image"},
      {"scan.pdf", Bytes{'%', 'P', 'D', 'F', '-', '1', '.', '7', '\n'}, Errc::bad_image, "is a PDF document"},
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
  auto img = load_image(SDC_SOURCE_DIR "/assets/records/photos/astronaut.png");
  const std::string noise = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(img) << img.error().to_string();
  EXPECT_EQ(img->width(), 512);
  EXPECT_EQ(img->format(), PixelFormat::rgb8);
  ASSERT_GE(img->icc_profile().size(), 128u);
  EXPECT_EQ(std::memcmp(img->icc_profile().data() + 16, "RGB ", 4), 0);
  EXPECT_EQ(noise, "");  // libpng's warnings about the slightly-off sRGB profile are not printed
}

// Seeded mutations of valid files (bytes flipped, cut at random lengths, header fields
// overwritten): decode_image returns an image or a bad_image / limit_exceeded error, never crashes,
// never hangs. Run under ASan/UBSan in CI.
TEST(LoadImage, MutatedFilesNeverCrash) {
  const Image noise = noise_rgb(32, 24, 7);
  const Bytes png_buf = png_of(noise);
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
  ::testing::internal::CaptureStderr();
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
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");  // no library prints its own message
  std::printf("mutants: %d decoded, %d refused\n", decoded, refused);
  EXPECT_GT(refused, 100);
}

namespace {

// Exif APP1 payload with IFD0 holding only Orientation = o.
Bytes exif_orientation(int o) {
  return {'E', 'x',  'i',  'f', 0,
          0,   'I',  'I',  42,  0,
          8,   0,    0,    0,   1,
          0,   0x12, 0x01, 3,   0,
          1,   0,    0,    0,   static_cast<std::uint8_t>(o),
          0,   0,    0,    0,   0,
          0,   0};
}

// Writes a TIFF with libtiff; `fill` writes the pixel data.
template <typename Fill>
Bytes libtiff_file(const std::string& name, Fill fill) {
  const fs::path path = temp_dir() / name;
  TIFF* t = TIFFOpen(path.c_str(), "w");
  EXPECT_NE(t, nullptr);
  if (t == nullptr) return {};
  fill(t);
  TIFFClose(t);
  return read_file(path);
}

void tiff_basics(TIFF* t, int w, int h, int spp, int bps, int photometric) {
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bps);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, photometric);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
}

}  // namespace

// A 3 x 2 image with a distinct colour per pixel, stored under each EXIF orientation: after loading,
// the pixel that was at stored (x, y) is where EXIF 2.32 says the viewer shows it.
TEST(LoadImage, JpegExifOrientationsOneToEight) {
  // Blocks of 16 x 16 pixels so JPEG compression keeps each block's colour.
  const int bw = 3, bh = 2, s = 16;
  const std::uint8_t colours[6][3] = {{255, 0, 0},   {0, 255, 0},   {0, 0, 255},
                                      {255, 255, 0}, {0, 255, 255}, {255, 0, 255}};
  Image stored(bw * s, bh * s, PixelFormat::rgb8);
  for (int y = 0; y < bh * s; ++y)
    for (int x = 0; x < bw * s; ++x) std::memcpy(stored.row(y) + 3 * x, colours[(y / s) * bw + x / s], 3);
  const Bytes jpeg = jpeg_bytes(stored);
  for (int o = 1; o <= 8; ++o) {
    const Bytes file = with_segment(jpeg, 0xE1, exif_orientation(o));
    auto img = decode_image(file.data(), file.size(), "o" + std::to_string(o) + ".jpg");
    ASSERT_TRUE(img) << o << ": " << img.error().to_string();
    const bool swap = o >= 5;
    ASSERT_EQ(img->width(), (swap ? bh : bw) * s) << o;
    ASSERT_EQ(img->height(), (swap ? bw : bh) * s) << o;
    const int ow = img->width() / s, oh = img->height() / s;
    for (int y = 0; y < bh; ++y) {
      for (int x = 0; x < bw; ++x) {
        int dx = x, dy = y;  // display block of stored block (x, y)
        switch (o) {
          case 2: dx = bw - 1 - x; break;
          case 3: dx = bw - 1 - x, dy = bh - 1 - y; break;
          case 4: dy = bh - 1 - y; break;
          case 5: dx = y, dy = x; break;
          case 6: dx = ow - 1 - y, dy = x; break;
          case 7: dx = ow - 1 - y, dy = oh - 1 - x; break;
          case 8: dx = y, dy = oh - 1 - x; break;
          default: break;
        }
        const std::uint8_t* p = img->row(dy * s + s / 2) + 3 * (dx * s + s / 2);
        for (int c = 0; c < 3; ++c)
          EXPECT_NEAR(p[c], colours[y * bw + x][c], 12) << "orientation " << o << " block " << x << "," << y;
      }
    }
  }
}

TEST(LoadImage, GreyAndCmykJpegs) {
  Image grey(8, 8, PixelFormat::gray8);
  std::memset(grey.data(), 120, grey.size_bytes());
  const Bytes g = test::encode_jpeg(grey.view(), 100);
  auto gi = decode_image(g.data(), g.size(), "grey.jpg");
  ASSERT_TRUE(gi) << gi.error().to_string();
  EXPECT_EQ(gi->format(), PixelFormat::gray8);
  EXPECT_NEAR(gi->row(3)[3], 120, 1);

  Image cmyk(8, 8, PixelFormat::cmyk8);  // 100 % cyan, no black: RGB (0, 255, 255)
  for (std::size_t i = 0; i < cmyk.size_bytes(); i += 4) cmyk.data()[i] = 255;
  const Bytes c = test::encode_jpeg(cmyk.view(), 100);
  auto ci = decode_image(c.data(), c.size(), "cmyk.jpg");
  ASSERT_TRUE(ci) << ci.error().to_string();
  EXPECT_EQ(ci->format(), PixelFormat::rgb8);
  EXPECT_LT(ci->row(4)[12], 8);
  EXPECT_GT(ci->row(4)[13], 247);
  EXPECT_GT(ci->row(4)[14], 247);
}

// libjpeg's own handler prints to stderr and calls exit(): sdc's routes the message into the Error.
TEST(LoadImage, CorruptJpegDataIsAnErrorNotAMessage) {
  Bytes jpeg = jpeg_bytes(noise_rgb(64, 64, 3));
  // Overwrite the Huffman table class/id byte of the first DHT with an invalid value.
  for (std::size_t i = 2; i + 4 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4) {
      jpeg[i + 4] = 0x3F;
      break;
    }
  }
  ::testing::internal::CaptureStderr();
  auto img = decode_image(jpeg.data(), jpeg.size(), "bad_table.jpg");
  const std::string printed = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(img);
  EXPECT_EQ(img.error().code(), Errc::bad_image);
  EXPECT_NE(img.error().message().find("corrupt"), std::string::npos) << img.error().message();
  EXPECT_NE(img.error().to_string().find("bad_table.jpg"), std::string::npos);
  EXPECT_EQ(printed, "");
}

TEST(LoadImage, FloatCmykAndAlphaTiffs) {
  const Bytes fl = libtiff_file("float.tif", [](TIFF* t) {
    tiff_basics(t, 4, 2, 1, 32, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 2);
    const float row[4] = {0.0f, 0.5f, 1.0f, 7.0f};  // 7 saturates
    for (std::uint32_t y = 0; y < 2; ++y) TIFFWriteScanline(t, const_cast<float*>(row), y, 0);
  });
  auto f = decode_image(fl.data(), fl.size(), "float.tif");
  ASSERT_TRUE(f) << f.error().to_string();
  ASSERT_EQ(f->format(), PixelFormat::gray8);
  EXPECT_EQ(f->row(1)[0], 0);
  EXPECT_EQ(f->row(1)[1], 128);
  EXPECT_EQ(f->row(1)[2], 255);
  EXPECT_EQ(f->row(1)[3], 255);

  const Bytes cm = libtiff_file("cmyk.tif", [](TIFF* t) {
    tiff_basics(t, 2, 1, 4, 8, PHOTOMETRIC_SEPARATED);
    TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
    const std::uint8_t row[8] = {255, 0, 0, 0, 0, 0, 0, 255};  // cyan; black
    TIFFWriteScanline(t, const_cast<std::uint8_t*>(row), 0, 0);
  });
  auto c = decode_image(cm.data(), cm.size(), "cmyk.tif");
  ASSERT_TRUE(c) << c.error().to_string();
  ASSERT_EQ(c->format(), PixelFormat::rgb8);
  const Bytes px(c->data(), c->data() + 6);
  EXPECT_EQ(px, (Bytes{0, 255, 255, 0, 0, 0}));

  const Bytes al = libtiff_file("alpha.tif", [](TIFF* t) {
    tiff_basics(t, 1, 1, 4, 16, PHOTOMETRIC_RGB);
    const std::uint16_t extra = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &extra);
    const std::uint16_t row[4] = {65535, 0, 257 * 100, 257 * 40};
    TIFFWriteScanline(t, const_cast<std::uint16_t*>(row), 0, 0);
  });
  auto a = decode_image(al.data(), al.size(), "alpha.tif");
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_EQ(a->format(), PixelFormat::rgba8);
  EXPECT_EQ(Bytes(a->data(), a->data() + 4), (Bytes{255, 0, 100, 40}));
}

// Layouts read through TIFFRGBAImage (palette) and through tiles.
TEST(LoadImage, PaletteAndTiledTiffs) {
  const Bytes pal = libtiff_file("palette.tif", [](TIFF* t) {
    tiff_basics(t, 2, 1, 1, 8, PHOTOMETRIC_PALETTE);
    std::vector<std::uint16_t> r(256, 0), g(256, 0), b(256, 0);
    r[1] = 65535;
    b[2] = 65535;
    TIFFSetField(t, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
    const std::uint8_t row[2] = {1, 2};
    TIFFWriteScanline(t, const_cast<std::uint8_t*>(row), 0, 0);
  });
  auto p = decode_image(pal.data(), pal.size(), "palette.tif");
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->format(), PixelFormat::rgb8);
  EXPECT_EQ(Bytes(p->data(), p->data() + 6), (Bytes{255, 0, 0, 0, 0, 255}));

  const Bytes tiled = libtiff_file("tiled.tif", [](TIFF* t) {
    tiff_basics(t, 40, 20, 3, 8, PHOTOMETRIC_RGB);
    TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
    TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
    std::vector<std::uint8_t> tile(16 * 16 * 3);
    for (std::uint32_t ty = 0; ty < 20; ty += 16)
      for (std::uint32_t tx = 0; tx < 40; tx += 16) {
        for (std::uint32_t y = 0; y < 16; ++y)
          for (std::uint32_t x = 0; x < 16; ++x) {
            tile[(y * 16 + x) * 3] = static_cast<std::uint8_t>(tx + x);
            tile[(y * 16 + x) * 3 + 1] = static_cast<std::uint8_t>(ty + y);
            tile[(y * 16 + x) * 3 + 2] = 7;
          }
        TIFFWriteTile(t, tile.data(), tx, ty, 0, 0);
      }
  });
  auto ti = decode_image(tiled.data(), tiled.size(), "tiled.tif");
  ASSERT_TRUE(ti) << ti.error().to_string();
  EXPECT_EQ(ti->row(19)[3 * 39], 39);
  EXPECT_EQ(ti->row(19)[3 * 39 + 1], 19);
  EXPECT_EQ(ti->row(5)[3 * 17 + 2], 7);
}

// IFD0's "next IFD" pointing back at itself: only the first image is read, without looping.
TEST(LoadImage, TiffWithIfdLoopLoadsTheFirstImage) {
  Bytes tif = hand_tiff(10, 10, 100, 100);
  const std::size_t next = 8 + 2 + 7 * 12;  // the next-IFD offset after the 7 entries
  tif[next] = 8;
  auto img = decode_image(tif.data(), tif.size(), "loop.tif");
  if (img) {
    EXPECT_EQ(img->width(), 10);
  } else {
    EXPECT_EQ(img.error().code(), Errc::bad_image) << img.error().to_string();
  }
}
