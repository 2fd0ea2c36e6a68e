// Reading the MRZ of one card side: the specimen card's back, composed and rendered by sdc at 300
// and 600 dpi, read by one MrzReader (reference glyphs rendered once, outside the loop); and only
// the template's zone box with 4 mm around it, which is what Checker::check_card reads first. And
// the failure: the card's front, which has no zone (what a side without one costs: the reader
// searches twice, the second time for faint glyphs).
//
//   build/bench/bench_mrz --benchmark_min_time=0.5 --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true   (one command line)
#include <sdc/compose.hpp>
#include <sdc/mrz.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace {

const std::filesystem::path kSrc = SDC_SOURCE_DIR;

template <class T>
T must(sdc::Result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

struct Sides {
  sdc::Image back;
  sdc::PxRect zone;  // the MRZ element's box on the back with 4 mm around it
  sdc::Image front;  // the same card's front, which has no zone
};

// The back and the front of the first specimen card at `dpi`, as sRGB images.
const Sides& specimen_sides(int dpi) {
  static std::map<int, Sides> cache;
  auto it = cache.find(dpi);
  if (it != cache.end()) return it->second;
  auto t = must(sdc::Template::load(kSrc / "assets/templates/specimen.json"));
  auto recs = must(sdc::load_records(kSrc / "assets/records/specimen.csv"));
  auto composer = must(sdc::Composer::create({.fonts_dir = kSrc / "fonts"}));
  auto renderer = must(sdc::Renderer::create(composer.fonts()));
  const auto key = kSrc / "assets/keys/specimen-ed25519";
  sdc::Issuer issuer;
  issuer.signer = must(sdc::load_signer(key / "key.pem", key / "cert.pem"));
  auto card = must(composer.compose(t, recs[0], issuer, {.dpi = sdc::Dpi{dpi}}));
  auto planes = must(renderer.render(card, sdc::Side::back, {.dpi = sdc::Dpi{dpi}}));
  Sides b{sdc::composite(planes),
          {},
          sdc::composite(must(renderer.render(card, sdc::Side::front, {.dpi = sdc::Dpi{dpi}})))};
  const sdc::Dpi d{dpi};
  for (const auto& e : t.elements(sdc::Side::back))
    if (e.type == "mrz") {
      // As check_card reads it: the box, 4 mm around it, within the image (cropped() clips).
      b.zone = sdc::to_px(e.box, d).inset(-sdc::to_px(sdc::Mm{4.0}, d).v);
      b.zone.x += planes.trim.x, b.zone.y += planes.trim.y;
    }
  return cache.emplace(dpi, std::move(b)).first->second;
}

sdc::MrzReader new_reader() {
  return must(sdc::MrzReader::create({.ocrb_font = kSrc / "fonts/OCRB.otf"}));
}

void read_loop(benchmark::State& state, const sdc::ImageView& img) {
  const auto reader = new_reader();
  for (auto _ : state) {
    auto r = reader.read(img);
    if (!r || !r->all_checks_ok()) {
      state.SkipWithError("the zone was not read");
      break;
    }
    benchmark::DoNotOptimize(r->lines.data());
  }
  state.SetLabel(std::to_string(img.width()) + "x" + std::to_string(img.height()));
}

void BM_ReadMrzCardBack(benchmark::State& state) {
  read_loop(state, specimen_sides(static_cast<int>(state.range(0))).back.view());
}
BENCHMARK(BM_ReadMrzCardBack)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_ReadMrzZoneBox(benchmark::State& state) {
  const Sides& b = specimen_sides(static_cast<int>(state.range(0)));
  read_loop(state, b.back.view().cropped(b.zone));
}
BENCHMARK(BM_ReadMrzZoneBox)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

// A side without a zone: every read fails (a read that succeeds is an error here).
void BM_ReadMrzNoZone(benchmark::State& state) {
  const auto reader = new_reader();
  const sdc::Image& front = specimen_sides(static_cast<int>(state.range(0))).front;
  for (auto _ : state) {
    auto r = reader.read(front.view());
    if (r) {
      state.SkipWithError("a zone was read on the front, which has none");
      break;
    }
    benchmark::DoNotOptimize(r.error().message().data());
  }
  state.SetLabel(std::to_string(front.width()) + "x" + std::to_string(front.height()));
}
BENCHMARK(BM_ReadMrzNoZone)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_MrzReaderCreate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(new_reader());
}
BENCHMARK(BM_MrzReaderCreate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
