// The `pattern` and `copy` findings of Checker::check_card: the specimen card rendered at 600 dpi
// with a fixed issuer seed passes both; the same card made with another seed (same trusted key)
// fails `pattern`; a simulated scan-and-reprint (simulate.hpp preset `copy`, fixed seed) fails
// `copy`; without the issuer's seed both are not_checked, and a coarse capture leaves `copy`
// unjudged with the estimated dpi in the reason. Also: simulated captures whose fronts the locator
// once placed off (flatbed scans of the pale front, desk photos where the edge is weak).
#include "forensics/forensics.hpp"
#include "verify/checker_detail.hpp"
#include "verify/corner_error.hpp"
#include "verify/glare.hpp"

#include <sdc/compose.hpp>
#include <sdc/qr.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/simulate.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace sdc::test {
namespace {

const std::filesystem::path kSrc = SDC_SOURCE_DIR;
const std::int64_t kAt = 1796083200;  // 2026-12-01
const Dpi kDpi{600};

template <class T>
T ok(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

std::vector<std::uint8_t> seed_of(const char* text) {
  return std::vector<std::uint8_t>(text, text + std::char_traits<char>::length(text));
}

struct Side2 {
  Image front, back;  // the full render (bleed box)
  PxRect trim;
  Image front_trim, back_trim;
};

struct Fixture {
  Template specimen;
  Record record;
  TrustStore trust;
  Composer composer;
  Renderer renderer;
  Side2 genuine;
};

Side2 make_card(const Composer& composer, const Renderer& renderer, const Template& t, const Record& record,
                const Issuer& issuer) {
  const Card card = ok(composer.compose(t, record, issuer, {.dpi = kDpi}));
  Side2 out;
  for (Side s : {Side::front, Side::back}) {
    const Planes p = ok(renderer.render(card, s, {kDpi}));
    Image full = composite(p);
    out.trim = p.trim;
    (s == Side::front ? out.front_trim : out.back_trim) = Image::copy_of(full.view().cropped(p.trim));
    (s == Side::front ? out.front : out.back) = std::move(full);
  }
  return out;
}

// The specimen issuer XXA with the Ed25519 key and the pattern seed `seed`.
Issuer issuer_xxa(const char* seed) {
  const auto key_dir = kSrc / "assets/keys/specimen-ed25519";
  Issuer issuer;
  issuer.code = "XXA";
  issuer.signer = ok(load_signer(key_dir / "key.pem", key_dir / "cert.pem"));
  issuer.pattern_seed = seed_of(seed);
  return issuer;
}

const Fixture& fx() {
  static const std::unique_ptr<Fixture> f = [] {
    auto out = std::make_unique<Fixture>();
    out->specimen = ok(Template::load(kSrc / "assets/templates/specimen.json"));
    out->record = ok(load_records(kSrc / "assets/records/specimen.csv")).at(0);
    out->composer = ok(Composer::create({.fonts_dir = kSrc / "fonts"}));
    out->renderer = ok(Renderer::create(out->composer.fonts()));
    const auto key_dir = kSrc / "assets/keys/specimen-ed25519";
    Issuer issuer = issuer_xxa("forensic test seed, issuer XXA");
    out->genuine = make_card(out->composer, out->renderer, out->specimen, out->record, issuer);
    std::ifstream cert(key_dir / "cert.pem", std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(cert)), std::istreambuf_iterator<char>());
    auto st = out->trust.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    if (!st) throw std::runtime_error(st.error().to_string());
    return out;
  }();
  return *f;
}

// The same card made with another pattern seed (the same trusted key), made when a test first asks
// for it: a process that runs only the concurrency test (ThreadSanitizer's) does not make it.
const Side2& other_seed() {
  static const Side2 card = [] {
    const Fixture& f = fx();
    return make_card(f.composer, f.renderer, f.specimen, f.record, issuer_xxa("another seed, not the issuer's"));
  }();
  return card;
}

CheckerOptions checker_options(bool with_seed, bool allow_unjudged_copy = false, double pattern_threshold = 0.5) {
  CheckerOptions o;
  o.allow_unjudged_copy = allow_unjudged_copy;
  o.pattern_threshold = pattern_threshold;
  o.check_time = kAt;
  o.templates = {fx().specimen};
  o.resources = Resources{.fonts_dir = kSrc / "fonts"};
  if (with_seed) o.pattern_seeds["XXA"] = seed_of("forensic test seed, issuer XXA");
  return o;
}

Checker checker(bool with_seed, bool allow_unjudged_copy = false, double pattern_threshold = 0.5) {
  return ok(Checker::create(fx().trust, checker_options(with_seed, allow_unjudged_copy, pattern_threshold)));
}

// A checker with the options above (the issuer's seed) for every test that needs no other: a
// Checker is made for many checks, and what it keeps from one to the next (its face cascades, copy
// bases and references) must not change a report (TheBacksCopyReferenceIsKeptAndServesEveryCard
// checks that with fresh checkers). Sharing one also saves each test its own.
const Checker& shared_checker() {
  static const Checker c = checker(true);
  return c;
}

// The box of the specimen's element `name` on `side`, if it has one.
std::optional<MmRect> element_box(Side side, std::string_view name) {
  for (const auto& e : fx().specimen.elements(side))
    if (e.name == name) return e.box;
  return std::nullopt;
}

const Finding& get(const Report& r, std::string_view check) {
  const Finding* f = r.find(check, 0);
  if (!f) throw std::runtime_error("no finding " + std::string(check) + " in " + to_json(r));
  return *f;
}

TEST(ForensicFindings, GenuineCardPassesPatternAndCopy) {
  const auto r = ok(shared_checker().check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view()));
  const Finding& p = get(r, "pattern");
  const Finding& c = get(r, "copy");
  EXPECT_EQ(p.outcome, Outcome::pass) << p.reason;
  EXPECT_EQ(c.outcome, Outcome::pass) << c.reason;
  ASSERT_TRUE(p.score && p.threshold);
  EXPECT_GE(*p.score, *p.threshold);
  EXPECT_DOUBLE_EQ(*p.threshold, 0.5);
  ASSERT_TRUE(c.score && c.threshold);
  EXPECT_DOUBLE_EQ(*c.threshold, 0.60);
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
  bool timed = false;
  for (const auto& t : r.timings) timed = timed || t.stage == "forensics";
  EXPECT_TRUE(timed);
  EXPECT_NE(to_json(r).find("\"pattern\""), std::string::npos);
}

// The back's fine lines are all static, so its copy reference is made once per template and issuer
// and kept: checking the back again, or another card's back, finds the same as a fresh checker.
// The back alone is measured but not judged (the copy check is calibrated on the personal
// guilloché: the back as rendered, a perfect print, scored 0.17, and the genuine card was
// `invalid`); the reason gives the correlation.
TEST(ForensicFindings, TheBacksCopyReferenceIsKeptAndServesEveryCard) {
  const Checker kept = checker(true);
  const auto first = ok(kept.check_card(fx().genuine.back_trim.view()));
  const auto again = ok(kept.check_card(fx().genuine.back_trim.view()));
  const auto other = ok(kept.check_card(other_seed().back_trim.view()));
  const auto fresh = ok(checker(true).check_card(other_seed().back_trim.view()));
  const Finding& c = get(first, "copy");
  EXPECT_EQ(c.outcome, Outcome::not_checked) << c.reason;
  EXPECT_NE(c.reason.find("calibrated on the side with the personal guilloché"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("correlation"), std::string::npos) << c.reason;
  EXPECT_NE(first.verdict, Verdict::invalid) << to_json(first);
  EXPECT_EQ(get(again, "copy").reason, c.reason);
  EXPECT_EQ(get(other, "copy").reason, get(fresh, "copy").reason);
  EXPECT_EQ(get(other, "copy").outcome, get(fresh, "copy").outcome);
  // With the front, the back is not measured at all, and the front's copy passes.
  const auto both = ok(kept.check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view()));
  EXPECT_EQ(get(both, "copy").outcome, Outcome::pass) << get(both, "copy").reason;
}

// Threads checking with one Checker share its kept references and bases (ThreadSanitizer runs
// this): the back alone (its whole reference kept) and both sides (the front's base kept).
TEST(ForensicFindings, ConcurrentChecksShareTheCopyReference) {
  const Checker shared = checker(true);
  const auto back = ok(checker(true).check_card(fx().genuine.back_trim.view()));
  const auto both = ok(checker(true).check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view()));
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      auto r = i % 2 == 0 ? shared.check_card(fx().genuine.back_trim.view())
                          : shared.check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view());
      if (r)
        if (const Finding* f = r->find("copy", 0)) got[i] = f->reason;
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], get(i % 2 == 0 ? back : both, "copy").reason) << i;
}

TEST(ForensicFindings, CopyReferenceCacheKeepsTheNewestFew) {
  detail::CopyReferenceCache cache;
  const Composer composer = ok(Composer::create({.fonts_dir = kSrc / "fonts"}));
  const auto key_dir = kSrc / "assets/keys/specimen-ed25519";
  Issuer issuer;
  issuer.code = "XXA";
  issuer.signer = ok(load_signer(key_dir / "key.pem", key_dir / "cert.pem"));
  const Card c = ok(composer.compose(fx().specimen, fx().record, issuer, {.dpi = Dpi{300}}));
  const auto ref = ok(forensics::copy_reference(1011, 638, Dpi{300}, c, Side::back));
  EXPECT_TRUE(cache.find("a").empty());
  // Not "k" + std::to_string(i): GCC 12 at -O2 and up warns of a memcpy bound over the largest
  // object there (-Wstringop-overflow, a false positive of its string insert), an error with
  // SDC_WERROR.
  const auto key = [](std::size_t i) { return std::string("k").append(std::to_string(i)); };
  for (std::size_t i = 0; i < detail::CopyReferenceCache::kMax + 3; ++i) cache.add(key(i), ref);
  cache.add("k5", ref);  // already there: kept once
  EXPECT_EQ(cache.size(), detail::CopyReferenceCache::kMax);
  EXPECT_TRUE(cache.find("k0").empty());  // the oldest went first
  EXPECT_FALSE(cache.find("k5").empty());
  EXPECT_FALSE(cache.find(key(detail::CopyReferenceCache::kMax + 2)).empty());
}

// The public defaults and the forensics' own are one calibration, written in two headers (the
// public one cannot include the internal one): they must not drift apart.
TEST(ForensicFindings, CheckerDefaultsAreTheForensicsCalibratedThresholds) {
  const CheckerOptions o;
  EXPECT_DOUBLE_EQ(o.pattern_threshold, forensics::kPatternThreshold);
  EXPECT_DOUBLE_EQ(o.copy_threshold, forensics::kCopyThreshold);
  EXPECT_DOUBLE_EQ(o.text_threshold, forensics::kTextThreshold);
  EXPECT_DOUBLE_EQ(o.text_glyph_threshold, forensics::kTextGlyphThreshold);
}

TEST(ForensicFindings, CardMadeWithAnotherSeedFailsPattern) {
  const auto r = ok(shared_checker().check_card(other_seed().front_trim.view(), other_seed().back_trim.view()));
  const Finding& p = get(r, "pattern");
  EXPECT_EQ(p.outcome, Outcome::fail) << p.reason;
  ASSERT_TRUE(p.score);
  EXPECT_LT(*p.score, 0.35);
  EXPECT_NE(p.reason.find("pattern id"), std::string::npos) << p.reason;
  // The seal itself is genuine (the trusted key signed it): only the print betrays the card.
  EXPECT_EQ(get(r, "seal_signature").outcome, Outcome::pass);
  EXPECT_EQ(r.verdict, Verdict::invalid);
}

// Where no face shows in the portrait's place, the card may be located wrongly (a poor phone photo
// of a genuine card: G-harsh card 36 of eval_checker, and 15 other such captures in this session's
// runs, were `invalid` by a pattern measured on the desk), so a failed print check on that side is
// a retake (`uncertain_location`), not a verdict; so where a face shows out of place. The card is
// never genuine either way: here the portrait covered by a plain label on a card printed with
// another seed is suspicious, with both reasons; uncovered, it is invalid
// (CardMadeWithAnotherSeedFailsPattern).
TEST(ForensicFindings, APrintCheckOnASideWithNoFaceInItsPortraitIsARetake) {
  Image front = Image::copy_of(other_seed().front_trim.view());
  ASSERT_EQ(front.format(), PixelFormat::rgb8);
  const double k = kDpi.v / 25.4;
  for (int y = static_cast<int>(11.0 * k); y < static_cast<int>(41.4 * k); ++y)
    for (int x = static_cast<int>(2.0 * k); x < static_cast<int>(26.0 * k); ++x) {
      std::uint8_t* p = front.row(y) + 3 * x;
      p[0] = 205;
      p[1] = 200;
      p[2] = 190;
    }
  const auto r = ok(shared_checker().check_card(front.view(), other_seed().back_trim.view()));
  // The front has no QR code to say which way is up: turned, the ghost image lies where the
  // portrait goes, and is taken for a face out of place (face_misplaced); either way the card's
  // place is in doubt.
  const std::string photo = get(r, "photo").code;
  EXPECT_TRUE(photo == "no_face" || photo == "face_misplaced") << get(r, "photo").reason;
  const Finding& p = get(r, "pattern");
  EXPECT_EQ(p.outcome, Outcome::warn) << p.reason;
  EXPECT_EQ(p.code, "uncertain_location");
  EXPECT_NE(p.reason.find("the card may be located wrongly"), std::string::npos) << p.reason;
  EXPECT_EQ(r.verdict, Verdict::suspicious) << to_json(r);
}

// A print-scan capture of the genuine card through `channel` with its last capture at `capture_dpi`,
// straightened with the simulator's true corners at that resolution (so that these tests measure
// the forensic checks, not the locator), and checked with the issuer's seed.
struct Captures {
  Image front, back;
};

// Both sides of the genuine card through `ch`: the front with `seed`, the back with seed + 1.
std::pair<Capture, Capture> simulated(const Channel& ch, std::uint64_t seed) {
  const auto& g = fx().genuine;
  return {ok(simulate(g.front.view(), kDpi, g.trim, ch, seed)),
          ok(simulate(g.back.view(), kDpi, g.trim, ch, seed + 1))};
}

// Both sides of the genuine card through a preset channel whose last capture `change` alters, checked
// end to end with the issuer's seed.
Report checked_through(const char* channel, std::uint64_t seed, const std::function<void(CaptureStep&)>& change) {
  Channel ch = ok(channel_preset(channel, kDpi));
  change(ch.passes.back().capture);
  const auto [front, back] = simulated(ch, seed);
  return ok(shared_checker().check_card(front.image.view(), back.image.view()));
}

// Both sides through `ch`, straightened with the simulator's corners at its last capture's dpi.
Captures straightened(const Channel& ch, std::uint64_t seed) {
  const auto [front, back] = simulated(ch, seed);
  const SideGeometry geom;
  const Dpi dpi = ch.passes.back().capture.dpi;
  return {ok(rectify_quad(front.image.view(), front.corners, geom.trim(), dpi)),
          ok(rectify_quad(back.image.view(), back.corners, geom.trim(), dpi))};
}

// The glare spot is over the front's personal band and densest fine lines unless placed elsewhere
// (`glare_at`: fractions of the printed card's width and height).
Captures captures(const char* channel, int capture_dpi, std::uint64_t seed, double glare = 0,
                  std::array<double, 2> glare_at = {0.5, 0.83}, double glare_size = 0) {
  Channel ch = ok(channel_preset(channel, kDpi));
  ch.passes.back().capture.glare_size = glare_size;
  ch.passes.back().capture.dpi = Dpi{capture_dpi};
  ch.passes.back().capture.glare = glare;
  ch.passes.back().capture.glare_x = glare_at[0];
  ch.passes.back().capture.glare_y = glare_at[1];
  return straightened(ch, seed);
}
Report checked(const Captures& c) {
  return ok(shared_checker().check_card(c.front.view(), c.back.view()));
}
Report checked(const Captures& c, const CheckerOptions& options) {
  return ok(ok(Checker::create(fx().trust, options)).check_card(c.front.view(), c.back.view()));
}
Report checked_capture(const char* channel, int capture_dpi, std::uint64_t seed, double glare = 0) {
  return checked(captures(channel, capture_dpi, seed, glare));
}

TEST(ForensicFindings, SimulatedCopyFailsCopy) {
  // The copy channel's own capture (400 dpi) and one at the floor of judged captures (380 dpi).
  for (const int dpi : {400, 385}) {
    const auto r = checked_capture("copy", dpi, 7001);
    EXPECT_EQ(get(r, "seal_signature").outcome, Outcome::pass) << to_json(r);
    EXPECT_EQ(get(r, "pattern").outcome, Outcome::pass) << get(r, "pattern").reason;
    const Finding& c = get(r, "copy");
    EXPECT_EQ(c.outcome, Outcome::fail) << dpi << " dpi: " << c.reason;
    ASSERT_TRUE(c.score);
    EXPECT_LT(*c.score, *c.threshold);
    EXPECT_EQ(r.verdict, Verdict::invalid) << dpi << " dpi";
  }
}

// A careful forger's copy (a lossless 1200 dpi scan, reprinted as finely as the original) scores as
// an original does on a phone photo, so a copy check passed there says it rules out a coarse copy
// only. On a sharp scan that shows the card's edges (the simulator's own capture, located by the
// checker) the threshold rises and the same copy is not passed, and an original's pass says nothing
// more; cropped to the card, the scan's sharpness is not measured and the caveat stays.
TEST(ForensicFindings, APassedCopyCheckSaysWhatItsResolutionRulesOut) {
  const auto photo = checked_capture("medium", 400, 7201);
  const Finding& c = get(photo, "copy");
  EXPECT_EQ(c.outcome, Outcome::pass) << c.reason;
  EXPECT_NE(c.reason.find("rules out a coarse copy only"), std::string::npos) << c.reason;
  EXPECT_EQ(photo.verdict, Verdict::genuine) << to_json(photo);

  // A side through `channel` ending in a flatbed scan at `dpi`, the card's edges in it.
  const auto scan = [](const Image& side, const char* channel, int dpi, std::uint64_t seed) {
    Channel ch = ok(channel_preset(channel, kDpi));
    ch.passes.back().capture = ok(channel_preset("mild", kDpi)).passes.back().capture;
    ch.passes.back().capture.dpi = Dpi{dpi};
    return ok(simulate(side.view(), kDpi, fx().genuine.trim, ch, seed));
  };
  const auto checked_scans = [](const Capture& front, const Capture& back) {
    return ok(shared_checker().check_card(front.image.view(), back.image.view()));
  };
  const Capture back = scan(fx().genuine.back, "mild", 1200, 7202);
  const auto original = checked_scans(scan(fx().genuine.front, "mild", 1200, 7201), back);
  EXPECT_EQ(get(original, "copy").outcome, Outcome::pass) << get(original, "copy").reason;
  // Its pale back, turned 1.6 degrees on the white lid, was once located 2.35 mm short (its best
  // outline's left side on the guilloché printed inside it), and its text was then not compared.
  // Within 0.15 mm now (7 px at 1200 dpi), and both sides' text is compared.
  ASSERT_EQ(original.sides.size(), 2u);
  double back_off = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const ImagePoint& p = original.sides[1].location.corners[i];
    back_off = std::max(back_off, std::hypot(p.x - back.corners[i].x, p.y - back.corners[i].y));
  }
  EXPECT_LT(back_off, 7.0);
  EXPECT_EQ(get(original, "text").outcome, Outcome::pass) << get(original, "text").reason;
  EXPECT_EQ(get(original, "text").reason.find("not compared"), std::string::npos) << get(original, "text").reason;
  EXPECT_EQ(get(original, "copy").reason.find("coarse copy"), std::string::npos) << get(original, "copy").reason;
  EXPECT_EQ(original.verdict, Verdict::genuine) << to_json(original);
  // The copy's front (where the fine lines are judged) with the original's back: only the copy
  // check stands between it and genuine.
  const auto fine_copy = checked_scans(scan(fx().genuine.front, "copy-fine", 600, 7201), back);
  EXPECT_EQ(get(fine_copy, "pattern").outcome, Outcome::pass) << get(fine_copy, "pattern").reason;
  EXPECT_NE(get(fine_copy, "copy").outcome, Outcome::pass) << get(fine_copy, "copy").reason;
  EXPECT_NE(fine_copy.verdict, Verdict::genuine) << to_json(fine_copy);
}

// `image` with `mm` millimetres (at kDpi) of its own border pixels repeated around it: no edge in the
// margin, so locate_card takes the whole image as the card.
Image padded(const Image& image, double mm) {
  const int m = static_cast<int>(std::lround(mm * kDpi.v / 25.4));
  Image out(image.width() + 2 * m, image.height() + 2 * m, image.format());
  const int bpp = image.format() == PixelFormat::rgb8 ? 3 : 4;
  for (int y = 0; y < out.height(); ++y) {
    const int sy = std::clamp(y - m, 0, image.height() - 1);
    for (int x = 0; x < out.width(); ++x) {
      const int sx = std::clamp(x - m, 0, image.width() - 1);
      std::memcpy(out.row(y) + bpp * x, image.view().row(sy) + bpp * sx, static_cast<std::size_t>(bpp));
    }
  }
  return out;
}

// An image taken as the card itself though its margin is wider than a print bleed (a camera's 3:2
// photo of a card whose outline was not found has 4.7 mm: a genuine card in strong perspective was
// `invalid` this way, its portrait and pattern compared at the wrong place) leaves a print check's
// failure a retake (`uncertain_location`), never genuine; with a print bleed's margin it fails.
TEST(ForensicFindings, AFailureWhereTheCardsPlaceIsInDoubtIsARetake) {
  const Image wide = padded(other_seed().front_trim, 4.7), bleed = padded(other_seed().front_trim, 2.0);
  const auto doubtful = ok(shared_checker().check_card(wide.view(), other_seed().back_trim.view()));
  const Finding& p = get(doubtful, "pattern");
  EXPECT_EQ(p.outcome, Outcome::warn) << to_json(doubtful);
  EXPECT_EQ(p.code, "uncertain_location");
  EXPECT_NE(p.reason.find("margin of 4.7 mm"), std::string::npos) << p.reason;
  EXPECT_EQ(doubtful.verdict, Verdict::suspicious);
  const auto sure = ok(shared_checker().check_card(bleed.view(), other_seed().back_trim.view()));
  EXPECT_EQ(get(sure, "pattern").outcome, Outcome::fail) << to_json(sure);
  EXPECT_EQ(sure.verdict, Verdict::invalid);
  // The rule itself: only the whole image, only a margin of 3 mm or more.
  CardLocation l;
  l.found = true;
  l.method = "whole_image";
  const double k = 600 / 25.4, w = 85.6 * k, h = 53.98 * k;
  for (const double m : {4.7, 2.0}) {
    l.corners = {ImagePoint{m * k, m * k}, ImagePoint{m * k + w, m * k}, ImagePoint{m * k + w, m * k + h},
                 ImagePoint{m * k, m * k + h}};
    l.side_px = {w, h, w, h};
    const int iw = static_cast<int>(w + 2 * m * k), ih = static_cast<int>(h + 2 * m * k);
    EXPECT_EQ(detail::uncertain_location(l, iw, ih, CardFormat::id1).empty(), m < 3) << m;
    l.method = "outline";
    EXPECT_TRUE(detail::uncertain_location(l, iw, ih, CardFormat::id1).empty());
    l.method = "whole_image";
  }
}

// A side located millimetres off (a white card on a pale desk, its left edge washed out by a
// highlight, was located 2.4 mm inside it: its portrait, pattern and text all failed, and the
// genuine card was `invalid`) shows it in the template's labels, off their place or not found.
// The labels place the side again and it is checked there: the genuine card passes, and a card
// with another seed's pattern, moved and turned a little (an affine map from 11 labels), fails
// (before, both were retakes). A side located around the card, 4 mm outside, is placed too, from
// the size of such an outline. Where they cannot place it (5 mm outside), its failures are
// retakes and the card suspicious.
TEST(ForensicFindings, AFrontLocatedMillimetresOffIsPlacedByItsLabels) {
  // What a rectification `mm` inside the left edge gives: the rest stretched to the card's width.
  const auto stretched_by = [&](const Image& front, double mm) {
    const double cut = mm * kDpi.v / 25.4, w = front.width();
    const int bpp = front.format() == PixelFormat::rgb8 ? 3 : 4;
    Image out(front.width(), front.height(), front.format());
    for (int y = 0; y < front.height(); ++y)
      for (int x = 0; x < front.width(); ++x) {
        const double sx = cut + (x + 0.5) * (w - cut) / w - 0.5;
        const int x0 = std::clamp(static_cast<int>(sx), 0, front.width() - 1), x1 = std::min(x0 + 1, front.width() - 1);
        const double t = sx - x0;
        for (int c = 0; c < bpp; ++c)
          out.row(y)[bpp * x + c] = static_cast<std::uint8_t>(
              std::lround((1 - t) * front.view().row(y)[bpp * x0 + c] + t * front.view().row(y)[bpp * x1 + c]));
      }
    return out;
  };
  const double cut = 2.4 * kDpi.v / 25.4, w = fx().genuine.front_trim.width();
  const auto r =
      ok(shared_checker().check_card(stretched_by(fx().genuine.front_trim, 2.4).view(), fx().genuine.back_trim.view()));
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
  for (const char* check : {"photo", "pattern", "copy", "text"})
    EXPECT_EQ(get(r, check).outcome, Outcome::pass) << check << ": " << get(r, check).reason;
  ASSERT_EQ(r.sides.size(), 2u);
  const CardLocation& l = r.sides[0].location;
  EXPECT_EQ(l.method, "labels");
  EXPECT_EQ(r.sides[1].location.method, "whole_image");
  const auto locate =
      std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.check == "locate"; });
  ASSERT_NE(locate, r.findings.end());
  EXPECT_NE(locate->reason.find("printed labels"), std::string::npos) << locate->reason;
  // What the first check found: how far the side was first located, and what failed there.
  EXPECT_NE(locate->reason.find("first located up to 2.6 mm away, where 'pattern', 'copy', 'text' did not hold"),
            std::string::npos)
      << locate->reason;
  // The card's left edge lies outside the image, where the cut put it; within 0.15 mm.
  const double left = -cut * w / (w - cut), tol = 0.15 * kDpi.v / 25.4;
  EXPECT_NEAR(l.corners[0].x, left, tol);
  EXPECT_NEAR(l.corners[3].x, left, tol);
  EXPECT_NEAR(l.corners[1].x, w, tol);
  EXPECT_TRUE(
      std::any_of(r.timings.begin(), r.timings.end(), [](const StageTime& t) { return t.stage == "first_check"; }));

  // Another seed's card, its front moved 1.3 mm right and 0.9 mm down in its frame and turned 0.6
  // degrees about its centre (the border repeated): most labels off by more than 1 mm, all within
  // the 3 mm searched, and an affine map from them. Placed, its pattern still fails.
  {
    const Image& front = other_seed().front_trim;
    const double k = kDpi.v / 25.4, c = std::cos(0.6 * 3.14159265358979 / 180),
                 sn = std::sin(0.6 * 3.14159265358979 / 180), cx = front.width() / 2.0, cy = front.height() / 2.0;
    const double dx = 1.3 * k, dy = 0.9 * k;
    const int bpp = front.format() == PixelFormat::rgb8 ? 3 : 4;
    Image moved(front.width(), front.height(), front.format());
    for (int y = 0; y < front.height(); ++y)
      for (int x = 0; x < front.width(); ++x) {
        const double ux = x - cx - dx, uy = y - cy - dy;
        const int sx = std::clamp(static_cast<int>(std::lround(cx + c * ux + sn * uy)), 0, front.width() - 1);
        const int sy = std::clamp(static_cast<int>(std::lround(cy - sn * ux + c * uy)), 0, front.height() - 1);
        std::memcpy(moved.row(y) + bpp * x, front.view().row(sy) + bpp * sx, static_cast<std::size_t>(bpp));
      }
    const auto m = ok(shared_checker().check_card(moved.view(), other_seed().back_trim.view()));
    EXPECT_EQ(m.verdict, Verdict::invalid) << to_json(m);
    EXPECT_EQ(get(m, "pattern").outcome, Outcome::fail) << get(m, "pattern").reason;
    ASSERT_FALSE(m.sides.empty());
    EXPECT_EQ(m.sides[0].location.method, "labels");
    // The card's corners where the move put them, within 0.15 mm.
    const double fw = front.width(), fh = front.height();
    const ImagePoint trim[4] = {{0, 0}, {fw, 0}, {fw, fh}, {0, fh}};
    for (std::size_t i = 0; i < 4; ++i) {
      const double sx = trim[i].x - cx, sy = trim[i].y - cy;
      EXPECT_NEAR(m.sides[0].location.corners[i].x, cx + dx + c * sx - sn * sy, 0.15 * k) << i;
      EXPECT_NEAR(m.sides[0].location.corners[i].y, cy + dy + sn * sx + c * sy, 0.15 * k) << i;
    }
  }

  // A verifier without the issuer's seed compares only the portrait. Located around the card, 4 mm
  // outside each edge (a sleeve or a shadow), its labels show 9 to 13 % smaller and too few are
  // found; searched again at the sizes of such outlines, the side is placed and its portrait
  // matches. 5 mm outside, it is not placed: its mismatch is a retake.
  const auto framed_by = [&](const Image& front, double mm) {
    const double m = mm * kDpi.v / 25.4, fw = front.width(), fh = front.height();
    const int bpp = front.format() == PixelFormat::rgb8 ? 3 : 4;
    Image out(front.width(), front.height(), front.format());
    for (int y = 0; y < front.height(); ++y)
      for (int x = 0; x < front.width(); ++x) {
        const int sx = static_cast<int>(std::lround((x + 0.5) * (fw + 2 * m) / fw - m - 0.5));
        const int sy = static_cast<int>(std::lround((y + 0.5) * (fh + 2 * m) / fh - m - 0.5));
        const bool card = sx >= 0 && sy >= 0 && sx < front.width() && sy < front.height();
        for (int c = 0; c < bpp; ++c) out.row(y)[bpp * x + c] = card ? front.view().row(sy)[bpp * sx + c] : 200;
      }
    return out;
  };
  const auto placed =
      ok(checker(false).check_card(framed_by(fx().genuine.front_trim, 4.0).view(), fx().genuine.back_trim.view()));
  EXPECT_EQ(get(placed, "photo").outcome, Outcome::pass) << get(placed, "photo").reason;
  EXPECT_EQ(placed.sides[0].location.method, "labels");
  EXPECT_EQ(placed.verdict, Verdict::genuine) << to_json(placed);
  // The card's corners 4 mm inside the frame's, within 0.15 mm.
  const double in = 4.0 * kDpi.v / 25.4, h = fx().genuine.front_trim.height();
  const double tx = in * w / (w + 2 * in), ty = in * h / (h + 2 * in);
  EXPECT_NEAR(placed.sides[0].location.corners[0].x, tx, tol);
  EXPECT_NEAR(placed.sides[0].location.corners[0].y, ty, tol);
  EXPECT_NEAR(placed.sides[0].location.corners[2].x, w - tx, tol);
  EXPECT_NEAR(placed.sides[0].location.corners[2].y, h - ty, tol);
  const auto seedless =
      ok(checker(false).check_card(framed_by(fx().genuine.front_trim, 5.0).view(), fx().genuine.back_trim.view()));
  const Finding& photo = get(seedless, "photo");
  EXPECT_EQ(photo.outcome, Outcome::warn) << photo.reason;
  EXPECT_EQ(photo.code, "uncertain_location") << photo.reason;
  EXPECT_NE(photo.reason.find("labels on the front side"), std::string::npos) << photo.reason;
  EXPECT_EQ(seedless.verdict, Verdict::suspicious) << to_json(seedless);
}

// A copy score a little under its threshold (CheckerOptions::copy_borderline) is not declared a
// copy on one capture: `copy` warns `borderline`, the card is suspicious and the reason says how to
// decide. Further under, or with no borderline, it fails and the card is invalid.
TEST(ForensicFindings, ACopyScoreALittleUnderItsThresholdIsBorderline) {
  const Captures copy = captures("copy", 400, 7001);
  const double score = *get(checked(copy), "copy").score;
  const auto with = [&](double threshold, double borderline) {
    CheckerOptions o = checker_options(true);
    o.copy_threshold = threshold;
    o.copy_threshold_per_px = 0;  // the threshold as given, whatever the capture's sharpness
    o.copy_borderline = borderline;
    return checked(copy, o);
  };
  const Report near = with(score + 0.02, 0.03);
  const Finding& c = get(near, "copy");
  EXPECT_EQ(c.outcome, Outcome::warn) << c.reason;
  EXPECT_EQ(c.code, "borderline");
  EXPECT_NE(c.reason.find("flatbed at 600 dpi"), std::string::npos) << c.reason;
  EXPECT_EQ(near.verdict, Verdict::suspicious) << to_json(near);
  for (const auto& [threshold, borderline] : {std::pair{score + 0.04, 0.03}, std::pair{score + 0.02, 0.0}}) {
    const Report far = with(threshold, borderline);
    EXPECT_EQ(get(far, "copy").outcome, Outcome::fail) << get(far, "copy").reason;
    EXPECT_EQ(get(far, "copy").code, "copy");
    EXPECT_EQ(far.verdict, Verdict::invalid);
  }
  EXPECT_EQ(get(with(score - 0.01, 0.03), "copy").outcome, Outcome::pass);
}

// A reflection on the laminate over the front's personal band and densest fine lines (the
// simulator's glare): before, 8 of 8 genuine captures were `invalid` (pattern mismatch or copy).
// The washed-out tiles are left out; what they could decide is a retake (`glare`, suspicious), and
// the reason says what to do. A copy under the same glare is never genuine. The spot falls on the
// back's MRZ too: before, `mrz` warned `unreadable`, which does not tell the officer what to do.
TEST(ForensicFindings, GlareOverTheFineLinesIsARetakeNotAForgery) {
  for (const std::uint64_t seed : {101u, 102u}) {
    const auto r = checked_capture("medium", 400, seed, 1.0);
    EXPECT_EQ(r.verdict, Verdict::suspicious) << seed << ": " << to_json(r);
    const Finding& p = get(r, "pattern");
    const Finding& c = get(r, "copy");
    EXPECT_TRUE(p.code == "glare" || c.code == "glare") << seed << ": " << to_json(r);
    // The spot is over the back's MRZ too: read through it, or a retake that says why.
    const Finding& m = get(r, "mrz");
    EXPECT_TRUE(m.outcome == Outcome::pass || m.code == "glare") << seed << ": " << m.code << ": " << m.reason;
    for (const Finding* f : {&p, &c, &m}) {
      EXPECT_NE(f->outcome, Outcome::fail) << seed << ": " << f->reason;
      if (f->code == "glare") {
        EXPECT_EQ(f->outcome, Outcome::warn);
        EXPECT_NE(f->reason.find("tilt the card away from the light"), std::string::npos) << f->reason;
      }
    }
  }
  const auto copy = checked_capture("copy", 400, 104, 1.0);
  EXPECT_NE(copy.verdict, Verdict::genuine) << to_json(copy);
}

// Glare over the surname: an element washed out is unread, not matched. Before, `text` passed on
// the other elements ("1 washed out by glare left out"), so where glare hid text and nothing else
// the card could be genuine, and a highlight over an altered name would hide it. Now `text` warns
// `glare`, and the card is a retake.
TEST(ForensicFindings, GlareOverAPersonalTextElementIsARetake) {
  const std::optional<MmRect> box = element_box(Side::front, "surname");
  ASSERT_TRUE(box);
  const SideGeometry geom;
  const auto bleed = geom.bleed_box();
  const std::array<double, 2> at = {(geom.bleed.v + box->x.v + box->w.v / 2) / bleed.w.v,
                                    (geom.bleed.v + box->y.v + box->h.v / 2) / bleed.h.v};
  const auto r = checked(captures("medium", 400, 7301, 1.0, at));
  const Finding& t = get(r, "text");
  EXPECT_EQ(t.outcome, Outcome::warn) << t.reason;
  EXPECT_EQ(t.code, "glare");
  EXPECT_NE(t.reason.find("washed out by glare left out"), std::string::npos) << t.reason;
  EXPECT_NE(t.reason.find("tilt the card away from the light"), std::string::npos) << t.reason;
  // The seal, the portrait and the pattern are read and match (`copy` warns `glare` as well on
  // this capture): `text` must not pass on what it could not read.
  EXPECT_EQ(get(r, "pattern").outcome, Outcome::pass) << get(r, "pattern").reason;
  EXPECT_EQ(r.verdict, Verdict::suspicious) << to_json(r);
}

// Two captures of one card under glare, the spot over the surname on one and over the document
// number on the other: each alone is a retake (`text` warns `glare`, the element under the spot
// unread). Checked together (Checker::check_captures), every element is read on one capture or
// the other and the card is genuine. A capture of another seed's print with the same seal fails
// its pattern, and a failure on any capture fails the card.
TEST(ForensicFindings, RetakesReadWhatGlareHidOnEach) {
  const SideGeometry geom;
  const auto bleed = geom.bleed_box();
  const auto over = [&](const char* element) {
    const std::optional<MmRect> box = element_box(Side::front, element);
    if (!box) throw std::runtime_error(std::string("no element ") + element);
    return std::array<double, 2>{(geom.bleed.v + box->x.v + box->w.v / 2) / bleed.w.v,
                                 (geom.bleed.v + box->y.v + box->h.v / 2) / bleed.h.v};
  };
  const Captures a = captures("medium", 400, 7301, 1.0, over("surname"));
  const Captures b = captures("medium", 400, 7303, 1.0, over("document_number"));
  const Checker& c = shared_checker();
  const std::vector<CardImages> both{{a.front.view(), a.back.view(), "a-front", "a-back"},
                                     {b.front.view(), b.back.view(), "b-front", "b-back"}};
  const Report r = ok(c.check_captures(both));
  const Finding& t = get(r, "text");
  EXPECT_EQ(t.outcome, Outcome::pass) << t.reason;
  // Each capture alone left an element unread (a retake); together they read them all.
  EXPECT_NE(t.reason.find("'surname' not read on capture 1 ('a-front')"), std::string::npos) << t.reason;
  EXPECT_NE(t.reason.find("'document_number'"), std::string::npos) << t.reason;
  EXPECT_NE(t.reason.find("not read on capture 2 ('b-front')"), std::string::npos) << t.reason;
  for (const char* check : {"photo", "pattern", "copy", "mrz"})
    EXPECT_EQ(get(r, check).outcome, Outcome::pass) << check << ": " << get(r, check).reason;
  const Finding* note = r.find("captures", -1);
  ASSERT_NE(note, nullptr) << to_json(r);
  EXPECT_EQ(note->outcome, Outcome::pass);
  EXPECT_NE(note->reason.find("2 captures of one card combined"), std::string::npos) << note->reason;
  EXPECT_EQ(r.sides.size(), 4u);
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);

  // A failure on any capture fails the card: another seed's print of the front, with the back.
  const auto& g = fx().genuine;
  const std::vector<CardImages> forged{{g.front_trim.view(), g.back_trim.view(), "front", "back"},
                                       {other_seed().front_trim.view(), g.back_trim.view(), "other", "back"}};
  const Report f = ok(c.check_captures(forged));
  EXPECT_EQ(get(f, "pattern").outcome, Outcome::fail) << get(f, "pattern").reason;
  EXPECT_EQ(f.verdict, Verdict::invalid) << to_json(f);

  // Captures of two cards (another record's back: another seal) are not combined.
  Record other_record = fx().record;
  other_record.set("document_number", "XA0000999");
  const Side2 other = make_card(fx().composer, fx().renderer, fx().specimen, other_record,
                                issuer_xxa("forensic test seed, issuer XXA"));
  const std::vector<CardImages> two{{g.front_trim.view(), g.back_trim.view(), "front", "back"},
                                    {other.back_trim.view(), {}, "other-back", ""}};
  const Report d = ok(c.check_captures(two));
  const Finding* differ = d.find("captures", -1);
  ASSERT_NE(differ, nullptr) << to_json(d);
  EXPECT_EQ(differ->outcome, Outcome::warn);
  EXPECT_EQ(differ->code, "different_cards");
  EXPECT_NE(differ->reason.find("document XA0000999"), std::string::npos) << differ->reason;
  EXPECT_EQ(d.verdict, Verdict::suspicious) << to_json(d);
  EXPECT_FALSE(c.check_captures({}));
}

// Glare over the back's QR code (the spot centred on it): before, `qr` failed `no_code` ("no QR
// code found in the image"), which does not tell the officer what to do. Now `glare` says that the
// place where the template prints the code is washed out, and to retake the photo away from the
// light; the card stays unreadable. So does a smaller spot over part of the code that leaves it
// unread (a tenth or more of its place clipped white; before, `no_code`). Where no code is printed (the
// specimen's front alone, with or without glare), no code read stays `no_code`: pale flat blocks
// there look washed out (5 of 25), but not the whole place, and print is never clipped white.
TEST(ForensicFindings, GlareOverTheQrCodeIsNamed) {
  const Checker& c = shared_checker();
  int washed_out = 0;
  for (const std::uint64_t seed : {201u, 202u, 203u}) {
    const Captures cap = captures("medium", 400, seed, 1.6, {0.84, 0.33});
    const Report r = ok(c.check_card(cap.front.view(), cap.back.view()));
    const Finding* qr = r.find("qr", -1);
    ASSERT_NE(qr, nullptr) << to_json(r);
    if (qr->outcome == Outcome::pass) continue;  // read through the spot
    ++washed_out;
    EXPECT_EQ(qr->code, "glare") << seed << ": " << qr->reason;
    EXPECT_NE(qr->reason.find("tilt the card away from the light"), std::string::npos) << qr->reason;
    EXPECT_EQ(r.verdict, Verdict::unreadable) << to_json(r);
  }
  EXPECT_GE(washed_out, 2);  // the spot does hide the code
  const Captures corner = captures("medium", 400, 211, 1.2, {0.88, 0.27}, 0.04);
  const Report part = ok(c.check_card(corner.front.view(), corner.back.view()));
  const Finding* qr = part.find("qr", -1);
  ASSERT_NE(qr, nullptr) << to_json(part);
  EXPECT_EQ(qr->code, "glare") << qr->reason;
  EXPECT_EQ(part.verdict, Verdict::unreadable) << to_json(part);
  for (const double glare : {0.0, 1.6}) {
    const Captures lit_front = captures("medium", 400, 204, glare);
    const Report front = ok(c.check_card(lit_front.front.view(), ImageView()));
    const Finding* none = front.find("qr", -1);
    ASSERT_NE(none, nullptr) << to_json(front);
    EXPECT_EQ(none->code, "no_code") << glare << ": " << none->reason;
  }
}

// The card checked end to end reads its seal (`qr` passes, the signature holds) and is not
// unreadable.
void expect_seal_read(const Captures& cap, std::uint64_t seed) {
  const Report r = checked(cap);
  const Finding* qr = r.find("qr", -1);
  ASSERT_NE(qr, nullptr) << to_json(r);
  EXPECT_EQ(qr->outcome, Outcome::pass) << seed << ": " << qr->reason;
  EXPECT_EQ(get(r, "seal_signature").outcome, Outcome::pass) << seed;
  EXPECT_NE(r.verdict, Verdict::unreadable) << seed;
}

// Both sides of the genuine card through the medium channel at 400 dpi under a shadow: the light
// times 0.4 beyond a straight edge with a penumbra of `edge_mm` (a phone held over the card),
// straightened with the simulator's corners.
Captures shadowed(std::uint64_t seed, double edge_mm = 1.0, double strength = 0.6) {
  Channel ch = ok(channel_preset("medium", kDpi));
  ch.passes.back().capture.dpi = Dpi{400};
  ch.passes.back().capture.shadow = strength;
  ch.passes.back().capture.shadow_edge_mm = edge_mm;
  return straightened(ch, seed);
}

// A shadow's sharp edge across the back's QR code (a phone held over the card): before, zxing-cpp
// read neither the capture nor the card with its contrast stretched locally (the stretch spreads
// the step over its 3 mm), and the genuine card was unreadable (4 of 38 phone captures of the
// harness with this shadow, 6 of 38 with a 0.3 mm penumbra). The card divided by its paper's
// light is read.
TEST(ForensicFindings, AQrCodeAcrossAShadowsEdgeIsRead) {
  for (const std::uint64_t seed : {304u, 314u}) {
    const Captures cap = shadowed(seed);
    EXPECT_TRUE(decode_qr_codes(cap.back.view()).empty()) << seed;  // zxing alone does not read it
    EXPECT_TRUE(decode_qr_codes(detail::flatten_glare(cap.back.view(), Dpi{400}).view()).empty()) << seed;
    EXPECT_FALSE(decode_qr_codes(detail::even_out_light(cap.back.view(), Dpi{400}).view()).empty()) << seed;
    expect_seal_read(cap, seed);
  }
}

// A shadow over the fine lines leaves their scores lower bounds (noisier lines, an edge the
// template does not have): where the tiles in the shadow could change the outcome, `copy` is a
// retake (`shadow`), not a copy. Here a shadow of 0.8 lies over 9 of the 12 tiles and the median is
// 0.45, under the 0.55 under which a card is a copy: it would be `invalid`. A shadow of 0.6 over 4
// of them leaves a genuine card genuine (0.65; before the thirtieth session this capture was a
// retake: the tiles beside the header band, whose dark print read as a shadow, counted in it).
// (A letter crossed by the shadow's edge: Shadow.AShadowsEdgeThroughALetterIsReadWithTheLightEvenedOut.)
TEST(ForensicFindings, AShadowOverTheCardIsARetakeNotAForgery) {
  const Report dark = checked(shadowed(305, 0.3, 0.8));
  const Finding& c = get(dark, "copy");
  EXPECT_EQ(c.outcome, Outcome::warn) << c.reason;
  EXPECT_EQ(c.code, "shadow");
  EXPECT_NE(c.reason.find("a shadow darkens 9 of the 12 fine-line tiles"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("light the card evenly"), std::string::npos) << c.reason;
  EXPECT_EQ(get(dark, "text").outcome, Outcome::pass) << get(dark, "text").reason;
  EXPECT_EQ(dark.verdict, Verdict::suspicious) << to_json(dark);

  const Report lighter = checked(shadowed(308, 0.3, 0.6));
  const Finding& l = get(lighter, "copy");
  EXPECT_EQ(l.outcome, Outcome::pass) << l.reason;
  EXPECT_NE(l.reason.find("4 tiles in a shadow"), std::string::npos) << l.reason;
  EXPECT_EQ(lighter.verdict, Verdict::genuine) << to_json(lighter);
}

// A weaker highlight over the back's QR code lifts its modules to a few levels under the paper,
// which zxing-cpp's binarizer takes for a flat area: the code read neither on the capture nor on
// the rectified card, and the card was unreadable (4 of 6 seeds at this strength). The card is
// read again with its contrast stretched locally, and the seal is read.
TEST(ForensicFindings, AQrCodeUnderAHighlightIsReadWithItsContrastStretched) {
  for (const std::uint64_t seed : {212u, 214u}) {
    const Captures cap = captures("medium", 400, seed, 0.9, {0.84, 0.33});
    EXPECT_TRUE(decode_qr_codes(cap.back.view()).empty()) << seed;  // zxing alone does not read it
    expect_seal_read(cap, seed);
  }
}

// Copy detection judges captures from 380 dpi (CheckerOptions::min_copy_capture_dpi, calibrated on
// the simulator: bench/RESULTS.md): a genuine card photographed through the medium channel at 385
// dpi is judged and passes; before, the floor was the medium channel's own 400 dpi, and half its
// captures, estimated a little under it, were retakes.
TEST(ForensicFindings, GenuineCaptureAtTheFloorIsJudgedAndPasses) {
  const auto r = checked_capture("medium", 385, 7101);
  const Finding& c = get(r, "copy");
  EXPECT_EQ(c.outcome, Outcome::pass) << c.reason;
  EXPECT_EQ(get(r, "pattern").outcome, Outcome::pass) << get(r, "pattern").reason;
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

// A flatbed scan (the simulator's mild channel: white lid, 600 dpi, turned up to 2 degrees) of the
// specimen's front, whose pale field meets the lid in a weak step with a line printed just inside:
// the outline follows the card's edge, not the line. Before, 4 of the first 8 were 13.5 px off;
// 2000021 was until push_out took a weaker edge beside a plain lid; 2000013 still is (the edge too
// weak or the lid not plain enough beside it there).
// How far locate_card places the genuine front's corners in the capture of `channel` with `seed`
// (pixels; up to the 180° turn), and by which method.
std::pair<double, std::string> side_located(const char* channel, std::uint64_t seed, Side side) {
  const Channel ch = ok(channel_preset(channel, kDpi));
  const Image& print = side == Side::front ? fx().genuine.front : fx().genuine.back;
  const Capture cap = ok(simulate(print.view(), kDpi, fx().genuine.trim, ch, seed));
  const CardLocation l = ok(locate_card(cap.image.view()));
  if (!l.found) return {1e9, "not found"};
  std::array<ImagePoint, 4> truth;  // simulate's pixel centres are at integers; ImagePoint's at +0.5
  for (std::size_t i = 0; i < 4; ++i) truth[i] = {cap.corners[i].x + 0.5, cap.corners[i].y + 0.5};
  return {corner_error_either(l, truth), l.method};
}
std::pair<double, std::string> front_located(const char* channel, std::uint64_t seed) {
  return side_located(channel, seed, Side::front);
}

TEST(ForensicFindings, AFlatbedScanOfAPaleFrontIsLocatedByItsEdge) {
  for (const std::uint64_t seed :
       {2000011u, 2000015u, 2000017u, 2000019u, 2000021u, 2000023u, 2000025u, 2000027u, 2000029u}) {
    const auto [error, method] = front_located("mild", seed);
    EXPECT_LT(error, 4.0) << "seed " << seed << ", " << method;
  }
}

// The specimen's pale back on the scanner's white lid (bench/eval_checker's G-mild backs: 19 of 40
// were located 118 px, 5 mm, short): its navy band along the top edge is the only strong edge of
// the card's outline, and the outline through the band's lower edge and the guilloché border
// printed just inside the other sides had a card's shape at the detection scale. Fitted to the
// card's edge on those three sides it is a rectangle too long for a card by the band's width, and
// is completed by the card's aspect to the band's outer edge. Before, 5 of the 12 odd seeds from
// 2000011 were 117 to 118 px off: these 5 and one that was not. Seed 2000025, an upright scan
// whose crop has the aspect of a card with 5.6 mm around it, was taken as the image's card, 12.9 px
// off: with more margin down than across, the card is larger than that aspect says (2.4 px now).
TEST(ForensicFindings, AFlatbedScanOfAPaleBackTakesInItsEdgeBand) {
  for (const std::uint64_t seed : {2000011u, 2000013u, 2000017u, 2000023u, 2000025u, 2000029u, 2000033u}) {
    const auto [error, method] = side_located("mild", seed, Side::back);
    EXPECT_LT(error, 4.0) << "seed " << seed << ", " << method;
  }
}

// Desk photos of the medium channel (bench/eval_checker's G-medium cards 76, 143, 156 and 164 of
// seed 1, whose fronts were located 18 to 208 px off): (a) the blue rectangle behind the card meets
// its navy header's top edge at a shallow angle, and the line detector followed it past where they
// meet; (b) the photo's aspect is that of a card with 5 mm around it, so it was taken for the card
// itself; (c, d) the right side followed the card's edge below and the border microtext 1.5 mm
// inside it above, where the header meets a dark background, which made the quad squarer than the
// card in perspective is and so outscored the card's outline.
TEST(ForensicFindings, DeskPhotosWhereTheCardsEdgeIsWeakAreLocatedByIt) {
  for (const std::uint64_t seed : {2200161u, 2200295u, 2200321u, 2200337u}) {
    const auto [error, method] = front_located("medium", seed);
    EXPECT_LT(error, 3.0) << "seed " << seed << ", " << method;
  }
}

// Harsh phone photos (bench/eval_checker's G-harsh cards 17 and 169 of seed 1, located 116 px off
// and judged invalid): the navy header's outer edge against a brown desk is weaker than its inner
// edge against the card, and in this strong perspective the outline through the inner edge looked
// more like a card's aspect (shape penalty 0.07) than the card (0.20), so it outscored the card's
// outline (whose sides end at its corners) by 1.45 times.
TEST(ForensicFindings, AHeaderBandInStrongPerspectiveIsPartOfTheCard) {
  for (const std::uint64_t seed : {2400043u, 2400347u}) {
    const auto [error, method] = front_located("harsh", seed);
    EXPECT_LT(error, 4.0) << "seed " << seed << ", " << method;
  }
}

// A desk photo (medium channel) of the card lying on a dark folder, a rectangle of about the card's
// aspect around it with sharp corners (bench/eval_checker's F-back card 17, its genuine front 257
// px off): the rule that takes an outline enclosing the best (the card's edge around a frame
// printed on it) took the folder, seen all round and ending at its corners. A card's corners are
// rounded: an enclosing outline with more sharp ends than the best's (or 2) is not the card.
TEST(ForensicFindings, ADeskPhotoOfACardLyingOnAFolderIsLocatedByTheCard) {
  const auto [error, method] = front_located("medium", 4600043u);
  EXPECT_LT(error, 3.0) << method;
}

// `box` of a 600 dpi trim washed white, as by a highlight.
void whiten(Image& trim, const MmRect& box) {
  const double k = kDpi.px_per_mm();
  const int bpp = trim.format() == PixelFormat::rgba8 ? 4 : 3;
  for (int y = static_cast<int>(box.y.v * k); y < static_cast<int>(box.bottom().v * k); ++y)
    std::memset(trim.row(y) + bpp * static_cast<int>(box.x.v * k), 255,
                static_cast<std::size_t>(bpp * static_cast<int>(box.w.v * k)));
}

// `r`'s altered docket number (fx().record's, changed) fails `text`, on the side of r.sides[`at`],
// which the template's labels placed.
void expect_docket_fails_where_labels_put_it(const Report& r, std::size_t at) {
  const Finding& t = get(r, "text");
  EXPECT_EQ(t.outcome, Outcome::fail) << t.reason;
  EXPECT_NE(t.reason.find("of 'docket_number'"), std::string::npos) << t.reason;
  EXPECT_EQ(r.verdict, Verdict::invalid) << to_json(r);
  ASSERT_GT(r.sides.size(), at);
  EXPECT_EQ(r.sides[at].location.method, "labels");
  EXPECT_TRUE(r.sides[at].location.upright_known);
}

// The genuine card's trims (front, back) with the box of the element `name` of `side` taken from
// a print of `altered`, and the back's print then moved `back_off_mm` right and down (a reprint off
// its place).
std::pair<Image, Image> overprinted_trims(const Record& altered, const char* name, Side side = Side::front,
                                          double back_off_mm = 0) {
  const Side2 forged =
      make_card(fx().composer, fx().renderer, fx().specimen, altered, issuer_xxa("forensic test seed, issuer XXA"));
  const std::optional<MmRect> box = element_box(side, name);
  if (!box) throw std::runtime_error(std::string("no element ") + name);
  Image front_trim = Image::copy_of(fx().genuine.front_trim.view());
  Image back_trim = Image::copy_of(fx().genuine.back_trim.view());
  Image& trim = side == Side::front ? front_trim : back_trim;
  const Image& from = side == Side::front ? forged.front_trim : forged.back_trim;
  const double k = kDpi.px_per_mm();
  const int x0 = static_cast<int>(box->x.v * k), x1 = static_cast<int>(box->right().v * k);
  const int bpp = trim.format() == PixelFormat::rgba8 ? 4 : 3;
  for (int y = static_cast<int>(box->y.v * k); y < static_cast<int>(box->bottom().v * k); ++y)
    std::memcpy(trim.row(y) + bpp * x0, from.row(y) + bpp * x0, static_cast<std::size_t>(bpp * (x1 - x0)));
  if (back_off_mm > 0) {
    const int off = static_cast<int>(std::lround(back_off_mm * k));
    const Image at = Image::copy_of(back_trim.view());
    for (int y = 0; y < back_trim.height(); ++y)
      for (int x = 0; x < back_trim.width(); ++x)
        std::memcpy(back_trim.row(y) + bpp * x, at.row(std::max(0, y - off)) + bpp * std::max(0, x - off),
                    static_cast<std::size_t>(bpp));
  }
  return {std::move(front_trim), std::move(back_trim)};
}
Report overprinted(const Record& altered, const char* name, Side side = Side::front, double back_off_mm = 0) {
  const auto [front, back] = overprinted_trims(altered, name, side, back_off_mm);
  return ok(shared_checker().check_card(front.view(), back.view()));
}

// The name people read, overprinted on the front of a genuine card whose QR code and zone stay
// genuine (the harness's set F-name: accepted before the `text` check): the printed surname is
// compared with the card the seal describes, and fails; the genuine card's text passes. Then the
// smallest alteration that pays, one digit of the validity year on the front (F-date), and the
// back's docket number (F-back), also on a back reprinted off its place. Everything else is the
// genuine card.
TEST(ForensicFindings, AnOverprintedNameOrDateFailsTheTextCheck) {
  const auto genuine = ok(shared_checker().check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view()));
  const Finding& t = get(genuine, "text");
  EXPECT_EQ(t.outcome, Outcome::pass) << t.reason;
  ASSERT_TRUE(t.score && t.threshold);
  EXPECT_GT(*t.score, 0.9) << t.reason;
  // The element or the glyph furthest under (or least over) its own threshold.
  EXPECT_TRUE(*t.threshold == 0.6 || *t.threshold == 0.75) << *t.threshold;

  Record altered = fx().record;
  altered.set("surname", "Forgeron");
  altered.set("surname_latin", "FORGERON");
  const Report r = overprinted(altered, "surname");
  const Finding& f = get(r, "text");
  EXPECT_EQ(f.outcome, Outcome::fail) << f.reason;
  EXPECT_EQ(f.code, "mismatch");
  EXPECT_NE(f.reason.find("'surname'"), std::string::npos) << f.reason;
  ASSERT_TRUE(f.score);
  EXPECT_LT(*f.score, 0.5) << f.reason;
  // The seal, the portrait, the pattern and the zone are all genuine: only the text tells.
  for (const char* check : {"seal_signature", "photo", "pattern", "mrz"})
    EXPECT_EQ(get(r, check).outcome, Outcome::pass) << check << ": " << get(r, check).reason;
  EXPECT_EQ(r.verdict, Verdict::invalid) << to_json(r);

  Record later = fx().record;
  const std::string expiry = *later.get("expiry_date");
  later.set("expiry_date", std::to_string(std::stoi(expiry.substr(0, 4)) + 2) + expiry.substr(4));
  const Report d = overprinted(later, "expiry");
  const Finding& g = get(d, "text");
  EXPECT_EQ(g.outcome, Outcome::fail) << g.reason;
  EXPECT_NE(g.reason.find("of 'expiry' (the sealed data has"), std::string::npos) << g.reason;
  ASSERT_TRUE(g.score && g.threshold);
  EXPECT_DOUBLE_EQ(*g.threshold, 0.75);
  EXPECT_LT(*g.score, 0.65) << g.reason;
  for (const char* check : {"seal_signature", "photo", "pattern", "mrz"})
    EXPECT_EQ(get(d, check).outcome, Outcome::pass) << check << ": " << get(d, check).reason;
  EXPECT_EQ(d.verdict, Verdict::invalid) << to_json(d);

  // The back has no personal guilloché to place it; its labels do, and its docket number, which
  // neither the front nor the zone carries, is compared too.
  Record docket = fx().record;
  docket.set("docket_number", "CR-2026-004871");
  ASSERT_NE(*fx().record.get("docket_number"), "CR-2026-004871");
  const Report b = overprinted(docket, "docket_number", Side::back);
  const Finding& h = get(b, "text");
  EXPECT_EQ(h.outcome, Outcome::fail) << h.reason;
  EXPECT_NE(h.reason.find("back side: the printed character"), std::string::npos) << h.reason;
  EXPECT_NE(h.reason.find("of 'docket_number'"), std::string::npos) << h.reason;
  EXPECT_EQ(b.verdict, Verdict::invalid) << to_json(b);
  // The same back reprinted 0.6 mm off its place each way: its labels, 0.8 mm off, do not confirm
  // its place; its text is compared, fails, and the labels place the side where it was printed,
  // where its text fails again (before, it was left out, and the front's passing text passed the
  // card: genuine).
  expect_docket_fails_where_labels_put_it(overprinted(docket, "docket_number", Side::back, 0.6), 1);
  // A genuine back printed 1.2 mm off each way (a printer's misregistration), further than the
  // text's search: placed by its labels, its text passes there, and the card is genuine.
  const Report misregistered = overprinted(fx().record, "docket_number", Side::back, 1.2);
  for (const char* check : {"seal_signature", "photo", "pattern", "copy", "text", "mrz"})
    EXPECT_EQ(get(misregistered, check).outcome, Outcome::pass) << check << ": " << get(misregistered, check).reason;
  EXPECT_EQ(misregistered.verdict, Verdict::genuine) << to_json(misregistered);
  ASSERT_EQ(misregistered.sides.size(), 2u);
  EXPECT_EQ(misregistered.sides[1].location.method, "labels");
}

// A highlight over three of the back's five labels (washed white, the personal text beside them
// untouched) leaves too few to place the side. Its text is compared all the same, and its pass is
// taken: each element shows the sealed text within the search. Before, the back's text went unread
// and the genuine card was a retake (`text` warned `glare`).
TEST(ForensicFindings, ABackWhoseLabelsGlareWashedOutIsReadByItsText) {
  Image back = Image::copy_of(fx().genuine.back_trim.view());
  for (const char* label : {"back_title", "docket_label", "office_label"}) {
    const std::optional<MmRect> box = element_box(Side::back, label);
    ASSERT_TRUE(box) << label;
    whiten(back, {box->x, box->y, box->w, Mm{2.0}});  // its top 2 mm: the text below it untouched
  }
  const Report r = ok(shared_checker().check_card(fx().genuine.front_trim.view(), back.view()));
  const Finding& t = get(r, "text");
  EXPECT_EQ(t.outcome, Outcome::pass) << t.reason;
  EXPECT_EQ(t.reason.find("not compared"), std::string::npos) << t.reason;
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

// A retake whose QR code glare hid is checked against the seal another capture read
// (Checker::check_captures), and nothing on its back then says which way up it is. Before, that
// back's text was left out: a retake showing a back with an altered docket number, upside down,
// passed `text` on its front alone, and the card was genuine with the first capture's genuine back.
// Now the back's labels say which way up it is, and the card is checked again that way: the
// docket number fails.
TEST(ForensicFindings, ARetakesBackWithoutItsQrCodeIsTurnedUpByItsLabelsAndCompared) {
  Record docket = fx().record;
  docket.set("docket_number", "CR-2026-004871");
  auto [front, back] = overprinted_trims(docket, "docket_number", Side::back);
  for (const auto& e : fx().specimen.elements(Side::back))
    if (e.type == "qr") whiten(back, e.box);
  const Image turned = detail::rotated_180(back.view());
  const auto& g = fx().genuine;
  const std::vector<CardImages> captures{{g.front_trim.view(), g.back_trim.view(), "front", "back"},
                                         {front.view(), turned.view(), "retake", "retake-back"}};
  expect_docket_fails_where_labels_put_it(ok(shared_checker().check_captures(captures)), 3);

  // Where the labels cannot say which way up it is either (three of its five washed white), that
  // back's text is unread: with the docket number washed out on the first capture, no capture read
  // it, and `text` does not pass (before, the retake's front passed it).
  Image washed_docket = Image::copy_of(g.back_trim.view());
  whiten(washed_docket, *element_box(Side::back, "docket_number"));
  Image unknown_up = Image::copy_of(g.back_trim.view());
  for (const auto& e : fx().specimen.elements(Side::back))
    if (e.type == "qr" || e.name == "back_title" || e.name == "docket_label" || e.name == "office_label")
      whiten(unknown_up, e.box);
  const Image upside_down = detail::rotated_180(unknown_up.view());
  const std::vector<CardImages> unread{{g.front_trim.view(), washed_docket.view(), "front", "back"},
                                       {g.front_trim.view(), upside_down.view(), "retake", "retake-back"}};
  const Report u = ok(shared_checker().check_captures(unread));
  const Finding& t = get(u, "text");
  EXPECT_NE(t.outcome, Outcome::pass) << t.reason;
  EXPECT_NE(u.verdict, Verdict::genuine) << to_json(u);
}

// Nothing in the checker is the specimen's layout: a second template (tests/data/templates/
// mirrored.json: the front mirrored, the portrait on the right, the background and the personal
// guilloché drawn with other parameters) is judged as the specimen is. A phone photo of its
// genuine card is genuine, every check passing; checked with another seed than the issuer's, its
// pattern fails. (bench/eval_checker --template runs every set on it, copies included:
// bench/RESULTS.md, thirty-fourth session.)
TEST(ForensicFindings, ASecondLayoutIsJudgedAsTheSpecimenIs) {
  const Template mirrored = ok(Template::load(kSrc / "tests/data/templates/mirrored.json"));
  const Side2 card =
      make_card(fx().composer, fx().renderer, mirrored, fx().record, issuer_xxa("forensic test seed, issuer XXA"));
  CheckerOptions o = checker_options(true);
  o.templates = {mirrored};
  const Checker checker = ok(Checker::create(fx().trust, o));
  const Channel phone = ok(channel_preset("medium", kDpi));
  const Capture front = ok(simulate(card.front.view(), kDpi, card.trim, phone, 3401));
  const Capture back = ok(simulate(card.back.view(), kDpi, card.trim, phone, 3402));
  const Report genuine = ok(checker.check_card(front.image.view(), back.image.view()));
  for (const char* check : {"seal_signature", "photo", "pattern", "copy", "text", "mrz"})
    EXPECT_EQ(get(genuine, check).outcome, Outcome::pass) << check << ": " << get(genuine, check).reason;
  EXPECT_EQ(genuine.verdict, Verdict::genuine) << to_json(genuine);
  ASSERT_FALSE(genuine.sides.empty());
  EXPECT_EQ(genuine.sides[0].location.method, "outline");

  o.pattern_seeds["XXA"] = seed_of("another seed, not the issuer's");
  const Report other = ok(ok(Checker::create(fx().trust, o)).check_card(card.front_trim.view(), card.back_trim.view()));
  EXPECT_EQ(get(other, "pattern").outcome, Outcome::fail) << get(other, "pattern").reason;
  EXPECT_EQ(other.verdict, Verdict::invalid) << to_json(other);
}

TEST(ForensicFindings, NoSeedForTheIssuerIsNotChecked) {
  const auto r = ok(checker(false).check_card(fx().genuine.front_trim.view(), fx().genuine.back_trim.view()));
  for (const char* check : {"pattern", "copy", "text"}) {
    const Finding& f = get(r, check);
    EXPECT_EQ(f.outcome, Outcome::not_checked) << check;
    EXPECT_EQ(f.code, "no_seed");
    EXPECT_EQ(f.reason, "no pattern seed for issuer XXA");
  }
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

// A template whose design has no fine lines (no guilloché, no microtext) leaves nothing for the
// copy check to measure, whatever the capture: `copy` is not_checked, not a retake that no capture
// could ever satisfy, and a genuine card of that design is genuine.
TEST(ForensicFindings, ADesignWithoutFineLinesLeavesCopyNotCheckedNotARetake) {
  std::ifstream in(kSrc / "assets/templates/specimen.json", std::ios::binary);
  auto j = nlohmann::json::parse(in);
  for (const char* side : {"front", "back"}) {
    auto& els = j[side]["elements"];
    nlohmann::json kept = nlohmann::json::array();
    for (const auto& e : els)
      if (e.value("type", "") != "guilloche" && e.value("type", "") != "microtext") kept.push_back(e);
    els = kept;
  }
  const Template plain = ok(Template::parse(j.dump(), "plain.json", kSrc / "assets/templates"));
  const Composer composer = ok(Composer::create({.fonts_dir = kSrc / "fonts"}));
  const Renderer renderer = ok(Renderer::create(composer.fonts()));
  const Side2 card = make_card(composer, renderer, plain, fx().record, issuer_xxa("forensic test seed, issuer XXA"));
  CheckerOptions o;
  o.check_time = kAt;
  o.templates = {plain};
  o.resources = Resources{.fonts_dir = kSrc / "fonts"};
  o.pattern_seeds["XXA"] = seed_of("forensic test seed, issuer XXA");
  const Checker checker = ok(Checker::create(fx().trust, o));
  const auto r = ok(checker.check_card(card.front_trim.view(), card.back_trim.view()));
  const Finding& c = get(r, "copy");
  EXPECT_EQ(c.outcome, Outcome::not_checked) << to_json(r);
  EXPECT_NE(c.reason.find("fine lines"), std::string::npos) << c.reason;
  EXPECT_EQ(get(r, "pattern").outcome, Outcome::not_checked) << to_json(r);
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

TEST(ForensicFindings, CoarseCaptureLeavesCopyUnjudgedAndTheCardSuspicious) {
  // The genuine card at 300 dpi (under the 380 dpi floor): the pattern is still measured, but a
  // copy cannot be ruled out, so the card is a retake (suspicious), never genuine: a coarse phone
  // photo of a photocopy would look the same.
  const auto& g = fx().genuine;
  const SideGeometry geom;
  const std::array<PointF, 4> corners{
      PointF{0, 0}, PointF{static_cast<double>(g.front_trim.width()), 0},
      PointF{static_cast<double>(g.front_trim.width()), static_cast<double>(g.front_trim.height())},
      PointF{0, static_cast<double>(g.front_trim.height())}};
  const Image f = ok(rectify_quad(g.front_trim.view(), corners, geom.trim(), Dpi{300}));
  const Image b = ok(rectify_quad(g.back_trim.view(), corners, geom.trim(), Dpi{300}));
  const auto r = ok(shared_checker().check_card(f.view(), b.view()));
  const Finding& c = get(r, "copy");
  EXPECT_EQ(c.outcome, Outcome::warn) << c.reason;
  EXPECT_EQ(c.code, "low_resolution");
  EXPECT_NE(c.reason.find("about 300 dpi"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("retake it closer"), std::string::npos) << c.reason;
  EXPECT_EQ(get(r, "pattern").outcome, Outcome::pass) << get(r, "pattern").reason;
  EXPECT_EQ(r.verdict, Verdict::suspicious);

  // A deployment that accepts the risk: the unjudged copy is neutral.
  const auto lenient = ok(checker(true, true).check_card(f.view(), b.view()));
  EXPECT_EQ(get(lenient, "copy").outcome, Outcome::not_checked);
  EXPECT_EQ(lenient.verdict, Verdict::genuine);
}

// A card tilted 38 degrees before the phone about an axis near its long one (the medium channel at
// 420 dpi; the axis is drawn from the seed): down the card it is sampled at 335 to 355 dpi, under
// the copy floor, though its width gives over 420. Its fine lines were judged there and a genuine
// card could be called a copy (4 of 15 at 35 degrees in eval_checker --tilt 35); now the capture's
// dpi is the coarser direction's and the copy is a retake that asks for the camera held parallel
// to the card.
TEST(ForensicFindings, ACardTiltedBeforeThePhoneIsARetakeNotACopy) {
  Channel ch = ok(channel_preset("medium", kDpi));
  ch.passes.back().capture.dpi = Dpi{420};
  ch.passes.back().capture.tilt_deg = 38;
  for (const std::uint64_t seed : {8805u, 8815u}) {  // tilted across the card's height
    const auto [front, back] = simulated(ch, seed);
    const auto r = ok(shared_checker().check_card(front.image.view(), back.image.view()));
    ASSERT_FALSE(r.sides.empty());
    const auto& side = r.sides[0].side == "front" ? r.sides[0] : r.sides.back();
    ASSERT_EQ(side.side, "front");
    const auto& l = side.location;
    const double across = (l.side_px[0] + l.side_px[2]) / 2 / 85.60 * 25.4;
    EXPECT_GT(across, 380) << seed;
    EXPECT_LT(side.capture.dpi, 370) << seed;
    EXPECT_EQ(get(r, "pattern").outcome, Outcome::pass) << seed << ": " << get(r, "pattern").reason;
    const Finding& c = get(r, "copy");
    EXPECT_EQ(c.outcome, Outcome::warn) << seed << ": " << c.reason;
    EXPECT_EQ(c.code, "low_resolution") << seed;
    EXPECT_NE(c.reason.find("the card is tilted"), std::string::npos) << c.reason;
    EXPECT_NE(c.reason.find("parallel to the card"), std::string::npos) << c.reason;
    EXPECT_EQ(r.verdict, Verdict::suspicious) << seed << "\n" << to_json(r);
  }
}

// On a capture under the copy floor, a pattern a little under its threshold (up to 0.08) is a retake
// (`low_resolution`), and further under it a mismatch; at the floor or finer the threshold holds.
// The threshold is set relative to the card's own score, so the rule is tested, not the score.
TEST(ForensicFindings, ACoarseCapturesBorderlinePatternIsARetake) {
  const SideGeometry geom;
  for (const int dpi : {300, 400}) {
    // A phone photo (the medium channel) at `dpi`, straightened with the simulator's corners.
    Channel ch = ok(channel_preset("medium", kDpi));
    ch.passes.back().capture.dpi = Dpi{dpi};
    const auto [front, back] = simulated(ch, 7201);
    const Image f = ok(rectify_quad(front.image.view(), front.corners, geom.trim(), Dpi{dpi}));
    const Image b = ok(rectify_quad(back.image.view(), back.corners, geom.trim(), Dpi{dpi}));
    const double own = *get(ok(shared_checker().check_card(f.view(), b.view())), "pattern").score;
    ASSERT_LT(own, 0.9) << dpi << " dpi";
    const Finding near = get(ok(checker(true, false, own + 0.04).check_card(f.view(), b.view())), "pattern");
    const Finding far = get(ok(checker(true, false, own + 0.1).check_card(f.view(), b.view())), "pattern");
    EXPECT_EQ(far.outcome, Outcome::fail) << dpi << " dpi: " << far.reason;
    EXPECT_EQ(far.code, "mismatch");
    if (dpi < 380) {
      EXPECT_EQ(near.outcome, Outcome::warn) << near.reason;
      EXPECT_EQ(near.code, "low_resolution");
      EXPECT_NE(near.reason.find("retake it closer"), std::string::npos) << near.reason;
    } else {
      EXPECT_EQ(near.outcome, Outcome::fail) << near.reason;
      EXPECT_EQ(near.code, "mismatch");
    }
  }
}

// A replay: the genuine card scanned and shown at its size on a phone's screen (460 pixels per
// inch), photographed. Seal, portrait, pattern and text hold; the fine lines are lost to the
// screen's pixel grid. The screen's soft edge (and a hand that moved by a pixel) makes the photo
// too blurred to judge a copy on (a retake before), but the fine lines are gone further than blur
// takes an original's (CheckerOptions::copy_floor): `copy` fails and the card is invalid.
TEST(ForensicFindings, AReplayOnAScreenFailsItsCopyCheckThoughBlurred) {
  Channel ch = ok(channel_preset("screen", kDpi));
  ch.passes[1].capture.motion_px = 1;  // held a little less still: clearly blurred
  // The front replayed, where the fine lines are judged; the back (the seal) photographed.
  const auto& g = fx().genuine;
  const Capture front = ok(simulate(g.front.view(), kDpi, g.trim, ch, 7401));
  const Capture back = ok(simulate(g.back.view(), kDpi, g.trim, ok(channel_preset("medium", kDpi)), 7402));
  const Report r = ok(shared_checker().check_card(front.image.view(), back.image.view()));
  ASSERT_EQ(r.sides.size(), 2u);
  EXPECT_GT(r.sides[0].capture.edge_mm, CheckerOptions{}.max_copy_edge_mm);
  for (const char* check : {"seal_signature", "photo", "pattern"})
    EXPECT_EQ(get(r, check).outcome, Outcome::pass) << check << ": " << get(r, check).reason;
  const Finding& c = get(r, "copy");
  EXPECT_EQ(c.outcome, Outcome::fail) << c.reason;
  EXPECT_NE(c.reason.find("further than a capture this blurred"), std::string::npos) << c.reason;
  EXPECT_EQ(r.verdict, Verdict::invalid) << to_json(r);
  CheckerOptions o = checker_options(true);
  o.copy_floor = 0;  // as before: a retake
  const Report before = ok(ok(Checker::create(fx().trust, o)).check_card(front.image.view(), back.image.view()));
  EXPECT_EQ(get(before, "copy").code, "blurred") << get(before, "copy").reason;
}

// A phone photo taken while the hand moved by 6 px (0.38 mm at the card): the fine lines of the
// genuine card fall to a copy's score, so judged they would call it a copy. The card's own edge
// shows the movement, so the copy is not judged and the card is a retake (suspicious), with what
// to do; the same photo taken still is genuine.
TEST(ForensicFindings, AMotionBlurredPhotoIsARetakeNotACopy) {
  auto shoot = [&](double motion_px) {
    Channel ch = ok(channel_preset("medium", kDpi));
    ch.passes.back().capture.motion_px = motion_px;
    return simulated(ch, 7301);
  };
  const auto [still_front, still_back] = shoot(0);
  const auto still = ok(shared_checker().check_card(still_front.image.view(), still_back.image.view()));
  EXPECT_EQ(get(still, "copy").outcome, Outcome::pass) << get(still, "copy").reason;
  EXPECT_EQ(still.verdict, Verdict::genuine) << to_json(still);
  ASSERT_EQ(still.sides.size(), 2u);
  EXPECT_GT(still.sides[0].capture.edge_mm, 0.1);
  EXPECT_LT(still.sides[0].capture.edge_mm, CheckerOptions{}.max_copy_edge_mm);

  const auto [moved_front, moved_back] = shoot(6);
  const auto moved = ok(shared_checker().check_card(moved_front.image.view(), moved_back.image.view()));
  const Finding& c = get(moved, "copy");
  EXPECT_EQ(c.outcome, Outcome::warn) << c.reason;
  EXPECT_EQ(c.code, "blurred");
  EXPECT_NE(c.reason.find("hold the camera still"), std::string::npos) << c.reason;
  EXPECT_NE(get(moved, "pattern").outcome, Outcome::fail) << get(moved, "pattern").reason;
  EXPECT_EQ(moved.verdict, Verdict::suspicious) << to_json(moved);
  ASSERT_EQ(moved.sides.size(), 2u);
  EXPECT_GT(moved.sides[0].capture.edge_mm, CheckerOptions{}.max_copy_edge_mm);
  EXPECT_NE(to_json(moved).find("\"edge_mm\": 0.3"), std::string::npos);
  const Finding* located = moved.find("locate", -1);
  ASSERT_TRUE(located);
  EXPECT_NE(located->reason.find("blurred"), std::string::npos) << located->reason;

  // Judged anyway (max_copy_edge_mm 0), the genuine card would fail as a copy.
  CheckerOptions o = shared_checker().options();
  o.max_copy_edge_mm = 0;
  const auto judged =
      ok(ok(Checker::create(fx().trust, o)).check_card(moved_front.image.view(), moved_back.image.view()));
  EXPECT_EQ(get(judged, "copy").outcome, Outcome::fail) << get(judged, "copy").reason;
}

// A phone that sharpens its photos (the simulator's sharpening of 2) lifts an original's and a
// copy's fine lines alike, and makes the card's edge look sharper too: the copy threshold rises
// with it (in bench/eval, 5 of 40 copies scored over the fixed 0.52 so). Copies are still copies,
// and the genuine card still passes.
TEST(ForensicFindings, APhonesSharpeningRaisesTheCopyThreshold) {
  auto check = [](const char* channel, std::uint64_t seed) {
    return checked_through(channel, seed, [](CaptureStep& c) { c.sharpen = 2; });
  };
  struct Case {
    const char* channel;
    std::uint64_t seed;
    Outcome copy;
    Verdict verdict;
  };
  // (Seeds 7403 and 7503 behave alike; left out for the suite's time under the sanitizers.)
  for (const Case c :
       {Case{"copy", 7401, Outcome::fail, Verdict::invalid}, Case{"medium", 7501, Outcome::pass, Verdict::genuine}}) {
    const Report r = check(c.channel, c.seed);
    const Finding& f = get(r, "copy");
    EXPECT_EQ(f.outcome, c.copy) << c.channel << " " << c.seed << ": " << f.reason;
    ASSERT_TRUE(f.threshold);
    EXPECT_GT(*f.threshold, CheckerOptions{}.copy_threshold) << f.reason;
    if (c.copy == Outcome::fail) {
      EXPECT_NE(f.reason.find("on a capture this sharp"), std::string::npos) << f.reason;
    }
    EXPECT_EQ(r.verdict, c.verdict) << to_json(r);
  }
}

// A phone's strong noise reduction (the simulator's denoise 3: a bilateral filter) dims an
// original's fine lines but keeps the card's edge sharp. Before the thirty-first session's refit
// the sharp edge raised the copy threshold as for a sharpened photo, and two of 40 such genuine
// cards of bench/eval were borderline (a retake); this one passed by 0.006 (0.044 now). An
// original passes by 0.03 or more, and a copy still fails.
TEST(ForensicFindings, APhonesNoiseReductionLeavesAnOriginalClearOfTheCopyThreshold) {
  auto check = [](const char* channel, std::uint64_t seed) {
    return checked_through(channel, seed, [](CaptureStep& c) { c.denoise = 3; });
  };
  const Report r = check("medium", 7601);
  const Finding& f = get(r, "copy");
  EXPECT_EQ(f.outcome, Outcome::pass) << f.reason;
  ASSERT_TRUE(f.score && f.threshold);
  EXPECT_GE(*f.score - *f.threshold, 0.03) << f.reason;
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
  const Report copy = check("copy", 7401);
  EXPECT_EQ(get(copy, "copy").outcome, Outcome::fail) << get(copy, "copy").reason;
  EXPECT_EQ(copy.verdict, Verdict::invalid) << to_json(copy);
}

TEST(ForensicFindings, CheckerRejectsBadForensicOptions) {
  CheckerOptions o;
  o.forensic_dpi = Dpi{300};
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.pattern_threshold = 2;
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.text_threshold = -1.5;
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.text_glyph_threshold = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.copy_threshold_per_px = 2;
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.max_copy_edge_mm = -0.1;
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.copy_borderline = 0.5;
  EXPECT_FALSE(Checker::create(fx().trust, o));
  o = {};
  o.pattern_seeds["XXA"] = {};
  EXPECT_FALSE(Checker::create(fx().trust, o));
}

TEST(ForensicFindings, RecordFromPayloadInvertsTheSealMapping) {
  const SealPayload p = seal_payload_from_record(fx().record, "XXA", "00", {});
  const Record r = detail::record_from_payload(p);
  EXPECT_EQ(r.get("document_number"), fx().record.get("document_number"));
  EXPECT_EQ(r.get("surname"), fx().record.get("surname"));
  EXPECT_EQ(r.get("date_of_birth"), fx().record.get("date_of_birth"));
}

// Where a glare spot centred at `f` of the front's element `name` across (and at its middle
// height) falls, in fractions of the card as captures() takes them; the back gets the same place.
std::array<double, 2> glare_over(const char* name, double f) {
  const std::optional<MmRect> box = element_box(Side::front, name);
  if (!box) throw std::runtime_error(std::string("no element ") + name);
  const SideGeometry geom;
  const auto bleed = geom.bleed_box();
  return {(geom.bleed.v + box->x.v + box->w.v * f) / bleed.w.v, (geom.bleed.v + box->y.v + box->h.v / 2) / bleed.h.v};
}

// A small highlight (σ 0.9 mm) over the third letter of a genuine card's surname clipped its
// strokes: the letter correlated 0.74 against 0.75 while its element matched 0.94, and `text` failed,
// so the genuine card was invalid (29 of 135 captures of small spots over five elements of the front,
// every one at a strength that clips). A glyph that fails where glare washes it out is now unread,
// as a washed-out element is: a retake. A weaker spot that leaves the letter readable is read.
TEST(ForensicFindings, GlareOverOneLetterIsARetakeNotAForgery) {
  const auto at = glare_over("surname", 0.1);
  const Captures spot = captures("medium", 400, 7311, 1.0, at, 0.01);
  // The front's own score: the letter is left out, the rest of the side is read and matches.
  const Card card = ok(
      fx().composer.compose(fx().specimen, fx().record, issuer_xxa("forensic test seed, issuer XXA"), {.dpi = kDpi}));
  const auto front = ok(forensics::text_binding(spot.front.view(), Dpi{400}, card, Side::front));
  EXPECT_TRUE(front.pass) << front.reason;
  EXPECT_EQ(front.glare_tiles, 1);
  EXPECT_NE(front.reason.find("; 1 glyph washed out by glare left out"), std::string::npos) << front.reason;
  const Report lit = checked(spot);
  const Finding& t = get(lit, "text");
  EXPECT_EQ(t.outcome, Outcome::warn) << t.reason;
  EXPECT_EQ(t.code, "glare");
  EXPECT_NE(t.reason.find("the text washed out on the front side could not be read"), std::string::npos) << t.reason;
  EXPECT_NE(t.reason.find("tilt the card away from the light"), std::string::npos) << t.reason;
  EXPECT_EQ(lit.verdict, Verdict::suspicious) << to_json(lit);
  const Report faint = checked(captures("medium", 400, 7311, 0.6, at, 0.01));
  EXPECT_EQ(get(faint, "text").outcome, Outcome::pass) << get(faint, "text").reason;
  EXPECT_EQ(faint.verdict, Verdict::genuine) << to_json(faint);
}

// The same spot, larger (σ 2.1 mm), falls on the back over the last fillers of the MRZ's first
// line. The reader fitted its cell grid to the first and last glyphs it saw, and with the last
// fillers washed out the grid was too narrow: it misread the document number in the clear middle of
// the line (000C<119 for 00004179), its check digit failed and the genuine card was invalid; later
// (a zone read otherwise than sealed under glare, MrzFinding tests) a retake. Where the glyphs span
// fewer cells than the line has, the grid now starts at the pitch measured between neighbours: the
// zone reads as sealed and the card is genuine.
TEST(ForensicFindings, GlareOverTheEndOfAnMrzLineIsReadAroundIt) {
  const Report r = checked(captures("medium", 400, 7311, 1.0, glare_over("document_number", 0.9), 0.025));
  const Finding& m = get(r, "mrz");
  EXPECT_EQ(m.outcome, Outcome::pass) << m.reason;
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

// Glare over part of an MRZ line throws the reader off along that line, so a line read otherwise
// than sealed where glare washes out a cell of it is unread (MrzFinding tests), and the other
// lines read as sealed. Two captures whose highlights fall on different lines (two characters of
// the document number on line 1, of the date of birth on line 2) are each a retake; checked
// together (Checker::check_captures) every line is read as sealed on one or the other and the
// card is genuine. Before, the MRZ was combined only whole: a pass on one capture.
TEST(ForensicFindings, RetakesReadEachMrzLineOnOneCaptureOrAnother) {
  const auto& g = fx().genuine;
  const MmRect mrz = *element_box(Side::back, "mrz");
  // The back lit as a photo's paper (not clipped white), and a highlight over two characters of
  // line `line` from column `column` (30 OCR-B characters at 2.54 mm, centred in the zone).
  const auto lit = [&](int line, int column) {
    Image back = Image::copy_of(g.back_trim.view());
    const int bpp = back.format() == PixelFormat::rgba8 ? 4 : 3;
    for (int y = 0; y < back.height(); ++y)
      for (int x = 0; x < bpp * back.width(); ++x) back.row(y)[x] = static_cast<std::uint8_t>(back.row(y)[x] * 9 / 10);
    const double pitch = 2.54, left = mrz.x.v + (mrz.w.v - 30 * pitch) / 2;
    whiten(back, {Mm{left + pitch * column}, Mm{mrz.y.v + mrz.h.v * line / 3 + 1}, Mm{2 * pitch}, Mm{mrz.h.v / 3 - 2}});
    return back;
  };
  const Image line1 = lit(0, 8), line2 = lit(1, 2);
  const std::vector<CardImages> both{{g.front_trim.view(), line1.view(), "a", "a-back"},
                                     {g.front_trim.view(), line2.view(), "b", "b-back"}};
  const Report r = ok(shared_checker().check_captures(both));
  const Finding& m = get(r, "mrz");
  EXPECT_EQ(m.outcome, Outcome::pass) << m.reason;
  EXPECT_NE(m.reason.find("'line 1' not read on capture 1 ('a')"), std::string::npos) << m.reason;
  EXPECT_NE(m.reason.find("'line 2' not read on capture 2 ('b')"), std::string::npos) << m.reason;
  EXPECT_EQ(r.verdict, Verdict::genuine) << to_json(r);
}

// A capture of one side reads nothing of the other's text. Before, a capture of one side alone
// passed `text` (the back alone, the front's name unread), and with a capture whose back glare washed out (its docket
// number: an altered one hidden so) combined into a pass that no capture had read the back for: the card was genuine.
TEST(ForensicFindings, ACaptureOfOneSideReadsNothingOfTheOthersText) {
  const auto& g = fx().genuine;
  const Checker& c = shared_checker();
  const Report back = ok(c.check_card(g.back_trim.view(), {}));  // the side with the seal
  const Finding& alone = get(back, "text");
  EXPECT_EQ(alone.outcome, Outcome::warn) << alone.reason;
  EXPECT_EQ(alone.code, "side_missing");
  EXPECT_NE(alone.reason.find("the front side's text not compared"), std::string::npos) << alone.reason;
  EXPECT_NE(std::find(alone.unread.begin(), alone.unread.end(), "surname"), alone.unread.end());

  Image washed = Image::copy_of(g.back_trim.view());
  whiten(washed, *element_box(Side::back, "docket_number"));
  const std::vector<CardImages> captures{{g.front_trim.view(), washed.view(), "front", "back"},
                                         {g.front_trim.view(), {}, "retake", ""}};
  const Report r = ok(c.check_captures(captures));
  const Finding& t = get(r, "text");
  EXPECT_NE(t.outcome, Outcome::pass) << t.reason;
  EXPECT_NE(std::find(t.unread.begin(), t.unread.end(), "docket_number"), t.unread.end()) << t.reason;
  EXPECT_EQ(r.verdict, Verdict::suspicious) << to_json(r);
}

}  // namespace
}  // namespace sdc::test
