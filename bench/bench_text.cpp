// Text kernels: shaping and fit-to-box of short and long names in several scripts, and drawing a
// fitted name at 300/600 dpi (BM_FitName/<dpi>: what the renderer does per text field).
//
//   build/bench/bench_text --benchmark_min_time=0.5
#include <sdc/text.hpp>

#include "text/draw_cairo.hpp"

#include <benchmark/benchmark.h>
#include <cairo.h>

#include <cstdlib>
#include <stdexcept>

namespace {

const sdc::FontSet& fonts() {
  static const sdc::FontSet f = [] {
    const char* env = std::getenv("SDC_DATA_DIR");
    const std::filesystem::path dir = std::filesystem::path(env ? env : SDC_SOURCE_DIR) / "fonts";
    auto r = sdc::FontSet::load(dir);
    if (!r) throw std::runtime_error(r.error().to_string());
    return *r;
  }();
  return f;
}

constexpr const char* kShortLatin = "Anna Berg";
constexpr const char* kLongLatin = "Maria Fernanda Zoë Ødegård-Šimůnková";
constexpr const char* kVietnamese = "Nguyễn Thị Ngọc Ánh";
constexpr const char* kArabic = "عبد الرحمن بن محمد بن عبد الله الهاشمي";
constexpr const char* kDevanagari = "अनिता शर्मा";
constexpr const sdc::MmSize kNameBox{sdc::Mm{30}, sdc::Mm{8}};

void BM_LoadFontSet(benchmark::State& state) {
  const std::filesystem::path dir = std::filesystem::path(SDC_SOURCE_DIR) / "fonts";
  for (auto _ : state) benchmark::DoNotOptimize(sdc::FontSet::load(dir));
}
BENCHMARK(BM_LoadFontSet)->Unit(benchmark::kMillisecond);

void BM_Shape(benchmark::State& state, const char* text) {
  for (auto _ : state) {
    auto r = sdc::shape_text(fonts(), text, {});
    if (!r) state.SkipWithError(r.error().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Shape, short_latin, kShortLatin)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, long_latin, kLongLatin)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, vietnamese, kVietnamese)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, long_arabic, kArabic)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, devanagari, kDevanagari)->Unit(benchmark::kMicrosecond);

// Fit into a 30 x 8 mm name box: the short name fits as is, the long ones shrink or wrap.
void BM_Fit(benchmark::State& state, const char* text) {
  for (auto _ : state) {
    auto r = sdc::fit_text(fonts(), text, {}, kNameBox, {.min_size = sdc::Pt{6}});
    if (!r) state.SkipWithError(r.error().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Fit, short_latin, kShortLatin)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Fit, long_latin_wraps, kLongLatin)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Fit, long_arabic_wraps, kArabic)->Unit(benchmark::kMicrosecond);

// Fit a long name and draw it into an A8 surface of the box's size at the given dpi.
void BM_FitName(benchmark::State& state) {
  const double px_per_mm = static_cast<double>(state.range(0)) / 25.4;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_A8, static_cast<int>(kNameBox.w.v * px_per_mm) + 1,
                                                  static_cast<int>(kNameBox.h.v * px_per_mm) + 1);
  cairo_t* cr = cairo_create(s);
  cairo_scale(cr, px_per_mm, px_per_mm);
  for (auto _ : state) {
    auto r = sdc::fit_text(fonts(), kLongLatin, {}, kNameBox, {.min_size = sdc::Pt{6}});
    if (!r) {
      state.SkipWithError(r.error().message().c_str());
      break;
    }
    sdc::detail::draw_text(cr, fonts(), *r, 0, 0);
  }
  cairo_surface_flush(s);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}
BENCHMARK(BM_FitName)->Arg(300)->Arg(600)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
