// Cost per card of each security feature: compose + render of a one-element template at 300 and
// 600 dpi, with the static-layer cache off (so static features are measured too; in production
// they are drawn once per template and dpi). Subtract BM_Baseline (planes, background, conversion)
// for the feature's own cost. Results: bench/RESULTS.md.
#include <benchmark/benchmark.h>
#include <sdc/compose.hpp>
#include <sdc/guilloche.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/template.hpp>

#include <filesystem>
#include <string>

namespace {

using namespace sdc;

const std::filesystem::path kSource = SDC_SOURCE_DIR;

const Composer& composer() {
  static const Composer c = Composer::create(Resources::at(SDC_SOURCE_DIR)).value();
  return c;
}

const Record& record() {
  static const Record r = load_records(kSource / "assets/records/specimen.json").value().at(0);
  return r;
}

Template make(const std::string& element) {
  const std::string json = R"({"sdc_template": 1, "name": "bench", "bleed": 1.0,
      "issuer": {"code": "XXA", "pattern_seed": "0011223344"}, "front": {"background": "#f4f7fb", "elements": [)" +
                           element + "]}}";
  return Template::parse(json, "bench.json", kSource / "assets/templates").value();
}

void run(benchmark::State& state, const std::string& element) {
  const Template t = make(element);
  const auto renderer = Renderer::create(composer().fonts(), RendererConfig{.cache_entries = 0}).value();
  const RenderOptions ro{Dpi{static_cast<int>(state.range(0))}};
  for (auto _ : state) {
    auto card = composer().compose(t, record(), Issuer{});
    if (!card) {
      state.SkipWithError(card.error().to_string().c_str());
      return;
    }
    auto planes = renderer.render(*card, Side::front, ro);
    if (!planes) {
      state.SkipWithError(planes.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(planes->process.data());
  }
}

void BM_Baseline(benchmark::State& s) {
  run(s, R"({"type": "rect", "name": "dot", "x": 1, "y": 1, "w": 1, "h": 1, "fill": "#000000"})");
}
void BM_GuillocheLathe(benchmark::State& s) {
  run(s, R"({"type": "guilloche", "name": "lathe", "x": -1, "y": -1, "w": 87.6, "h": 55.98, "family": "waves",
      "strokes": 118, "spacing": 0.48, "amplitude": 1.1, "wavelength": 7.5, "phase_step": 11, "modulation": 0.35,
      "modulation_freq": 3, "line_width": 0.05, "rainbow": {"colors": ["#f2b8b0", "#b9e0b4", "#a9cfee"], "along": "x"}})");
}
void BM_GuillocheRosette(benchmark::State& s) {
  run(s, R"({"type": "guilloche", "name": "rosette", "x": 44, "y": 12, "w": 40, "h": 37, "family": "hypotrochoid",
      "radius": 17, "freq_a": 17, "freq_b": 6, "pen": 7.5, "strokes": 9, "phase_step": 4.5, "scale_step": 0.025,
      "line_width": 0.05, "rainbow": {"colors": ["#9fb8dc", "#c6a6d8", "#e6b4a0"], "along": "curve"}})");
}
void BM_GuillochePersonal(benchmark::State& s) {
  run(s, R"({"type": "guilloche", "name": "band", "x": 28, "y": 46.6, "w": 55, "h": 2.8, "family": "waves",
      "strokes": 7, "spacing": 0.32, "amplitude": 0.5, "wavelength": 3.2, "phase_step": 40, "line_width": 0.06,
      "seed": "personal", "variation": 0.7})");
}
void BM_MicrotextBorder(benchmark::State& s) {
  run(s, R"({"type": "microtext", "name": "border", "x": 0, "y": 0, "w": 85.6, "h": 53.98,
      "text": "PRETRIAL RELEASE · SPECIMEN ISSUING AUTHORITY · XXA", "cap_height": 0.3,
      "path": {"shape": "rounded_rect", "inset": 0.75, "radius": 2.45}})");
}
void BM_MicrotextPersonalLine(benchmark::State& s) {
  run(s, R"({"type": "microtext", "name": "line", "x": 28, "y": 17.9, "w": 55, "h": 0.6,
      "text": "{surname} {document_number}", "cap_height": 0.3})");
}
void BM_GhostLighten(benchmark::State& s) {
  run(s, R"({"type": "ghost", "name": "ghost", "x": 70.5, "y": 33, "w": 12.5, "h": 16, "mode": "lighten"})");
}
void BM_GhostLines(benchmark::State& s) {
  run(s, R"({"type": "ghost", "name": "ghost", "x": 70.5, "y": 33, "w": 12.5, "h": 16, "mode": "lines"})");
}
void BM_PhotoLines(benchmark::State& s) {
  run(s, R"({"type": "photo_lines", "name": "photo", "x": 3, "y": 12, "w": 22, "h": 28.4})");
}
void BM_Mrz(benchmark::State& s) {
  run(s, R"({"type": "mrz", "name": "mrz", "x": 0, "y": 36.5, "w": 85.6, "h": 16})");
}
void BM_OverlayMask(benchmark::State& s) {
  run(s, R"({"type": "overlay_mask", "name": "varnish", "x": -1, "y": -1, "w": 87.6, "h": 55.98, "chip": true,
      "stripe": true})");
}

// Flattening alone (no rasterising): the full-card lathe at the quarter-pixel tolerance.
void BM_GuillocheFlatten(benchmark::State& state) {
  GuillocheSpec s;
  s.family = GuillocheFamily::waves;
  s.box = MmRect{Mm{-1}, Mm{-1}, Mm{87.6}, Mm{55.98}};
  s.strokes = 118, s.spacing = 0.48, s.amplitude = 1.1, s.wavelength = 7.5, s.phase_step = 11;
  s.modulation = 0.35, s.modulation_freq = 3;
  const double tol = flattening_tolerance(Dpi{static_cast<int>(state.range(0))});
  std::size_t points = 0;
  for (auto _ : state) {
    auto pl = guilloche_polylines(s, tol).value();
    points = 0;
    for (const auto& p : pl) points += p.points.size();
    benchmark::DoNotOptimize(pl.data());
  }
  state.counters["points"] = static_cast<double>(points);
}

#define SDC_DPI_BENCH(fn) BENCHMARK(fn)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond)
SDC_DPI_BENCH(BM_Baseline);
SDC_DPI_BENCH(BM_GuillocheLathe);
SDC_DPI_BENCH(BM_GuillocheRosette);
SDC_DPI_BENCH(BM_GuillochePersonal);
SDC_DPI_BENCH(BM_MicrotextBorder);
SDC_DPI_BENCH(BM_MicrotextPersonalLine);
SDC_DPI_BENCH(BM_GhostLighten);
SDC_DPI_BENCH(BM_GhostLines);
SDC_DPI_BENCH(BM_PhotoLines);
SDC_DPI_BENCH(BM_Mrz);
SDC_DPI_BENCH(BM_OverlayMask);
SDC_DPI_BENCH(BM_GuillocheFlatten);

}  // namespace

BENCHMARK_MAIN();
