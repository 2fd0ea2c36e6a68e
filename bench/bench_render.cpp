// Whole-card cost: compose (shape, crop, seal) and render (per-ink Cairo planes) of the specimen at
// 300 and 600 dpi, with and without the static-layer cache.
//   build/bench/bench_render --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sdc/compose.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>
#include <sdc/text.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>

namespace {

struct Fixture {
  sdc::Template tmpl;
  std::vector<sdc::Record> records;
  sdc::Composer composer;
  sdc::Issuer issuer;
};

const Fixture& fixture() {
  static const std::unique_ptr<Fixture> f = [] {
    auto x = std::make_unique<Fixture>();
    const std::filesystem::path root = SDC_SOURCE_DIR;
    auto t = sdc::Template::load(root / "assets/templates/specimen.json");
    auto r = sdc::load_records(root / "assets/records/specimen.csv");
    auto c = sdc::Composer::create(sdc::Resources::at(root));
    if (!t || !r || !c) throw std::runtime_error("cannot load the specimen");
    x->tmpl = *t;
    x->records = *r;
    x->composer = *c;
    sdc::KeygenOptions ko;
    ko.alg = sdc::SignatureAlg::ed25519;
    ko.not_before_unix = 1767225600;
    auto key = sdc::generate_key(ko);
    // write_generated_key never overwrites a key: use a fresh folder per run.
    const auto dir = std::filesystem::temp_directory_path() / ("sdc-bench-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    if (!key || !sdc::write_generated_key(*key, dir)) throw std::runtime_error("cannot make a key");
    auto signer = sdc::load_signer(dir / "key.pem", dir / "cert.pem");
    if (!signer) throw std::runtime_error("cannot load the key");
    std::filesystem::remove_all(dir);
    x->issuer.signer = *signer;
    return x;
  }();
  return *f;
}

void BM_Compose(benchmark::State& state) {
  const auto& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto card = f.composer.compose(f.tmpl, f.records[i++ % f.records.size()], f.issuer, {.dpi = sdc::Dpi{300}});
    if (!card) state.SkipWithError(card.error().to_string().c_str());
    benchmark::DoNotOptimize(card);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Compose)->Unit(benchmark::kMillisecond);

void render_card(benchmark::State& state, std::size_t cache_entries) {
  const auto& f = fixture();
  const sdc::Dpi dpi{static_cast<int>(state.range(0))};
  auto renderer = sdc::Renderer::create(f.composer.fonts(), {.cache_entries = cache_entries});
  std::vector<sdc::Card> cards;
  for (std::size_t i = 0; i < 4; ++i)
    cards.push_back(*f.composer.compose(f.tmpl, f.records[i], f.issuer, {.dpi = dpi}));
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& card = cards[i++ % cards.size()];
    for (sdc::Side s : {sdc::Side::front, sdc::Side::back}) {
      auto p = renderer->render(card, s, {dpi});
      if (!p) state.SkipWithError(p.error().to_string().c_str());
      benchmark::DoNotOptimize(p);
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cards/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_RenderCard(benchmark::State& state) {
  render_card(state, 16);
}
void BM_RenderCardNoCache(benchmark::State& state) {
  render_card(state, 0);
}
BENCHMARK(BM_RenderCard)->ArgName("dpi")->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderCardNoCache)->ArgName("dpi")->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

// The batch path: caller-owned planes and one scratch per worker, nothing allocated per card.
void BM_RenderInto(benchmark::State& state) {
  const auto& f = fixture();
  const sdc::Dpi dpi{static_cast<int>(state.range(0))};
  auto renderer = sdc::Renderer::create(f.composer.fonts());
  std::vector<sdc::Card> cards;
  for (std::size_t i = 0; i < 4; ++i)
    cards.push_back(*f.composer.compose(f.tmpl, f.records[i], f.issuer, {.dpi = dpi}));
  const sdc::PxSize size = sdc::Renderer::plane_size(cards[0], dpi);
  const auto n = static_cast<std::size_t>(size.w) * size.h;
  std::vector<std::uint8_t> rgb(3 * n), k(n), uv(n), overlay(n);
  const sdc::PlanesView view{.width = size.w,
                             .height = size.h,
                             .process = rgb.data(),
                             .k = k.data(),
                             .uv = uv.data(),
                             .overlay = overlay.data()};
  sdc::RenderScratch scratch;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& card = cards[i++ % cards.size()];
    for (sdc::Side s : {sdc::Side::front, sdc::Side::back}) {
      auto info = renderer->render_into(card, s, {dpi}, view, scratch);
      if (!info) state.SkipWithError(info.error().to_string().c_str());
      benchmark::DoNotOptimize(rgb.data());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cards/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RenderInto)->ArgName("dpi")->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
