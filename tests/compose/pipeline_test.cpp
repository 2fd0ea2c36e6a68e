// The one-way pipeline: the display list as data, and the defects the restructure fixed (each
// of these tests fails on the code before it).
#include <sdc/compose.hpp>
#include <sdc/photo.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <variant>

#include "compose/card_support.hpp"

namespace sdc::test {
namespace {

bool same_pixels(const Image& a, const Image& b) {
  if (a.width() != b.width() || a.height() != b.height() || a.format() != b.format()) return false;
  for (int y = 0; y < a.height(); ++y)
    if (std::memcmp(a.row(y), b.row(y), static_cast<std::size_t>(a.width()) * channels(a.format())) != 0) return false;
  return true;
}

bool same_planes(const Planes& a, const Planes& b) {
  return same_pixels(a.process, b.process) && same_pixels(a.k, b.k) && same_pixels(a.uv, b.uv) &&
         same_pixels(a.overlay, b.overlay);
}

Card compose_with_seed(std::string_view seed, Dpi dpi) {
  Issuer issuer = env().issuer;
  issuer.pattern_seed.assign(seed.begin(), seed.end());
  auto card = env().composer.compose(env().specimen, env().records.at(0), issuer, {.dpi = dpi});
  EXPECT_TRUE(card) << card.error().to_string();
  return *card;
}

// Defect 1: the static-layer cache was keyed by template, side and dpi only, so a second issuer
// through the same Renderer got the first issuer's background (and saw its secret pattern).
TEST(Pipeline, TwoIssuersThroughOneRendererGetWhatFreshRenderersGive) {
  const Dpi dpi{150};
  const Card a = compose_with_seed("issuer A pattern seed", dpi);
  const Card b = compose_with_seed("issuer B pattern seed", dpi);
  EXPECT_NE(a.display(Side::front).static_key, b.display(Side::front).static_key);

  auto shared = Renderer::create(env().composer.fonts());
  ASSERT_TRUE(shared);
  auto a_shared = shared->render(a, Side::front, {dpi});
  auto b_shared = shared->render(b, Side::front, {dpi});
  auto fresh_b = Renderer::create(env().composer.fonts());
  auto b_fresh = fresh_b->render(b, Side::front, {dpi});
  auto fresh_a = Renderer::create(env().composer.fonts());
  auto a_fresh = fresh_a->render(a, Side::front, {dpi});
  ASSERT_TRUE(a_shared && b_shared && b_fresh && a_fresh);
  EXPECT_TRUE(same_planes(*b_shared, *b_fresh)) << "issuer B was drawn over issuer A's cached background";
  EXPECT_TRUE(same_planes(*a_shared, *a_fresh));
  EXPECT_FALSE(same_pixels(a_shared->process, b_shared->process)) << "the issuer seed must change the background";
}

// Defect 2: the portrait was cropped for the first element that needed it, which could be the
// seal's QR code: a square crop, and a sealed hash of pixels that were never printed.
TEST(Pipeline, QrBeforePhotoStillSealsThePrintedPhoto) {
  const std::string json = R"({
    "sdc_template": 1, "name": "qr first", "format": "ID-1",
    "front": {"elements": [
      {"type": "qr", "name": "seal", "x": 50, "y": 10, "w": 30, "h": 30},
      {"type": "photo", "name": "portrait", "x": 4, "y": 10, "w": 25, "h": 32}
    ]}
  })";
  auto t = Template::parse(json, "qr-first.json");
  ASSERT_TRUE(t) << t.error().to_string();
  auto card = env().composer.compose(*t, env().records.at(0), env().issuer, {.dpi = Dpi{300}});
  ASSERT_TRUE(card) << card.error().to_string();

  const Image& portrait = card->portrait();
  ASSERT_FALSE(portrait.empty());
  EXPECT_NEAR(static_cast<double>(portrait.width()) / portrait.height(), 25.0 / 32.0, 0.01)
      << "the crop must have the photo box's aspect, not the QR code's";

  // The printed photo area is the photo item's image; the sealed hash is its hash.
  const ImageItem* printed = nullptr;
  for (const auto& it : card->display(Side::front).items)
    if (it->name == "portrait") printed = std::get_if<ImageItem>(&it->content);
  ASSERT_NE(printed, nullptr);
  auto printed_hash = photo_hash(printed->image->view());
  ASSERT_TRUE(printed_hash);
  const auto v = verify_seal(card->seal_text(), env().trust, 1793577600 /* 2026-11-02 */);
  ASSERT_TRUE(v.valid()) << v.message;
  ASSERT_TRUE(v.payload);
  EXPECT_EQ(v.payload->photo_hash, *printed_hash);
}

// Defect 3: a photo given by the caller (sdc render --photo) was refused when the record had no
// photo field.
TEST(Pipeline, CallerPhotoNeedsNoPhotoField) {
  Record r = env().records.at(0);
  std::erase_if(r.fields, [](const auto& f) { return f.first == "photo"; });
  ASSERT_FALSE(r.get("photo"));
  auto refused = env().composer.compose(env().specimen, r, env().issuer);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().where().field, "photo");

  auto photo = load_image(source_dir() / "assets/records/photos/astronaut.png");
  ASSERT_TRUE(photo);
  auto card = env().composer.compose(env().specimen, r, env().issuer, {.photo = &*photo, .dpi = Dpi{150}});
  ASSERT_TRUE(card) << card.error().to_string();
  EXPECT_FALSE(card->portrait().empty());
}

// Personal is derived from what an element depends on; static items are shared between cards.
TEST(Pipeline, StaticItemsAreSharedAndPersonalOnesAreNot) {
  auto c1 = env().composer.compose(env().specimen, env().records.at(0), env().issuer, {.dpi = Dpi{150}});
  auto c2 = env().composer.compose(env().specimen, env().records.at(1), env().issuer, {.dpi = Dpi{150}});
  ASSERT_TRUE(c1 && c2);
  const auto& d1 = c1->display(Side::front);
  const auto& d2 = c2->display(Side::front);
  ASSERT_EQ(d1.items.size(), d2.items.size());
  ASSERT_GT(d1.static_prefix, 0u);
  EXPECT_EQ(d1.static_key, d2.static_key);
  std::size_t personal = 0;
  for (std::size_t i = 0; i < d1.items.size(); ++i) {
    EXPECT_EQ(d1.items[i]->personal, !(d1.items[i] == d2.items[i])) << d1.items[i]->name;
    personal += d1.items[i]->personal;
    if (i < d1.static_prefix) {
      EXPECT_FALSE(d1.items[i]->personal);
    }
  }
  EXPECT_GT(personal, 3u);
  // The template's view agrees with the card's.
  const auto els = env().specimen.elements(Side::front);
  ASSERT_EQ(els.size(), d1.items.size());
  for (std::size_t i = 0; i < els.size(); ++i) EXPECT_EQ(els[i].personal, d1.items[i]->personal) << els[i].name;
}

}  // namespace
}  // namespace sdc::test

namespace sdc::test {
namespace {

// render_into: caller-owned strided buffers and a reused scratch (static layers, static glyph
// outlines kept from the previous card) give exactly what render() gives.
TEST(RenderInto, StridedCallerBuffersMatchRenderAcrossCards) {
  const Dpi dpi{150};
  RenderScratch scratch;
  for (std::size_t r : {0u, 3u, 6u}) {
    auto card = env().composer.compose(env().specimen, env().records.at(r), env().issuer, {.dpi = dpi});
    ASSERT_TRUE(card) << card.error().to_string();
    for (Side side : {Side::front, Side::back}) {
      auto ref = env().renderer.render(*card, side, {dpi});
      ASSERT_TRUE(ref) << ref.error().to_string();
      const PxSize size = Renderer::plane_size(*card, dpi);
      ASSERT_EQ(size.w, ref->process.width());
      const std::ptrdiff_t pad = 13;  // odd strides: rows are not packed
      std::vector<std::uint8_t> rgb((size.w * 3 + pad) * size.h, 0xAB), k((size.w + pad) * size.h, 0xAB),
          uv((size.w + pad) * size.h, 0xAB);
      const PlanesView view{.width = size.w,
                            .height = size.h,
                            .process = rgb.data(),
                            .process_stride = size.w * 3 + pad,
                            .k = k.data(),
                            .k_stride = size.w + pad,
                            .uv = uv.data(),
                            .uv_stride = size.w + pad};  // overlay not wanted
      auto info = env().renderer.render_into(*card, side, {dpi}, view, scratch);
      ASSERT_TRUE(info) << info.error().to_string();
      EXPECT_EQ(info->trim, ref->trim);
      for (int y = 0; y < size.h; ++y) {
        ASSERT_EQ(std::memcmp(rgb.data() + y * (size.w * 3 + pad), ref->process.row(y), size.w * 3), 0) << y;
        ASSERT_EQ(std::memcmp(k.data() + y * (size.w + pad), ref->k.row(y), size.w), 0) << y;
        ASSERT_EQ(std::memcmp(uv.data() + y * (size.w + pad), ref->uv.row(y), size.w), 0) << y;
        ASSERT_EQ(rgb[y * (size.w * 3 + pad) + size.w * 3], 0xAB) << "wrote past the row";
      }
    }
  }
}

TEST(RenderInto, RefusesBuffersOfTheWrongSize) {
  auto card = env().composer.compose(env().specimen, env().records.at(0), env().issuer, {.dpi = Dpi{150}});
  ASSERT_TRUE(card);
  RenderScratch scratch;
  std::vector<std::uint8_t> rgb(30);
  auto r = env().renderer.render_into(*card, Side::front, {Dpi{150}}, {.width = 10, .height = 1, .process = rgb.data()},
                                      scratch);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::invalid_argument);
  EXPECT_NE(r.error().message().find("needs"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace sdc::test
