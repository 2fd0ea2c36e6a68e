#include <gtest/gtest.h>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

using namespace sdc;

TEST(Units, CardPixelSizesFollowTheRoundingRule) {
  EXPECT_EQ(to_px(card_size(CardFormat::id1).w, Dpi{300}).v, 1011);  // 1011.02
  EXPECT_EQ(to_px(card_size(CardFormat::id1).h, Dpi{300}).v, 638);   // 637.56
  EXPECT_EQ(to_px(card_size(CardFormat::id1).w, Dpi{600}).v, 2022);
  SideGeometry g;
  EXPECT_EQ(to_px(g.bleed_box().w, Dpi{300}).v, 1035);  // 87.60 mm = 1034.65
  EXPECT_EQ(to_px(g.bleed_box().h, Dpi{300}).v, 661);   // 55.98 mm = 661.18
  EXPECT_EQ(to_px(Mm{25.4}, Dpi{1200}).v, 1200);
  EXPECT_EQ(to_px(Mm{25.4 / 300 * 0.5}, Dpi{300}).v, 1);  // exactly half a pixel rounds up
  EXPECT_NEAR(Pt{72}.to_mm().v, 25.4, 1e-12);
}

TEST(Units, RectanglesRoundEachEdgeSoNeighboursShareIt) {
  // 10.1 mm at 300 dpi is 119.29 px, 20.1 mm is 237.40 px, 30.1 mm is 355.51 px.
  const MmRect left{Mm{10.1}, Mm{10.1}, Mm{10.0}, Mm{20.0}}, right{Mm{20.1}, Mm{10.1}, Mm{10.0}, Mm{20.0}};
  const PxRect l = to_px(left, Dpi{300}), r = to_px(right, Dpi{300});
  EXPECT_EQ(l, (PxRect{119, 119, 118, 237}));
  EXPECT_EQ(l.right(), r.x);  // 118 + 119 = 237: no gap, no overlap
  EXPECT_EQ(r.right(), 356);
  EXPECT_EQ(l.inset(-4), (PxRect{115, 115, 126, 245}));
  EXPECT_EQ(l.inset(4).bottom(), l.bottom() - 4);
}

TEST(Units, CardFormatsParse) {
  CardFormat f{};
  EXPECT_TRUE(parse_card_format("ID-2", f));
  EXPECT_EQ(f, CardFormat::id2);
  EXPECT_TRUE(parse_card_format("id1", f));
  EXPECT_EQ(f, CardFormat::id1);
  EXPECT_FALSE(parse_card_format("ID-4", f));
  EXPECT_STREQ(to_string(CardFormat::id3), "ID-3");
}

TEST(Error, ToStringSaysWhereAndWhatToDo) {
  Error e(Errc::invalid_field, "1990-02-30 is not a calendar date.", "write dates as YYYY-MM-DD.",
          Where{.file = "specimen.csv", .line = 18});
  e.at_record(16).at_field("date_of_birth");
  EXPECT_EQ(e.to_string(),
            "specimen.csv:18, record 17, field date_of_birth: 1990-02-30 is not a calendar date. Fix: write dates "
            "as YYYY-MM-DD.");
  Result<int> r = e;
  EXPECT_FALSE(r);
  EXPECT_THROW(r.value(), Exception);
  Result<int> ok = 3;
  EXPECT_EQ(ok.value(), 3);
}

TEST(Image, ViewsCropAndCopy) {
  Image img(10, 5, PixelFormat::rgb8);
  img.row(2)[3 * 4] = 77;
  auto v = img.view().cropped({4, 2, 100, 100});
  EXPECT_EQ(v.width(), 6);
  EXPECT_EQ(v.height(), 3);
  EXPECT_EQ(v.row(0)[0], 77);
  auto c = Image::copy_of(v);
  EXPECT_EQ(c.row(0)[0], 77);
  EXPECT_TRUE(Image().empty());
  EXPECT_THROW(ImageView(nullptr, 3, 3, PixelFormat::gray8), std::invalid_argument);
}
