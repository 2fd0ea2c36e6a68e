// Every writer's output is read back with its own library (libpng, libtiff, poppler's tools).
#include <gtest/gtest.h>
#include <png.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tiffio.h>
#include <unistd.h>
#include <sdc/color.hpp>
#include <sdc/export.hpp>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "color/print_support.hpp"
#include "core/atomic_file.hpp"
#include "export/tiff_stream.hpp"

namespace sdc {
namespace {

// ---- helpers ----

struct PngInfo {
  int width = 0, height = 0, bit_depth = 0, color_type = 0;
  std::vector<std::vector<std::uint8_t>> rows;  // unpacked to 8 bits per sample
};

bool read_png_from(std::FILE* f, PngInfo& info) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop pi = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &pi, nullptr);
    return false;
  }
  png_init_io(png, f);
  png_read_info(png, pi);
  info.width = static_cast<int>(png_get_image_width(png, pi));
  info.height = static_cast<int>(png_get_image_height(png, pi));
  info.bit_depth = png_get_bit_depth(png, pi);
  info.color_type = png_get_color_type(png, pi);
  if (info.bit_depth < 8) png_set_packing(png);  // one byte per pixel, values 0/1
  png_read_update_info(png, pi);
  const auto rowbytes = png_get_rowbytes(png, pi);
  info.rows.assign(static_cast<std::size_t>(info.height), std::vector<std::uint8_t>(rowbytes));
  for (auto& r : info.rows) png_read_row(png, r.data(), nullptr);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &pi, nullptr);
  return true;
}

PngInfo read_png(const std::filesystem::path& path) {
  PngInfo info;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return info;
  if (!read_png_from(f, info)) info = PngInfo{};
  std::fclose(f);
  return info;
}

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

const ColorTransform& transform() {
  static const ColorTransform t = ColorTransform::create().value();
  return t;
}

const Planes& specimen_planes(Side side, int dpi) {
  static std::map<std::pair<int, int>, Planes> cache;
  auto key = std::make_pair(static_cast<int>(side), dpi);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const auto& s = test::specimen();
    it = cache.emplace(key, s.renderer.render(s.card, side, {Dpi{dpi}}).value()).first;
  }
  return it->second;
}

Image cmyk_gradient(int w, int h, int seed) {
  Image im(w, h, PixelFormat::cmyk8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 4; ++c) im.row(y)[4 * x + c] = static_cast<std::uint8_t>((x * (c + 1) + y * 3 + seed) & 255);
  return im;
}

// ---- PNG ----

TEST(WritePng, ReadsBackWithLibpng) {
  const auto dir = test::fresh_dir("png");
  Image im(37, 21, PixelFormat::rgb8);
  for (int y = 0; y < 21; ++y)
    for (int x = 0; x < 37 * 3; ++x) im.row(y)[x] = static_cast<std::uint8_t>(x * 7 + y);
  ASSERT_TRUE(write_png(im.view(), dir / "a.png", {.dpi = Dpi{300}}));
  const auto r = read_png(dir / "a.png");
  ASSERT_EQ(r.width, 37);
  ASSERT_EQ(r.height, 21);
  EXPECT_EQ(r.color_type, PNG_COLOR_TYPE_RGB);
  for (int y = 0; y < 21; ++y) EXPECT_EQ(std::memcmp(r.rows[static_cast<std::size_t>(y)].data(), im.row(y), 37 * 3), 0);
  EXPECT_FALSE(write_png(Image(4, 4, PixelFormat::cmyk8).view(), dir / "b.png"));
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"a.png"});
  std::filesystem::remove_all(dir);
}

// ---- atomic writes ----

TEST(AtomicWrite, FailingWriterLeavesNeitherFinalNorTemporaryFile) {
  const auto dir = test::fresh_dir("atomic");
  const auto path = dir / "out.tif";
  auto st = detail::write_atomically(path, [](std::FILE* f) -> Status {
    std::fputs("half a file", f);
    return Error(Errc::io, "simulated disk full.", "");
  });
  EXPECT_FALSE(st);
  EXPECT_TRUE(files_in(dir).empty());
  auto st2 = detail::write_atomically_named(path, [](const std::filesystem::path& tmp) -> Status {
    std::ofstream(tmp) << "partial";
    return Error(Errc::io, "simulated crash.", "");
  });
  EXPECT_FALSE(st2);
  EXPECT_TRUE(files_in(dir).empty());
  // An existing file is kept as it was when the replacement fails.
  ASSERT_TRUE(write_file_atomic(path, std::vector<std::uint8_t>{1, 2, 3}));
  const Image bad(3, 3, PixelFormat::rgb8);
  const ImageView pages[] = {bad.view()};
  EXPECT_FALSE(write_cmyk_tiff(pages, path));
  EXPECT_EQ(test::read_bytes(path), (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"out.tif"});
  // A missing folder is an io error naming the path.
  auto st3 = write_cmyk_tiff(pages, dir / "missing" / "x.tif");
  EXPECT_FALSE(st3);
  std::filesystem::remove_all(dir);
}

// ---- CMYK TIFF ----

void check_tiff_page(TIFF* t, const Image& want, int dpi, const std::vector<std::uint8_t>& icc, const char* name,
                     std::uint16_t compression) {
  std::uint32_t w = 0, h = 0;
  std::uint16_t bps = 0, spp = 0, photo = 0, inkset = 0, comp = 0, unit = 0;
  float xres = 0, yres = 0;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetField(t, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetField(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
  TIFFGetField(t, TIFFTAG_INKSET, &inkset);
  TIFFGetField(t, TIFFTAG_COMPRESSION, &comp);
  TIFFGetField(t, TIFFTAG_RESOLUTIONUNIT, &unit);
  TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres);
  TIFFGetField(t, TIFFTAG_YRESOLUTION, &yres);
  EXPECT_EQ(static_cast<int>(w), want.width());
  EXPECT_EQ(static_cast<int>(h), want.height());
  EXPECT_EQ(bps, 8);
  EXPECT_EQ(spp, 4);
  EXPECT_EQ(photo, PHOTOMETRIC_SEPARATED);
  EXPECT_EQ(inkset, INKSET_CMYK);
  EXPECT_EQ(comp, compression);
  EXPECT_EQ(unit, RESUNIT_INCH);
  EXPECT_FLOAT_EQ(xres, static_cast<float>(dpi));
  EXPECT_FLOAT_EQ(yres, static_cast<float>(dpi));
  std::uint32_t icc_len = 0;
  void* icc_data = nullptr;
  ASSERT_TRUE(TIFFGetField(t, TIFFTAG_ICCPROFILE, &icc_len, &icc_data));
  ASSERT_EQ(icc_len, icc.size());
  EXPECT_EQ(std::memcmp(icc_data, icc.data(), icc.size()), 0);
  char* page_name = nullptr;
  ASSERT_TRUE(TIFFGetField(t, TIFFTAG_PAGENAME, &page_name));
  EXPECT_STREQ(page_name, name);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(TIFFScanlineSize(t)));
  for (std::uint32_t y = 0; y < h; ++y) {
    ASSERT_EQ(TIFFReadScanline(t, row.data(), y, 0), 1);
    ASSERT_EQ(std::memcmp(row.data(), want.row(static_cast<int>(y)), row.size()), 0) << "row " << y;
  }
}

TEST(WriteCmykTiff, TwoPagesWithProfileReadBackWithLibtiff) {
  const auto dir = test::fresh_dir("tiff");
  const Image front = cmyk_gradient(301, 190, 0), back = cmyk_gradient(301, 190, 77);
  const ImageView pages[] = {front.view(), back.view()};
  const auto& icc = transform().output_profile();
  for (auto comp : {TiffCompression::deflate, TiffCompression::none}) {
    const auto path = dir / (comp == TiffCompression::deflate ? "card-deflate.tif" : "card-none.tif");
    ASSERT_TRUE(write_cmyk_tiff(pages, path,
                                {.dpi = Dpi{600},
                                 .icc_profile = icc,
                                 .compression = comp,
                                 .page_names = {"front", "back"},
                                 .rows_per_strip = 16}));
    TIFF* t = TIFFOpen(path.c_str(), "r");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(TIFFNumberOfDirectories(t), 2);
    const std::uint16_t c = comp == TiffCompression::deflate ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_NONE;
    check_tiff_page(t, front, 600, icc, "front", c);
    ASSERT_TRUE(TIFFReadDirectory(t));
    check_tiff_page(t, back, 600, icc, "back", c);
    TIFFClose(t);
  }
  // tiffinfo, a tool no one here wrote, sees the same.
  const auto info = test::command_output("tiffinfo " + (dir / "card-deflate.tif").string() + " 2>&1");
  EXPECT_NE(info.find("Photometric Interpretation: separated"), std::string::npos) << info;
  EXPECT_NE(info.find("InkSet: 1"), std::string::npos) << info;
  EXPECT_NE(info.find("ICC Profile: <present>, " + std::to_string(icc.size()) + " bytes"), std::string::npos) << info;
  EXPECT_NE(info.find("Resolution: 600, 600 pixels/inch"), std::string::npos) << info;
  EXPECT_EQ(test::read_bytes(dir / "card-deflate.tif").size() < test::read_bytes(dir / "card-none.tif").size(), true);
  std::filesystem::remove_all(dir);
}

// An uncompressed page goes to libtiff a strip at a time: the bytes are those of writing it row by
// row, for packed rows (the strips as given), rows with padding between them (row by row), a last
// strip shorter than the others, and deflate.
TEST(WriteCmykTiff, WholeStripsGiveTheBytesOfRowByRow) {
  const Image front = cmyk_gradient(301, 190, 0), wide = cmyk_gradient(310, 190, 77);
  const ImageView padded(wide.view().row(0), 301, 190, PixelFormat::cmyk8, wide.view().row(1) - wide.view().row(0));
  const auto& icc = transform().output_profile();
  for (auto comp : {TiffCompression::none, TiffCompression::deflate}) {
    const CmykTiffOptions o{.dpi = Dpi{300},
                            .icc_profile = icc,
                            .compression = comp,
                            .page_names = {"front", "back"},
                            .rows_per_strip = 16};
    const ImageView pages[] = {front.view(), padded};
    std::vector<std::uint8_t> by_rows;
    {
      auto st = detail::CmykTiffStream::open_memory(by_rows);
      ASSERT_TRUE(st);
      for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE((*st)->begin_page(301, 190, o, i, 2, o.page_names[static_cast<std::size_t>(i)]));
        for (int y = 0; y < 190; ++y) ASSERT_TRUE((*st)->write_row(pages[i].row(y)));
        ASSERT_TRUE((*st)->end_page());
      }
      ASSERT_TRUE((*st)->close());
    }
    const auto at_once = encode_cmyk_tiff(pages, o);
    ASSERT_TRUE(at_once);
    EXPECT_EQ(*at_once, by_rows) << (comp == TiffCompression::none ? "none" : "deflate");
  }
}

TEST(WriteCmykTiff, SpecimenSeparationRoundTripsThroughTheEmbeddedProfile) {
  const auto dir = test::fresh_dir("tiff-specimen");
  auto cmyk = separate(specimen_planes(Side::front, 300), transform()).value();
  const ImageView pages[] = {cmyk.view()};
  const auto path = dir / "front.tif";
  ASSERT_TRUE(write_cmyk_tiff(pages, path, {.dpi = Dpi{300}, .icc_profile = transform().output_profile()}));
  // Read the profile back out of the file and use it with lcms2-based ColorTransform.
  TIFF* t = TIFFOpen(path.c_str(), "r");
  ASSERT_NE(t, nullptr);
  std::uint32_t len = 0;
  void* data = nullptr;
  ASSERT_TRUE(TIFFGetField(t, TIFFTAG_ICCPROFILE, &len, &data));
  const auto icc_path = dir / "embedded.icc";
  std::ofstream(icc_path, std::ios::binary).write(static_cast<const char*>(data), len);
  TIFFClose(t);
  auto again = ColorTransform::create({.output_profile = icc_path});
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->output_profile_description(), transform().output_profile_description());
  std::filesystem::remove_all(dir);
}

// ---- panels ----

TEST(Panels, ShippedPrinterProfilesLoad) {
  const auto ids = printer_profile_ids(Resources::at(SDC_SOURCE_DIR));
  EXPECT_EQ(ids, (std::vector<std::string>{"evolis-style-300", "retransfer-600", "zebra-zc-style-300"}));
  auto e = find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR));
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->width_px, 1016);
  EXPECT_EQ(e->height_px, 648);
  EXPECT_EQ(e->dpi, Dpi{300});
  EXPECT_EQ(e->ribbons.front(), Ribbon::ymcko);
  auto z = find_printer_profile("zebra-zc-style-300", Resources::at(SDC_SOURCE_DIR));
  ASSERT_TRUE(z);
  EXPECT_EQ(z->width_px, 1006);
  EXPECT_EQ(z->height_px, 640);
  auto r = find_printer_profile("retransfer-600", Resources::at(SDC_SOURCE_DIR));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->retransfer);
  EXPECT_TRUE(r->mirror);
  EXPECT_EQ(r->dpi, Dpi{600});
  auto none = find_printer_profile("no-such-printer", Resources::at(SDC_SOURCE_DIR));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().hint().find("evolis-style-300"), std::string::npos);
}

TEST(Panels, BadPrinterProfileNamesTheJsonPath) {
  const auto dir = test::fresh_dir("printer");
  const auto path = dir / "p.json";
  std::ofstream(path) << R"({"dpi": 300, "raster": {"width": 1016, "height": -5}, "ribbons": ["YMCKO"]})";
  auto p = load_printer_profile(path);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().where().json_path, "/raster/height");
  std::ofstream(path) << R"({"dpi": 300, "raster": {"width": 10, "height": 5}, "ribbons": ["RGB"]})";
  auto q = load_printer_profile(path);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().where().json_path, "/ribbons/0");
  std::filesystem::remove_all(dir);
}

TEST(Panels, EvolisPanelsMatchThePlanes) {
  const auto pr = find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR)).value();
  const Planes& p = specimen_planes(Side::front, 300);
  auto sp = make_panels(p, pr);
  ASSERT_TRUE(sp) << sp.error().to_string();
  for (const Image* im : {&sp->ymc, &sp->k, &sp->overlay}) {
    EXPECT_EQ(im->width(), 1016);
    EXPECT_EQ(im->height(), 648);
  }
  auto uses = [](const Image& im) {
    for (std::size_t i = 0; i < im.size_bytes(); ++i)
      if (im.data()[i]) return true;
    return false;
  };
  // The specimen uses UV ink, so the YMCFKO ribbon is chosen and there is an F panel.
  const bool has_uv = uses(p.uv), has_overlay = uses(p.overlay);
  EXPECT_EQ(sp->uv.empty(), !has_uv);
  const int dx = p.trim.x - pr.origin_x_px, dy = p.trim.y - pr.origin_y_px;
  long k_on = 0;
  for (int j = 0; j < 648; ++j)
    for (int i = 0; i < 1016; ++i) {
      const int x = i + dx, y = j + dy;
      const bool inside = x >= 0 && y >= 0 && x < p.k.width() && y < p.k.height();
      const std::uint8_t kv = inside ? p.k.row(y)[x] : 0;
      const std::uint8_t kp = sp->k.row(j)[i];
      ASSERT_EQ(kp, kv >= 128 ? 255 : 0) << i << "," << j;
      k_on += kp != 0;
      const std::uint8_t* c = sp->ymc.row(j) + 3 * i;
      if (kp) {
        ASSERT_TRUE(c[0] == 255 && c[1] == 255 && c[2] == 255) << "dye under resin at " << i << "," << j;
      } else if (inside) {
        ASSERT_EQ(std::memcmp(c, p.process.row(y) + 3 * x, 3), 0) << i << "," << j;
      }
      const std::uint8_t ov = inside ? p.overlay.row(y)[x] : 0;
      ASSERT_EQ(sp->overlay.row(j)[i], has_overlay ? (ov >= 128 ? 255 : 0) : 255)
          << "overlay items give holes; without them the whole card is varnished";
      if (has_uv) {
        const std::uint8_t uv = inside ? p.uv.row(y)[x] : 0;
        ASSERT_EQ(sp->uv.row(j)[i], uv >= 128 ? 255 : 0);
      }
    }
  EXPECT_GT(k_on, 1000);
}

TEST(Panels, RetransferIsMirroredAndResampledTo600) {
  const auto pr = find_printer_profile("retransfer-600", Resources::at(SDC_SOURCE_DIR)).value();
  auto unmirrored = pr;
  unmirrored.mirror = false;
  const Planes& p = specimen_planes(Side::front, 600);
  auto m = make_panels(p, pr).value();
  auto u = make_panels(p, unmirrored).value();
  ASSERT_EQ(m.k.width(), 2048);
  ASSERT_EQ(m.k.height(), 1300);
  for (int j = 0; j < 1300; j += 7)
    for (int i = 0; i < 2048; ++i) ASSERT_EQ(m.k.row(j)[i], u.k.row(j)[2047 - i]);
  // Planes at 300 dpi are resampled to the printer's 600 dpi raster.
  auto r = make_panels(specimen_planes(Side::front, 300), unmirrored);
  ASSERT_TRUE(r);
  long agree = 0, total = 0;
  for (int j = 0; j < 1300; ++j)
    for (int i = 0; i < 2048; ++i, ++total) agree += (r->k.row(j)[i] != 0) == (u.k.row(j)[i] != 0);
  EXPECT_GT(static_cast<double>(agree) / static_cast<double>(total), 0.98);
}

TEST(Panels, RotationTurnsTheRaster) {
  auto pr = find_printer_profile("zebra-zc-style-300", Resources::at(SDC_SOURCE_DIR)).value();
  const Planes& p = specimen_planes(Side::front, 300);
  auto a = make_panels(p, pr).value();
  pr.rotation_deg = 90;
  auto b = make_panels(p, pr).value();
  ASSERT_EQ(b.k.width(), 640);
  ASSERT_EQ(b.k.height(), 1006);
  for (int y = 0; y < 640; y += 5)
    for (int x = 0; x < 1006; x += 3) ASSERT_EQ(a.k.row(y)[x], b.k.row(x)[639 - y]);
}

TEST(Panels, UvPicksYmcfkoAndDitherKeepsPartialCoverage) {
  Planes p;
  p.dpi = Dpi{300};
  p.trim = PxRect{12, 12, 1011, 638};
  p.process = Image(1035, 662, PixelFormat::rgb8);
  std::memset(p.process.data(), 255, p.process.size_bytes());
  p.k = Image(1035, 662, PixelFormat::gray8);
  p.uv = Image(1035, 662, PixelFormat::gray8);
  p.overlay = Image(1035, 662, PixelFormat::gray8);
  for (int y = 100; y < 200; ++y)
    for (int x = 100; x < 300; ++x) {
      p.uv.row(y)[x] = 255;
      p.k.row(y + 200)[x] = 64;         // a 25 % grey patch of K
      p.overlay.row(y)[x + 400] = 255;  // an overlay "stripe": varnish only there
    }
  const auto evolis = find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR)).value();
  auto t = make_panels(p, evolis).value();
  ASSERT_FALSE(t.uv.empty());
  long uv_on = 0, k_on = 0, ov_on = 0;
  for (int y = 0; y < 648; ++y)
    for (int x = 0; x < 1016; ++x) {
      uv_on += t.uv.row(y)[x] != 0;
      k_on += t.k.row(y)[x] != 0;
      ov_on += t.overlay.row(y)[x] != 0;
    }
  EXPECT_EQ(uv_on, 200 * 100);
  EXPECT_EQ(k_on, 0) << "25 % coverage is under the threshold";
  EXPECT_EQ(ov_on, 200 * 100);
  auto d = make_panels(p, evolis, {.k_edges = KEdges::ordered_dither}).value();
  k_on = 0;
  for (int y = 0; y < 648; ++y)
    for (int x = 0; x < 1016; ++x) k_on += d.k.row(y)[x] != 0;
  EXPECT_NEAR(static_cast<double>(k_on) / (200 * 100), 0.25, 0.02);

  // Zebra has no F panel: UV content is reported as left out.
  const auto dir = test::fresh_dir("panels-uv");
  const Planes sides[] = {p};
  auto set =
      write_panels(sides, find_printer_profile("zebra-zc-style-300", Resources::at(SDC_SOURCE_DIR)).value(), dir);
  ASSERT_TRUE(set) << set.error().to_string();
  ASSERT_EQ(set->warnings.size(), 1u);
  EXPECT_NE(set->warnings[0].find("UV"), std::string::npos);
  EXPECT_FALSE(make_panels(p, find_printer_profile("zebra-zc-style-300", Resources::at(SDC_SOURCE_DIR)).value(),
                           {.ribbon = Ribbon::ymcfko}));
  std::filesystem::remove_all(dir);
}

TEST(Panels, WrittenSetReadsBackWithLibpngAndManifest) {
  const auto dir = test::fresh_dir("panels");
  const auto pr = find_printer_profile("evolis-style-300", Resources::at(SDC_SOURCE_DIR)).value();
  const Planes sides[] = {specimen_planes(Side::front, 300), specimen_planes(Side::back, 300)};
  auto set = write_panels(sides, pr, dir, {.ribbon = Ribbon::ymckok});
  ASSERT_TRUE(set) << set.error().to_string();
  EXPECT_EQ(set->ribbon, Ribbon::ymckok);
  EXPECT_EQ(files_in(dir),
            (std::vector<std::string>{"back_k.png", "front_k.png", "front_o.png", "front_ymc.png", "panels.json"}));
  const auto ymc = read_png(dir / "front_ymc.png");
  EXPECT_EQ(ymc.width, 1016);
  EXPECT_EQ(ymc.height, 648);
  EXPECT_EQ(ymc.bit_depth, 8);
  EXPECT_EQ(ymc.color_type, PNG_COLOR_TYPE_RGB);
  auto panels = make_panels(sides[0], pr, {.ribbon = Ribbon::ymckok}).value();
  for (const char* name : {"front_k.png", "front_o.png", "back_k.png"}) {
    const auto k = read_png(dir / name);
    EXPECT_EQ(k.width, 1016) << name;
    EXPECT_EQ(k.bit_depth, 1) << name;
    EXPECT_EQ(k.color_type, PNG_COLOR_TYPE_GRAY) << name;
    if (std::string(name) != "front_k.png") continue;
    for (int y = 0; y < 648; ++y)
      for (int x = 0; x < 1016; ++x)
        ASSERT_EQ(k.rows[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)] == 0, panels.k.row(y)[x] == 255)
            << "black = resin, at " << x << "," << y;
  }
  std::ifstream in(dir / "panels.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["ribbon"], "YMCKOK");
  EXPECT_EQ(j["dpi"], 300);
  EXPECT_EQ(j["raster"]["width"], 1016);
  EXPECT_EQ(j["printer"]["id"], "evolis-style-300");
  EXPECT_EQ(j["orientation"]["mirror"], false);
  ASSERT_EQ(j["sides"].size(), 2u);
  EXPECT_EQ(j["sides"][0]["panels"]["ymc"], "front_ymc.png");
  EXPECT_EQ(j["sides"][1]["panels"].size(), 1u);
  EXPECT_EQ(j["sides"][1]["panels"]["k"], "back_k.png");
  std::filesystem::remove_all(dir);
}

// ---- PDF proof ----

TEST(PdfProof, OpensInPopplerWithEmbeddedFontsAndMarks) {
  const auto dir = test::fresh_dir("pdf");
  const auto path = dir / "proof.pdf";
  const auto& s = test::specimen();
  ASSERT_TRUE(write_pdf_proof(s.card, path, {.title = "specimen"}));
  const auto info = test::command_output("pdfinfo " + path.string() + " 2>&1");
  EXPECT_NE(info.find("Title:           specimen"), std::string::npos) << info;
  const int pages = std::atoi(info.substr(info.find("Pages:") + 6).c_str());
  EXPECT_GE(pages, 2) << info;
  // Page size: bleed box (87.6 x 55.98 mm) + 2 x 12 mm, + 7 mm caption, in points.
  EXPECT_NE(info.find("Page size:       316.346 x 246.557 pts"), std::string::npos) << info;

  const auto fonts = test::command_output("pdffonts " + path.string() + " 2>&1");
  std::istringstream lines(fonts);
  std::string line;
  int font_rows = 0;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // ----
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++font_rows;
    // columns: name type encoding emb sub uni object ID; "emb" must be yes
    EXPECT_NE(line.find(" yes "), std::string::npos) << line;
  }
  EXPECT_GE(font_rows, 2) << fonts;

  ASSERT_EQ(
      test::command_output("pdftoppm -r 150 -png -f 1 -l 1 " + path.string() + " " + (dir / "page").string() + " 2>&1"),
      "");
  const auto png = read_png(dir / "page-1.png");
  ASSERT_GT(png.width, 0);
  const double px_per_mm = 150 / 25.4;
  auto at = [&](double x_mm, double y_mm) {  // mm from the trim's top-left
    const auto x = static_cast<std::size_t>((12 + 1 + x_mm) * px_per_mm),
               y = static_cast<std::size_t>((12 + 1 + y_mm) * px_per_mm);
    const std::uint8_t* p = png.rows[y].data() + 3 * x;
    return std::array<int, 3>{p[0], p[1], p[2]};
  };
  // Trim mark on the left trim line, 6.5 mm left of the trim: dark on white paper (a hairline, so
  // look at the darkest of the pixels around it).
  int mark = 3 * 255;
  for (double dy = -0.4; dy <= 0.4; dy += 0.1) {
    const auto m = at(-6.5, dy);
    mark = std::min(mark, m[0] + m[1] + m[2]);
  }
  auto blank = at(-6.5, 3.0);
  EXPECT_LT(mark, 3 * 200) << "trim mark";
  EXPECT_EQ(blank[0] + blank[1] + blank[2], 3 * 255) << "paper between marks";
  // Some of the card is dark: K text in pure black (R = G = B = 0) exists.
  long black = 0;
  for (const auto& r : png.rows)
    for (int x = 0; x < png.width; ++x) black += r[3 * x] < 10 && r[3 * x + 1] < 10 && r[3 * x + 2] < 10;
  EXPECT_GT(black, 500);
  // Deterministic: a second write is byte-identical.
  ASSERT_TRUE(write_pdf_proof(s.card, dir / "again.pdf", {.title = "specimen"}));
  EXPECT_EQ(test::read_bytes(path), test::read_bytes(dir / "again.pdf"));
  std::filesystem::remove_all(dir);
}

// ---- sheets ----

// Compressed strips cannot be read at random: read rows in order up to y.
std::array<std::uint8_t, 4> tiff_pixel(TIFF* t, int x, int y) {
  std::vector<std::uint8_t> row(static_cast<std::size_t>(TIFFScanlineSize(t)));
  for (int r = 0; r <= y; ++r) TIFFReadScanline(t, row.data(), static_cast<std::uint32_t>(r), 0);
  return {row[4 * x], row[4 * x + 1], row[4 * x + 2], row[4 * x + 3]};
}

TEST(Sheet, ImposesCardsWithCropMarksAcrossPages) {
  const auto dir = test::fresh_dir("sheet");
  const SideGeometry g;
  const Dpi dpi{150};
  const int cw = to_px(g.bleed_box().w, dpi).v, ch = to_px(g.bleed_box().h, dpi).v;
  std::vector<std::size_t> asked;
  auto source = [&](std::size_t i) -> Result<Image> {
    asked.push_back(i);
    Image im(cw, ch, PixelFormat::cmyk8);
    for (int y = 0; y < ch; ++y)
      for (int x = 0; x < cw; ++x) {
        std::uint8_t* p = im.row(y) + 4 * x;
        p[0] = static_cast<std::uint8_t>(10 + i * 20), p[1] = 5, p[2] = 7, p[3] = 0;
      }
    return im;
  };
  MmSize a4;
  ASSERT_TRUE(parse_sheet_size("a4", a4));
  const auto path = dir / "sheet.tif";
  auto info = write_sheet(
      5, g, source, path,
      {.columns = 2, .rows = 2, .sheet = a4, .dpi = dpi, .tiff = {.icc_profile = transform().output_profile()}});
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_EQ(info->pages, 2);
  EXPECT_DOUBLE_EQ(info->gutter.v, 2.0);
  EXPECT_EQ(asked, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  TIFF* t = TIFFOpen(path.c_str(), "r");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(TIFFNumberOfDirectories(t), 2);
  std::uint32_t w = 0, h = 0;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
  EXPECT_EQ(static_cast<int>(w), to_px(Mm{210}, dpi).v);
  EXPECT_EQ(static_cast<int>(h), to_px(Mm{297}, dpi).v);
  // Card centres: grid of 2 x (85.6) + 2 mm gutter, centred.
  const double gx = (210 - (2 * 85.6 + 2)) / 2, gy = (297 - (2 * 53.98 + 2)) / 2;
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) {
      const int x = to_px(Mm{gx + c * 87.6 + 42.8}, dpi).v, y = to_px(Mm{gy + r * 55.98 + 27}, dpi).v;
      EXPECT_EQ(tiff_pixel(t, x, y)[0], 10 + (r * 2 + c) * 20) << r << "," << c;
    }
  // A crop mark on the first cut line, above the grid: pure K.
  const int mx = to_px(Mm{gx}, dpi).v, my = to_px(Mm{gy - 1 - 3 - 2.5}, dpi).v;
  EXPECT_EQ(tiff_pixel(t, mx, my), (std::array<std::uint8_t, 4>{0, 0, 0, 255}));
  EXPECT_EQ(tiff_pixel(t, mx + 10, my), (std::array<std::uint8_t, 4>{0, 0, 0, 0}));
  ASSERT_TRUE(TIFFReadDirectory(t));  // page 2: card 4 in the first cell, the rest blank
  const int x0 = to_px(Mm{gx + 42.8}, dpi).v, y0 = to_px(Mm{gy + 27}, dpi).v;
  EXPECT_EQ(tiff_pixel(t, x0, y0)[0], 90);
  EXPECT_EQ(tiff_pixel(t, to_px(Mm{gx + 87.6 + 42.8}, dpi).v, y0)[0], 0);
  TIFFClose(t);

  // The back of a work-and-turn sheet mirrors the columns.
  ASSERT_TRUE(write_sheet(2, g, source, dir / "back.tif",
                          {.columns = 2, .rows = 1, .sheet = a4, .dpi = dpi, .back_side = true}));
  TIFF* b = TIFFOpen((dir / "back.tif").c_str(), "r");
  const double by = (297 - 53.98) / 2 + 27, bx = (210 - (2 * 85.6 + 2)) / 2 + 42.8;
  EXPECT_EQ(tiff_pixel(b, to_px(Mm{bx}, dpi).v, to_px(Mm{by}, dpi).v)[0], 30);
  EXPECT_EQ(tiff_pixel(b, to_px(Mm{bx + 87.6}, dpi).v, to_px(Mm{by}, dpi).v)[0], 10);
  TIFFClose(b);

  auto too_many = write_sheet(1, g, source, dir / "x.tif", {.columns = 3, .rows = 8, .sheet = a4, .dpi = dpi});
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code(), Errc::does_not_fit);
  std::filesystem::remove_all(dir);
}

// 3 x 8 cards on SRA3 at 600 dpi: the whole sheet would be 7559 x 10630 x 4 = 321 MB; written in
// strips the peak stays far below. Run in a child process so the peak RSS is this job's own.
TEST(Sheet, Sra3At600DpiStaysWithinBoundedMemory) {
  const auto dir = test::fresh_dir("sheet600");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    rusage before{};
    ::getrusage(RUSAGE_SELF, &before);
    const SideGeometry g;
    const Dpi dpi{600};
    Image card(to_px(g.bleed_box().w, dpi).v, to_px(g.bleed_box().h, dpi).v, PixelFormat::cmyk8);
    for (std::size_t i = 0; i < card.size_bytes(); ++i) card.data()[i] = static_cast<std::uint8_t>(i * 31 % 97);
    auto src = [&](std::size_t) -> Result<Image> { return Image::copy_of(card.view()); };
    auto info = write_sheet(24, g, src, dir / "sra3.tif", {.dpi = dpi});
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    const long kb[2] = {info ? ru.ru_maxrss : -1, before.ru_maxrss};
    (void)!::write(fds[1], kb, sizeof kb);
    ::_exit(0);
  }
  ::close(fds[1]);
  long kb[2] = {};
  ASSERT_EQ(::read(fds[0], kb, sizeof kb), static_cast<ssize_t>(sizeof kb));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_GT(kb[0], 0) << "write_sheet failed in the child";
  const long grew_mb = (kb[0] - kb[1]) / 1024;
  std::printf("[ sheet ] SRA3 3x8 at 600 dpi: peak RSS %ld MB, %ld MB above the start (whole sheet: 321 MB)\n",
              kb[0] / 1024, grew_mb);
#if defined(__SANITIZE_ADDRESS__)
  // ASan keeps freed blocks in quarantine (256 MB by default), so RSS says nothing about the
  // writer's own footprint here; the bound is checked in the normal build.
  std::printf("[ sheet ] AddressSanitizer build: memory bound not checked\n");
#else
  EXPECT_LT(grew_mb, 100);
#endif
  TIFF* t = TIFFOpen((dir / "sra3.tif").c_str(), "r");
  ASSERT_NE(t, nullptr);
  std::uint32_t w = 0, h = 0;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
  EXPECT_EQ(w, 7559u);
  EXPECT_EQ(h, 10630u);
  TIFFClose(t);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sdc
