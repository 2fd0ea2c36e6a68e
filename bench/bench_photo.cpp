// Photo module kernels: load + portrait crop of the specimen photo into a 25 x 32 mm box, face
// detection alone, the ghost image and the line screen of a 20 x 25 mm ghost box, by dpi.
#include <benchmark/benchmark.h>
#include <sdc/image.hpp>
#include <sdc/photo.hpp>

#include <cstdlib>
#include <string>

using namespace sdc;

namespace {

std::string astronaut_path() {
  const char* dir = std::getenv("SDC_DATA_DIR");
  return std::string(dir != nullptr ? dir : SDC_SOURCE_DIR) + "/assets/records/photos/astronaut.png";
}

const FaceDetector& detector() {
  static const FaceDetector d = FaceDetector::create().value();
  return d;
}

const Image& astronaut() {
  static const Image img = load_image(astronaut_path()).value();
  return img;
}

void BM_LoadCrop(benchmark::State& state) {
  const Dpi dpi{static_cast<int>(state.range(0))};
  const int w = to_px(Mm{25}, dpi).v, h = to_px(Mm{32}, dpi).v;
  const std::string path = astronaut_path();
  detector();
  for (auto _ : state) {
    auto img = load_image(path);
    auto crop = crop_portrait(img.value(), w, h, detector(), {.dpi = dpi});
    benchmark::DoNotOptimize(crop.value().image.data());
  }
  state.SetLabel(std::to_string(w) + "x" + std::to_string(h) + " px");
}
BENCHMARK(BM_LoadCrop)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_Load(benchmark::State& state) {
  const std::string path = astronaut_path();
  for (auto _ : state) benchmark::DoNotOptimize(load_image(path).value().data());
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

// Face detection of the specimen photo. OpenCV runs the cascades on its own threads, so the CPU
// column is the whole process's (the calling thread's alone undercounts by about 40 %), next to
// the wall time. /0: the default (LBP candidates, Haar confirmation: the checker's); /1: the LBP
// cascade confirming its own candidates (`lbp_confirmation`: the composer's).
void BM_DetectFace(benchmark::State& state) {
  const Image& img = astronaut();
  static const FaceDetector framing = FaceDetector::create({.lbp_confirmation = true}).value();
  const FaceDetector& d = state.range(0) != 0 ? framing : detector();
  for (auto _ : state) benchmark::DoNotOptimize(d.detect(img.view()).value().size());
  state.SetLabel(state.range(0) != 0 ? "LBP confirmation (composer)" : "Haar confirmation (checker)");
}
BENCHMARK(BM_DetectFace)->Arg(0)->Arg(1)->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);

const Image& ghost_portrait(Dpi dpi) {
  static const Image p300 =
      crop_portrait(astronaut(), to_px(Mm{20}, Dpi{300}).v, to_px(Mm{25}, Dpi{300}).v, detector()).value().image;
  static const Image p600 =
      crop_portrait(astronaut(), to_px(Mm{20}, Dpi{600}).v, to_px(Mm{25}, Dpi{600}).v, detector()).value().image;
  return dpi.v >= 600 ? p600 : p300;
}

void BM_Ghost(benchmark::State& state) {
  const Image& p = ghost_portrait(Dpi{static_cast<int>(state.range(0))});
  for (auto _ : state) benchmark::DoNotOptimize(ghost_image(p).data());
}
BENCHMARK(BM_Ghost)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_LineScreen(benchmark::State& state) {
  const Dpi dpi{static_cast<int>(state.range(0))};
  const Image& p = ghost_portrait(dpi);
  const LineScreenOptions o{.pitch_mm = 0.25,
                            .max_width_mm = 0.22,
                            .min_width_mm = 0.02,
                            .wave_amplitude_mm = 0.1,
                            .wave_length_mm = 2.0,
                            .wave_phase_step = 0.05,
                            .dpi = dpi};
  std::size_t points = 0, strokes = 0;
  for (auto _ : state) {
    auto s = line_screen(p, {Mm{20}, Mm{25}}, o);
    strokes = s.value().size();
    points = 0;
    for (const auto& st : *s) points += st.outline.size();
    benchmark::DoNotOptimize(points);
  }
  state.SetLabel(std::to_string(strokes) + " strokes, " + std::to_string(points) + " points");
}
BENCHMARK(BM_LineScreen)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
