#include <gtest/gtest.h>
#include <sdc/export.hpp>
#include <sdc/image.hpp>
#include <sdc/qr.hpp>

#include <cstring>
#include <fstream>

#include "compose/card_support.hpp"

using namespace sdc;
using sdc::test::env;

namespace {

Result<Card> compose_record(std::size_t i) {
  return env().composer.compose(env().specimen, env().records.at(i), env().issuer);
}

double mean(const Image& plane, const PxRect& r) {
  double s = 0;
  const int ch = channels(plane.format());
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x)
      for (int c = 0; c < ch; ++c) s += plane.row(y)[x * ch + c];
  return s / (static_cast<double>(r.w) * r.h * ch);
}

PxRect px_box(const Planes& p, const ElementInfo& e) {
  const Dpi d = p.dpi;
  return {p.trim.x + to_px(e.box.x, d).v, p.trim.y + to_px(e.box.y, d).v, to_px(e.box.w, d).v, to_px(e.box.h, d).v};
}

const ElementInfo& item(const Card& c, Side s, const std::string& name) {
  static std::vector<ElementInfo> keep;
  keep = c.items(s);
  for (const auto& e : keep)
    if (e.name == name) return e;
  throw std::runtime_error("no item " + name);
}

}  // namespace

TEST(Compose, EveryShippedRecordComposesInEveryScript) {
  for (std::size_t i = 0; i < env().records.size(); ++i) {
    auto card = compose_record(i);
    ASSERT_TRUE(card) << "record " << i + 1 << ": " << card.error().to_string();
    EXPECT_FALSE(card->seal_text().empty());
    EXPECT_EQ(card->portrait().width(), to_px(Mm{22.0}, Dpi{600}).v);
  }
}

// The portrait is kept at the card's dpi unless the caller asks for another; the ghost is made at
// the size it prints at the card's dpi.
TEST(Compose, ThePortraitAndGhostAreKeptAtTheCardsResolution) {
  const auto& r = env().records.at(0);
  auto at300 = env().composer.compose(env().specimen, r, env().issuer, {.dpi = Dpi{300}});
  ASSERT_TRUE(at300) << at300.error().to_string();
  EXPECT_EQ(at300->portrait().width(), to_px(Mm{22.0}, Dpi{300}).v);
  auto finer = env().composer.compose(env().specimen, r, env().issuer, {.dpi = Dpi{300}, .photo_dpi = Dpi{600}});
  ASSERT_TRUE(finer) << finer.error().to_string();
  EXPECT_EQ(finer->portrait().width(), to_px(Mm{22.0}, Dpi{600}).v);
  auto bad = env().composer.compose(env().specimen, r, env().issuer, {.dpi = Dpi{300}, .photo_dpi = Dpi{20}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::invalid_argument);
  EXPECT_EQ(bad.error().where().field, "photo_dpi");
  // The ghost's raster: its box (12.5 x 16 mm) at the card's dpi.
  for (const auto* card : {&*at300, &*finer}) {
    bool found = false;
    for (const auto& it : card->display(Side::front).items)
      if (it->type == "ghost") {
        const auto* img = std::get_if<ImageItem>(&it->content);
        ASSERT_NE(img, nullptr);
        EXPECT_EQ(img->image->width(), to_px(Mm{12.5}, Dpi{300}).v);
        EXPECT_EQ(img->image->height(), to_px(Mm{16.0}, Dpi{300}).v);
        found = true;
      }
    EXPECT_TRUE(found);
  }
}

// A per-worker ComposeScratch gives the cards composed without one. Its static items are the
// composer's own: shared by every card of the template, issuer and dpi, and never another
// composer's or another dpi's, whatever the scratch saw before.
TEST(Compose, AScratchGivesTheCardsComposedWithoutOne) {
  auto other = Composer::create(Resources::at(test::source_dir()));
  ASSERT_TRUE(other) << other.error().to_string();
  ComposeScratch scratch;
  const auto& r1 = env().records.at(1);
  const auto& r2 = env().records.at(2);
  auto check = [&](const Composer& composer, const Record& r, Dpi dpi) {
    auto plain = composer.compose(env().specimen, r, env().issuer, {.dpi = dpi});
    auto with = composer.compose(env().specimen, r, env().issuer, {.dpi = dpi}, scratch);
    ASSERT_TRUE(plain && with);
    EXPECT_EQ(with->seal_text(), plain->seal_text());
    for (Side s : {Side::front, Side::back}) {
      const auto &a = plain->display(s).items, &b = with->display(s).items;
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i]->name, b[i]->name);
        // Static items: the very item the composer shares (so from this composer and dpi).
        if (!a[i]->personal) {
          EXPECT_EQ(a[i].get(), b[i].get()) << a[i]->name;
        }
      }
      auto pa = env().renderer.render(*plain, s, {dpi});
      auto pb = env().renderer.render(*with, s, {dpi});
      ASSERT_TRUE(pa && pb);
      for (auto plane : {&Planes::process, &Planes::k, &Planes::uv, &Planes::overlay}) {
        const Image &x = (*pa).*plane, &y = (*pb).*plane;
        ASSERT_EQ(x.size_bytes(), y.size_bytes());
        EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size_bytes()), 0);
      }
    }
  };
  check(env().composer, r1, Dpi{150});
  check(env().composer, r2, Dpi{150});  // from the scratch
  check(*other, r1, Dpi{150});          // the same key, another composer
  check(env().composer, r2, Dpi{200});  // another dpi
  check(env().composer, r1, Dpi{150});
}

TEST(Render, SpecimenHasTheIso7810PixelSizeWithBleed) {
  auto card = compose_record(0);
  ASSERT_TRUE(card) << card.error().to_string();
  for (auto [dpi, w, h] : {std::tuple{300, 1035, 661}, std::tuple{600, 2069, 1322}}) {
    auto p = env().renderer.render(*card, Side::front, {Dpi{dpi}});
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->process.width(), w);
    EXPECT_EQ(p->process.height(), h);
    EXPECT_EQ(p->k.width(), w);
    EXPECT_EQ(p->trim.w, to_px(Mm{85.60}, Dpi{dpi}).v);
    EXPECT_EQ(p->trim.x, to_px(Mm{1.0}, Dpi{dpi}).v);
  }
}

TEST(Render, InksGoToTheirPlanes) {
  auto card = compose_record(0);
  ASSERT_TRUE(card);
  auto p = env().renderer.render(*card, Side::front, {Dpi{300}});
  ASSERT_TRUE(p);
  // Field text is K ink: coverage in the K plane, nothing in the photo box.
  EXPECT_GT(mean(p->k, px_box(*p, item(*card, Side::front, "surname"))), 20.0);
  EXPECT_LT(mean(p->k, px_box(*p, item(*card, Side::front, "photo"))), 1.0);
  // The photo is process colour: far from the white card stock.
  EXPECT_LT(mean(p->process, px_box(*p, item(*card, Side::front, "photo"))), 200.0);
  // Labels are process ink, so the K plane is empty under them apart from nothing.
  EXPECT_LT(mean(p->k, px_box(*p, item(*card, Side::front, "surname_label"))), 0.5);
}

TEST(Render, SameInputsGiveIdenticalBytesAndTheCacheChangesNothing) {
  auto a = compose_record(1), b = compose_record(1);
  ASSERT_TRUE(a && b);
  auto uncached = Renderer::create(env().composer.fonts(), {.cache_entries = 0});
  for (Side s : {Side::front, Side::back}) {
    auto p1 = env().renderer.render(*a, s, {Dpi{300}});
    auto p2 = env().renderer.render(*b, s, {Dpi{300}});  // static layers from the cache
    auto p3 = uncached->render(*b, s, {Dpi{300}});
    ASSERT_TRUE(p1 && p2 && p3);
    for (auto plane : {&Planes::process, &Planes::k, &Planes::uv, &Planes::overlay}) {
      const Image &x = (*p1).*plane, &y = (*p2).*plane, &z = (*p3).*plane;
      ASSERT_EQ(x.size_bytes(), y.size_bytes());
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size_bytes()), 0);
      EXPECT_EQ(std::memcmp(x.data(), z.data(), x.size_bytes()), 0);
    }
  }
  // Different records share the static layer but differ in personal content.
  auto c = compose_record(2);
  auto pa = env().renderer.render(*a, Side::front, {Dpi{150}});
  auto pc = env().renderer.render(*c, Side::front, {Dpi{150}});
  EXPECT_NE(std::memcmp(pa->k.data(), pc->k.data(), pa->k.size_bytes()), 0);
}

TEST(Seal, TheRenderedQrCodeCarriesAVerifiableSeal) {
  auto card = compose_record(0);
  ASSERT_TRUE(card);
  auto p = env().renderer.render(*card, Side::back, {Dpi{300}});
  ASSERT_TRUE(p);
  const Image preview = composite(*p);
  const auto codes = decode_qr(preview.view());
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0], card->seal_text());
  const auto v = verify_seal(codes[0], env().trust, 1793577600 /* 2026-11-02 */);
  ASSERT_TRUE(v.valid()) << v.message;
  ASSERT_TRUE(v.payload);
  EXPECT_EQ(v.payload->document_number, "XA0000417");
  EXPECT_EQ(v.payload->pattern_id, card->pattern_id());
  // The seal binds the printed photo: its hash matches the portrait on the card.
  auto h = photo_hash(card->portrait().view());
  ASSERT_TRUE(h);
  EXPECT_EQ(photo_hash_distance(*h, v.payload->photo_hash), 0);
}

TEST(Compose, MissingFieldReferenceNamesElementAndField) {
  auto t = Template::parse(R"({"sdc_template": 1, "front": {"elements": [
      {"type": "text", "name": "officer", "x": 1, "y": 1, "w": 40, "h": 5, "text": "Officer: {case_officer}"}]}})",
                           "officer.json");
  ASSERT_TRUE(t);
  auto card = env().composer.compose(*t, env().records[0], env().issuer);
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code(), Errc::missing_field);
  EXPECT_EQ(card.error().where().field, "case_officer");
  EXPECT_EQ(card.error().where().element, "officer");
  EXPECT_EQ(card.error().where().record, 0);
}

TEST(Compose, NameThatCannotFitIsRefusedNotTruncated) {
  auto t = Template::parse(R"({"sdc_template": 1, "front": {"elements": [
      {"type": "field", "name": "tiny", "x": 1, "y": 1, "w": 8, "h": 3, "field": "surname", "min_size": 6, "max_lines": 1}]}})",
                           "tiny.json");
  ASSERT_TRUE(t);
  auto card = env().composer.compose(*t, env().records[6], env().issuer);  // the long name
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code(), Errc::does_not_fit);
  EXPECT_EQ(card.error().where().element, "tiny");
}

TEST(Compose, BadPhotoAndInvalidRecordAreReportedWithTheRecord) {
  Record r = env().records[0];
  const auto bad = std::filesystem::temp_directory_path() / "sdc-corrupt-photo.png";
  {
    std::ofstream f(bad, std::ios::binary);
    f << "\x89PNG\r\n\x1a\n garbage";
  }
  r.set("photo", bad.string());
  auto card = env().composer.compose(env().specimen, r, env().issuer, {.allow_any_photo_path = true});
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().where().field, "photo");
  EXPECT_EQ(card.error().message().find("leaves the photo folder"), std::string::npos) << card.error().to_string();
  EXPECT_EQ(card.error().where().record, 0);
  std::filesystem::remove(bad);

  Record late = env().records[0];
  late.set("expiry_date", "2020-01-01");
  auto c2 = env().composer.compose(env().specimen, late, env().issuer);
  ASSERT_FALSE(c2);
  EXPECT_EQ(c2.error().where().field, "expiry_date");

  Issuer unsigned_issuer;
  auto c3 = env().composer.compose(env().specimen, env().records[0], unsigned_issuer);
  ASSERT_FALSE(c3);
  EXPECT_EQ(c3.error().code(), Errc::bad_key);
}

TEST(Compose, RecordPhotosStayInTheRecordsFolderUnlessTheCallerSaysOtherwise) {
  // The specimen records live in assets/records and name photos/...: inside their own folder.
  const Record& r = env().records[0];
  const auto assets = test::source_dir() / "assets";
  ComposeOptions o;  // default: the record's folder
  EXPECT_TRUE(env().composer.compose(env().specimen, r, env().issuer, o));
  o.photo_root = assets;
  EXPECT_TRUE(env().composer.compose(env().specimen, r, env().issuer, o));
  o.photo_root = assets / "records/photos/";  // a trailing separator is the same folder
  EXPECT_TRUE(env().composer.compose(env().specimen, r, env().issuer, o));

  o.photo_root = assets / "templates";
  auto out = env().composer.compose(env().specimen, r, env().issuer, o);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), Errc::invalid_field);
  EXPECT_EQ(out.error().where().field, "photo");
  EXPECT_EQ(out.error().where().record, r.index);
  EXPECT_NE(out.error().message().find("leaves the photo folder"), std::string::npos) << out.error().to_string();

  // Refused on the text, before anything is opened: a file that exists and one that does not
  // give the same error, so the records cannot probe the machine. A sibling folder whose name
  // starts like the root's is not inside it. First with the default root (the record's folder),
  // then with a named one.
  const auto passwd = std::string("/etc/passwd");
  const auto sibling = (assets / "records2/a.jpg").string();
  for (const auto& root : {std::filesystem::path(), assets / "records/photos"}) {
    o.photo_root = root;
    for (const std::string& path :
         {passwd, std::string("/no/such/file.jpg"), std::string("../keys/specimen-es256/key.pem"),
          std::string("photos/../../keys/x.jpg"), std::string("../records2/a.jpg"), sibling}) {
      Record hostile = r;
      hostile.set("photo", path);
      auto h = env().composer.compose(env().specimen, hostile, env().issuer, o);
      ASSERT_FALSE(h) << root << " " << path;
      EXPECT_EQ(h.error().code(), Errc::invalid_field) << path;
      EXPECT_NE(h.error().message().find("leaves the photo folder"), std::string::npos) << h.error().to_string();
    }
  }

  // A record built in memory has no folder: its photos stay in the working directory, so an
  // absolute path elsewhere needs the caller's word.
  Record in_memory = r;
  in_memory.base_dir.clear();
  in_memory.set("photo", (assets / "records/photos/astronaut.png").string());
  o.photo_root.clear();
  auto refused = env().composer.compose(env().specimen, in_memory, env().issuer, o);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("working directory"), std::string::npos) << refused.error().to_string();
  o.allow_any_photo_path = true;
  EXPECT_TRUE(env().composer.compose(env().specimen, in_memory, env().issuer, o));
}

TEST(Preview, OverlaysAndUvAreOptIn) {
  auto card = compose_record(0);
  auto p = env().renderer.render(*card, Side::front, {Dpi{150}});
  ASSERT_TRUE(p);
  auto plain = env().renderer.preview(*card, *p, {});
  auto over = env().renderer.preview(*card, *p, {.overlays = true});
  ASSERT_TRUE(plain && over);
  EXPECT_NE(std::memcmp(plain->data(), over->data(), plain->size_bytes()), 0);
  const Image c = composite(*p);
  EXPECT_EQ(std::memcmp(plain->data(), c.data(), c.size_bytes()), 0);
}

TEST(Png, WritesSrgbWithDpiAtomically) {
  auto card = compose_record(0);
  auto p = env().renderer.render(*card, Side::front, {Dpi{150}});
  const Image img = composite(*p);
  const auto dir = std::filesystem::temp_directory_path() / "sdc-png-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "front.png";
  ASSERT_TRUE(write_png(img.view(), path, {.dpi = Dpi{150}}));
  auto back = load_image(path);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->dpi().v, 150);
  ASSERT_EQ(back->size_bytes(), img.size_bytes());
  EXPECT_EQ(std::memcmp(back->data(), img.data(), img.size_bytes()), 0);
  // A folder that does not exist: an error naming the path, and nothing written.
  auto st = write_png(img.view(), dir / "missing" / "x.png");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), Errc::io);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing"));
  // No temporary files are left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  std::filesystem::remove_all(dir);
}

// Static items after the last personal item of their ink (the SPECIMEN mark or a border over the
// data) are drawn once into a layer and composited over each card's personal items: they stay on
// top, on every card, cached or not.
TEST(Render, AStaticItemAfterAPersonalOneStaysOnTop) {
  auto t = Template::parse(R"({"sdc_template": 1, "front": {"elements": [
      {"type": "rect", "name": "under", "x": 5, "y": 5, "w": 60, "h": 20, "fill": "#00ff00"},
      {"type": "field", "name": "surname", "x": 10, "y": 10, "w": 50, "h": 10, "field": "surname", "size": 24,
       "bold": true, "color": "#000000", "max_lines": 1},
      {"type": "rect", "name": "cover", "x": 10, "y": 5, "w": 12, "h": 20, "fill": "#ff0000"},
      {"type": "rect", "name": "veil", "x": 40, "y": 5, "w": 25, "h": 20, "fill": "#0000ff", "opacity": 0.5}]}})",
                           "tail.json");
  ASSERT_TRUE(t) << t.error().to_string();
  auto uncached = Renderer::create(env().composer.fonts(), {.cache_entries = 0});
  const auto cover = MmRect{Mm{10}, Mm{5}, Mm{12}, Mm{20}};
  for (std::size_t r : {0u, 1u, 2u}) {
    auto card = env().composer.compose(*t, env().records.at(r), env().issuer, {.dpi = Dpi{150}});
    ASSERT_TRUE(card) << card.error().to_string();
    auto p = env().renderer.render(*card, Side::front, {Dpi{150}});
    auto q = uncached->render(*card, Side::front, {Dpi{150}});
    ASSERT_TRUE(p && q);
    ASSERT_EQ(std::memcmp(p->process.data(), q->process.data(), p->process.size_bytes()), 0) << "record " << r;
    // Under the red cover: red only, though the name's first letters are drawn there first.
    const PxRect c{p->trim.x + to_px(cover.x, Dpi{150}).v + 1, p->trim.y + to_px(cover.y, Dpi{150}).v + 1,
                   to_px(cover.w, Dpi{150}).v - 2, to_px(cover.h, Dpi{150}).v - 2};
    for (int y = c.y; y < c.y + c.h; ++y)
      for (int x = c.x; x < c.x + c.w; ++x) {
        const std::uint8_t* px = p->process.row(y) + 3 * x;
        ASSERT_TRUE(px[0] > 250 && px[1] < 5 && px[2] < 5) << "record " << r << " at " << x << "," << y;
      }
    // Under the half-transparent veil, the green stock shows through blended, and the name's black
    // ink (where the name reaches it) darkens it: the veil is over both, not under the name.
    const PxRect v{p->trim.x + to_px(Mm{41}, Dpi{150}).v, p->trim.y + to_px(Mm{6}, Dpi{150}).v, 4, 4};
    const std::uint8_t* g = p->process.row(v.y) + 3 * v.x;
    EXPECT_NEAR(g[1], 128, 3);
    EXPECT_NEAR(g[2], 128, 3);
  }
}

TEST(Render, ImageElementDrawsItsAssetInTheBox) {
  auto t = Template::parse(R"({"sdc_template": 1, "front": {"elements": [
      {"type": "image", "name": "picture", "x": 10, "y": 10, "w": 20, "h": 20, "src": "astronaut.png", "fit": "cover"}]}})",
                           "image.json", sdc::test::source_dir() / "assets/records/photos");
  ASSERT_TRUE(t) << t.error().to_string();
  auto card = env().composer.compose(*t, env().records[0], env().issuer);
  ASSERT_TRUE(card) << card.error().to_string();
  auto p = env().renderer.render(*card, Side::front, {Dpi{150}});
  ASSERT_TRUE(p);
  const auto& e = item(*card, Side::front, "picture");
  EXPECT_LT(mean(p->process, px_box(*p, e)), 200.0);  // the photo, not white stock
  const PxRect outside{p->trim.x + to_px(Mm{40}, Dpi{150}).v, p->trim.y + to_px(Mm{10}, Dpi{150}).v, 20, 20};
  EXPECT_GT(mean(p->process, outside), 254.0);  // nothing drawn outside the box
}
