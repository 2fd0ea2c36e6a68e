// The checker's stages on one side of the specimen card (the back: the seal's side) rendered at
// 300 and 600 dpi, next to zxing-cpp's bare decode of the same image in the same run:
//   BM_ZxingBare      decode_qr_codes on the raw image (what `check_image` does)
//   BM_Locate         locate_card (outline, refined corners)
//   BM_Rectify        rectify_card to the 300-dpi trim box
//   BM_SealOnCard     decode_qr_codes on the rectified card + seal verification (Ed25519)
//   BM_Photo          photo hash of the portrait area of the rectified front
//   BM_CheckCardBack  Checker::check_card on the back: every stage
//   BM_CheckCardBoth  Checker::check_card on front and back
// The CheckCard* benchmarks also run at 450 dpi, a phone photo's resolution: there the copy check's
// band-pass follows the capture, so its reference is made for each check (at 600 dpi, a flatbed's,
// a static side's is kept). They take a second argument: 0 without the issuer's pattern seed (locate,
// rectify, seal, photo, MRZ), 1 with it (also `pattern` and `copy`: the expected card composed
// again from the seal and compared at the forensic dpi), i.e. every stage an issuer's checker runs.
// Per-stage CPU time (Report::timings) is printed as counters, <stage>_ms.
// Run: build/bench/bench_verify --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sdc/compose.hpp>
#include <sdc/render.hpp>
#include <sdc/resources.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include "verify/glare.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>

namespace {

template <class T>
T ok(sdc::Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

struct Fixture {
  sdc::Template tmpl;
  sdc::TrustStore trust;
  std::map<int, sdc::Image> front, back;  // by dpi, with 1 mm bleed, as exported
  std::string seal;
};

std::vector<std::uint8_t> seed() {
  const std::string_view s = "sdc bench issuer pattern seed";
  return {s.begin(), s.end()};
}

const Fixture& fixture() {
  static const std::unique_ptr<Fixture> f = [] {
    auto x = std::make_unique<Fixture>();
    const std::filesystem::path root = SDC_SOURCE_DIR;
    x->tmpl = ok(sdc::Template::load(root / "assets/templates/specimen.json"));
    const auto records = ok(sdc::load_records(root / "assets/records/specimen.csv"));
    const auto composer = ok(sdc::Composer::create({.fonts_dir = root / "fonts"}));
    const auto renderer = ok(sdc::Renderer::create(composer.fonts()));
    const auto keys = root / "assets/keys/specimen-ed25519";
    sdc::Issuer issuer;
    issuer.code = "XXA";
    issuer.pattern_seed = seed();
    issuer.signer = ok(sdc::load_signer(keys / "key.pem", keys / "cert.pem"));
    std::ifstream cert(keys / "cert.pem", std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(cert)), std::istreambuf_iterator<char>());
    if (!x->trust.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size())))
      throw std::runtime_error("cannot trust the specimen key");
    for (int dpi : {300, 450, 600}) {
      const auto card = ok(composer.compose(x->tmpl, records.at(0), issuer, {.dpi = sdc::Dpi{dpi}}));
      x->front[dpi] = sdc::composite(ok(renderer.render(card, sdc::Side::front, {sdc::Dpi{dpi}})));
      x->back[dpi] = sdc::composite(ok(renderer.render(card, sdc::Side::back, {sdc::Dpi{dpi}})));
      x->seal = card.seal_text();
    }
    return x;
  }();
  return *f;
}

sdc::Checker checker(bool seeded = false) {
  sdc::CheckerOptions o;
  o.check_time = 1796083200;  // 2026-12-01
  o.templates = {fixture().tmpl};
  o.resources = sdc::Resources::at(SDC_SOURCE_DIR);  // the MRZ reader's OCR-B font, the composer's
  if (seeded) o.pattern_seeds["XXA"] = seed();
  return ok(sdc::Checker::create(fixture().trust, o));
}

void BM_ZxingBare(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto codes = sdc::decode_qr_codes(img.view());
    if (codes.size() != 1) state.SkipWithError("the seal was not read");
    benchmark::DoNotOptimize(codes);
  }
}

void BM_Locate(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto l = sdc::locate_card(img.view());
    if (!l || !l->found) state.SkipWithError("the card was not found");
    benchmark::DoNotOptimize(l);
  }
}

void BM_Rectify(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  const auto l = ok(sdc::locate_card(img.view()));
  for (auto _ : state) {
    auto card = sdc::rectify_card(img.view(), l.corners);
    if (!card) state.SkipWithError("rectification failed");
    benchmark::DoNotOptimize(card);
  }
}

void BM_SealOnCard(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  const auto card = ok(sdc::rectify_card(img.view(), ok(sdc::locate_card(img.view())).corners));
  const auto c = checker();
  for (auto _ : state) {
    auto codes = sdc::decode_qr_codes(card.view());
    if (codes.size() != 1) state.SkipWithError("the seal was not read on the rectified card");
    auto r = c.check_seal(codes.empty() ? "" : codes[0].text);
    benchmark::DoNotOptimize(r);
  }
}

// What check_card adds when no seal was read (a highlight over the code): the rectified card's
// contrast stretched locally (detail::flatten_glare) and read again. Here on a card whose code does
// read, so the decode is a success's cost.
void BM_SealRetryFlattened(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  const auto card = ok(sdc::rectify_card(img.view(), ok(sdc::locate_card(img.view())).corners));
  for (auto _ : state) {
    const sdc::Image flat = sdc::detail::flatten_glare(card.view(), sdc::Dpi{300});
    auto codes = sdc::decode_qr_codes(flat.view());
    if (codes.size() != 1) state.SkipWithError("the seal was not read on the flattened card");
    benchmark::DoNotOptimize(codes);
  }
}

void BM_Photo(benchmark::State& state) {
  const auto& img = fixture().front.at(static_cast<int>(state.range(0)));
  const auto card = ok(sdc::rectify_card(img.view(), ok(sdc::locate_card(img.view())).corners));
  const double k = 300 / 25.4;
  const sdc::PxRect box{static_cast<int>(3.0 * k), static_cast<int>(12.0 * k), static_cast<int>(22.0 * k),
                        static_cast<int>(28.4 * k)};
  for (auto _ : state) {
    auto h = sdc::photo_hash(card.view().cropped(box));
    benchmark::DoNotOptimize(h);
  }
}

void BM_CheckCardBack(benchmark::State& state) {
  const auto& img = fixture().back.at(static_cast<int>(state.range(0)));
  const auto c = checker(state.range(1) != 0);
  std::map<std::string, double> stages;
  for (auto _ : state) {
    auto r = c.check_card(img.view());
    if (!r || r->seals.empty() || !r->seals[0].verification.valid()) state.SkipWithError("the seal did not verify");
    if (r)
      for (const auto& t : r->timings) stages[t.stage] += t.ms;
  }
  for (const auto& [k, v] : stages) state.counters[k + "_ms"] = v / static_cast<double>(state.iterations());
}

void BM_CheckCardBoth(benchmark::State& state) {
  const int dpi = static_cast<int>(state.range(0));
  const auto c = checker(state.range(1) != 0);
  std::map<std::string, double> stages;
  for (auto _ : state) {
    auto r = c.check_card(fixture().front.at(dpi).view(), fixture().back.at(dpi).view());
    // A 300-dpi capture is too coarse to judge copies (suspicious, retake); never invalid.
    if (!r || (r->verdict != sdc::Verdict::genuine && r->verdict != sdc::Verdict::suspicious)) {
      state.SkipWithError(("the card was not genuine: " + (r ? r->summary : r.error().to_string())).c_str());
      break;
    }
    if (r)
      for (const auto& t : r->timings) stages[t.stage] += t.ms;
  }
  for (const auto& [k, v] : stages) state.counters[k + "_ms"] = v / static_cast<double>(state.iterations());
}

// A Checker's start-up, without the issuer's seed (no composer): the trust store, the MRZ reader's
// font, and what else create() loads.
void BM_CheckerCreate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(checker(false));
}

BENCHMARK(BM_CheckerCreate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ZxingBare)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Locate)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rectify)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SealOnCard)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SealRetryFlattened)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Photo)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckCardBack)->ArgsProduct({{300, 450, 600}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckCardBoth)->ArgsProduct({{300, 450, 600}, {0, 1}})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
