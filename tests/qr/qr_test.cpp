// QR encoding (libqrencode), decoding (zxing-cpp) and layout.
#include <sdc/qr.hpp>

#include <gtest/gtest.h>

#include <random>

namespace {

// Draws a matrix as a grey image: `scale` px per module, a 4-module quiet zone.
sdc::Image draw(const sdc::QrMatrix& m, int scale, sdc::PixelFormat fmt = sdc::PixelFormat::gray8) {
  const int side = (m.size + 8) * scale;
  sdc::Image img(side, side, fmt);
  const int ch = sdc::channels(fmt);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const int mx = x / scale - 4, my = y / scale - 4;
      const bool dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.at(mx, my);
      std::uint8_t* p = img.row(y) + x * ch;
      if (fmt == sdc::PixelFormat::cmyk8) {
        p[0] = p[1] = p[2] = 0;
        p[3] = dark ? 255 : 0;
      } else {
        for (int c = 0; c < ch; ++c) p[c] = dark ? 0 : 255;
      }
    }
  return img;
}

TEST(EncodeQr, AlphanumericCapacityOfVersion12AtLevelM) {
  // 419 alphanumeric characters is the version 12-M capacity (ISO/IEC 18004 table 7); one more
  // needs version 13. This also proves the text is held in alphanumeric mode: byte mode holds
  // only 287 characters in version 12-M.
  const std::string fits(sdc::qr_v12m_alphanumeric_capacity, 'A');
  auto m = sdc::encode_qr("SDC1:" + fits.substr(5), sdc::QrEcLevel::M);
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->version, 12);
  EXPECT_EQ(m->size, 17 + 4 * 12);
  EXPECT_EQ(m->modules.size(), static_cast<std::size_t>(m->size * m->size));
  auto more = sdc::encode_qr(fits + "A", sdc::QrEcLevel::M);
  ASSERT_TRUE(more);
  EXPECT_EQ(more->version, 13);
}

TEST(EncodeQr, LevelChangesVersionAndErrorsAreNamed) {
  const std::string text(200, '7');
  auto l = sdc::encode_qr(text, sdc::QrEcLevel::L), h = sdc::encode_qr(text, sdc::QrEcLevel::H);
  ASSERT_TRUE(l && h);
  EXPECT_LT(l->version, h->version);
  EXPECT_EQ(h->ec_level, sdc::QrEcLevel::H);
  auto empty = sdc::encode_qr("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), sdc::Errc::invalid_argument);
  auto huge = sdc::encode_qr(std::string(5000, 'A'));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), sdc::Errc::does_not_fit);
}

TEST(EncodeQr, DeterministicAndDecodableInEveryPixelFormat) {
  const std::string text = "SDC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B3KL6QM5/OE";
  auto a = sdc::encode_qr(text), b = sdc::encode_qr(text);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->modules, b->modules);
  for (auto fmt : {sdc::PixelFormat::gray8, sdc::PixelFormat::rgb8, sdc::PixelFormat::rgba8, sdc::PixelFormat::cmyk8}) {
    const sdc::Image img = draw(*a, 4, fmt);
    const auto codes = sdc::decode_qr_codes(img.view());
    ASSERT_EQ(codes.size(), 1u) << "format " << static_cast<int>(fmt);
    EXPECT_EQ(codes[0].text, text);
    EXPECT_EQ(std::string(codes[0].bytes.begin(), codes[0].bytes.end()), text);
    EXPECT_EQ(codes[0].ec_level, "M");
    EXPECT_EQ(codes[0].corners[0].x, 16);  // the quiet zone is 4 modules of 4 px
  }
}

TEST(DecodeQr, NothingInABlankOrEmptyImage) {
  sdc::Image blank(200, 200, sdc::PixelFormat::gray8);
  EXPECT_TRUE(sdc::decode_qr(blank.view()).empty());
  EXPECT_TRUE(sdc::decode_qr(sdc::ImageView()).empty());
}

TEST(DecodeQr, SurvivesNoiseAndStillReadsTheCode) {
  const std::string text = "HC1:NCFOXN%TS3DH" + std::string(80, '7') + "ABC";
  auto m = sdc::encode_qr(text, sdc::QrEcLevel::Q);
  ASSERT_TRUE(m);
  sdc::Image img = draw(*m, 6);
  std::mt19937 rng(7);
  for (int i = 0; i < 6; ++i) {  // blots of 2 x 2 modules inside the symbol (level Q restores them)
    const int x = 6 * (4 + 9 + static_cast<int>(rng() % static_cast<unsigned>(m->size - 18)));
    const int y = 6 * (4 + 9 + static_cast<int>(rng() % static_cast<unsigned>(m->size - 18)));
    for (int dy = 0; dy < 12; ++dy)
      for (int dx = 0; dx < 12; ++dx)
        img.row(y + dy)[x + dx] = static_cast<std::uint8_t>(255 - img.row(y + dy)[x + dx]);
  }
  const auto texts = sdc::decode_qr(img.view());
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], text);
}

TEST(LayoutQr, ModuleSnappedToWholeDevicePixels) {
  sdc::QrMatrix m;
  m.size = 65;  // version 12
  m.version = 12;
  m.modules.assign(65 * 65, 0);
  // 25 mm box at 300 dpi = 295.3 px; 73 modules with the quiet zone -> 4 px per module.
  const auto l = sdc::layout_qr(m, sdc::Mm{25}, sdc::Dpi{300});
  EXPECT_EQ(l.module_px, 4);
  EXPECT_DOUBLE_EQ(l.module.v, 4 * 25.4 / 300);
  EXPECT_EQ(l.total_px, 4 * 73);
  EXPECT_NEAR(l.total.v, 73 * 4 * 25.4 / 300, 1e-12);
  EXPECT_LE(l.total.v, 25.0);
  EXPECT_TRUE(l.warning.empty()) << l.warning;  // 0.339 mm modules
  // At 600 dpi the same box gives 8 px modules: same size in mm.
  const auto l600 = sdc::layout_qr(m, sdc::Mm{25}, sdc::Dpi{600});
  EXPECT_EQ(l600.module_px, 8);
  EXPECT_DOUBLE_EQ(l600.module.v, l.module.v);
}

TEST(LayoutQr, WarnsUnderAQuarterMillimetre) {
  sdc::QrMatrix m;
  m.size = 65;
  m.version = 12;
  m.modules.assign(65 * 65, 0);
  // 18 mm at 300 dpi = 212.6 px / 73 -> 2 px = 0.169 mm: readable by a good scanner, not by phones.
  const auto l = sdc::layout_qr(m, sdc::Mm{18}, sdc::Dpi{300});
  EXPECT_EQ(l.module_px, 2);
  EXPECT_NE(l.warning.find("0.169 mm"), std::string::npos) << l.warning;
  EXPECT_NE(l.warning.find("under 0.25 mm"), std::string::npos);
  // Too small for even one pixel per module: still 1 px, overflowing, with a warning.
  const auto tiny = sdc::layout_qr(m, sdc::Mm{5}, sdc::Dpi{300});
  EXPECT_EQ(tiny.module_px, 1);
  EXPECT_GT(tiny.total.v, 5.0);
  EXPECT_FALSE(tiny.warning.empty());
  // Quiet zone is honoured and clamped.
  EXPECT_EQ(sdc::layout_qr(m, sdc::Mm{25}, sdc::Dpi{300}, 0).module_px, 4);  // 295/65 = 4.5 -> 4
  EXPECT_EQ(sdc::layout_qr(m, sdc::Mm{25}, sdc::Dpi{300}, 99).quiet_zone, 16);
  EXPECT_FALSE(sdc::layout_qr(sdc::QrMatrix{}, sdc::Mm{25}, sdc::Dpi{300}).warning.empty());
}

}  // namespace
