// Print export: ICC separation next to a bare lcms2 transform of the same pixels (the limit), and the
// writers next to a raw fwrite + fsync of the same bytes. Cases are named by dpi (/300, /600).
#include <benchmark/benchmark.h>
#include <lcms2.h>
#include <unistd.h>
#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

namespace {

using namespace sdc;

struct Fixture {
  Composer composer;
  Card card;
  Renderer renderer;
  ColorTransform transform;
  std::map<int, Planes> planes;
  std::map<int, Image> cmyk;
  std::filesystem::path dir;
};

Fixture& fx() {
  static Fixture f = [] {
    const std::filesystem::path src = SDC_SOURCE_DIR;
    auto tmpl = Template::load(src / "assets/templates/specimen.json").value();
    auto recs = load_records(src / "assets/records/specimen.json").value();
    auto composer = Composer::create(Resources::at(SDC_SOURCE_DIR)).value();
    // The specimen has a signed seal: a throwaway Ed25519 key signs it.
    const auto key_dir = std::filesystem::temp_directory_path() / ("sdc-bench-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(key_dir);
    write_generated_key(generate_key({.alg = SignatureAlg::ed25519}).value(), key_dir).value();
    Issuer issuer;
    issuer.signer = load_signer(key_dir / "key.pem", key_dir / "cert.pem").value();
    std::filesystem::remove_all(key_dir);
    auto card = composer.compose(tmpl, recs.front(), issuer).value();
    auto renderer = Renderer::create(composer.fonts()).value();
    Fixture r{std::move(composer), std::move(card), std::move(renderer), ColorTransform::create().value(), {}, {}, {}};
    r.dir = std::filesystem::temp_directory_path() / ("sdc-bench-export-" + std::to_string(::getpid()));
    std::filesystem::create_directories(r.dir);
    return r;
  }();
  return f;
}

const Planes& planes(int dpi) {
  auto& f = fx();
  auto it = f.planes.find(dpi);
  if (it == f.planes.end())
    it = f.planes.emplace(dpi, f.renderer.render(f.card, Side::front, {Dpi{dpi}}).value()).first;
  return it->second;
}

const Image& cmyk(int dpi) {
  auto& f = fx();
  auto it = f.cmyk.find(dpi);
  if (it == f.cmyk.end()) it = f.cmyk.emplace(dpi, separate(planes(dpi), f.transform).value()).first;
  return it->second;
}

void set_mp(benchmark::State& state, std::int64_t pixels) {
  state.SetItemsProcessed(state.iterations() * pixels);
  state.counters["MP/s"] =
      benchmark::Counter(static_cast<double>(pixels) * 1e-6, benchmark::Counter::kIsIterationInvariantRate);
}

// sdc::separate: transform + coverage limit + K knockout.
void BM_Separate(benchmark::State& state) {
  const Planes& p = planes(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = separate(p, fx().transform);
    benchmark::DoNotOptimize(r);
  }
  set_mp(state, static_cast<std::int64_t>(p.process.width()) * p.process.height());
}
BENCHMARK(BM_Separate)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

// The limit: one cmsDoTransform of the same pixels with the same profiles, intent and flags.
void BM_BareLcms(benchmark::State& state) {
  const Planes& p = planes(static_cast<int>(state.range(0)));
  const auto& icc = fx().transform.output_profile();
  cmsHPROFILE src = cmsCreate_sRGBProfile();
  cmsHPROFILE dst = cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size()));
  cmsHTRANSFORM t = cmsCreateTransform(src, TYPE_RGB_8, dst, TYPE_CMYK_8, INTENT_RELATIVE_COLORIMETRIC,
                                       cmsFLAGS_NOCACHE | cmsFLAGS_BLACKPOINTCOMPENSATION);
  Image out(p.process.width(), p.process.height(), PixelFormat::cmyk8);
  const auto n = static_cast<cmsUInt32Number>(p.process.width()) * static_cast<cmsUInt32Number>(p.process.height());
  for (auto _ : state) {
    cmsDoTransform(t, p.process.data(), out.data(), n);
    benchmark::DoNotOptimize(out.data());
  }
  cmsDeleteTransform(t);
  cmsCloseProfile(src);
  cmsCloseProfile(dst);
  set_mp(state, static_cast<std::int64_t>(n));
}
BENCHMARK(BM_BareLcms)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

// Raw write of the CMYK bytes (fwrite + fflush + fsync): what any file writer costs at least.
void BM_RawFwrite(benchmark::State& state) {
  const Image& im = cmyk(static_cast<int>(state.range(0)));
  const auto path = fx().dir / "raw.bin";
  for (auto _ : state) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(im.data(), 1, im.size_bytes(), f);
    std::fflush(f);
    ::fsync(::fileno(f));
    std::fclose(f);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(im.size_bytes()));
}
BENCHMARK(BM_RawFwrite)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void tiff_case(benchmark::State& state, TiffCompression c) {
  const Image& im = cmyk(static_cast<int>(state.range(0)));
  const auto path = fx().dir / "card.tif";
  const ImageView pages[] = {im.view()};
  for (auto _ : state) {
    auto st = write_cmyk_tiff(pages, path, {.icc_profile = fx().transform.output_profile(), .compression = c});
    if (!st) state.SkipWithError(st.error().to_string().c_str());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(im.size_bytes()));
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
void BM_WriteTiffNone(benchmark::State& state) {
  tiff_case(state, TiffCompression::none);
}
void BM_WriteTiffDeflate(benchmark::State& state) {
  tiff_case(state, TiffCompression::deflate);
}
BENCHMARK(BM_WriteTiffNone)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteTiffDeflate)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

void BM_WritePanels(benchmark::State& state) {
  const auto printer =
      find_printer_profile(state.range(0) == 600 ? "retransfer-600" : "evolis-style-300", Resources::at(SDC_SOURCE_DIR))
          .value();
  const Planes sides[] = {planes(static_cast<int>(state.range(0)))};
  const auto dir = fx().dir / "panels";
  std::filesystem::create_directories(dir);
  for (auto _ : state) {
    auto r = write_panels(sides, printer, dir);
    if (!r) state.SkipWithError(r.error().to_string().c_str());
  }
}
BENCHMARK(BM_WritePanels)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

// Vector: independent of dpi; registered as /300 so the smoke run covers it.
void BM_WritePdfProof(benchmark::State& state) {
  const auto path = fx().dir / "proof.pdf";
  for (auto _ : state) {
    auto st = write_pdf_proof(fx().card, path);
    if (!st) state.SkipWithError(st.error().to_string().c_str());
  }
}
BENCHMARK(BM_WritePdfProof)->Arg(300)->Unit(benchmark::kMillisecond);

// 3 x 8 on SRA3 from an already separated card (imposition + strip writing only).
void BM_Sheet3x8(benchmark::State& state) {
  const int dpi = static_cast<int>(state.range(0));
  const Image& card = cmyk(dpi);
  const auto path = fx().dir / "sheet.tif";
  for (auto _ : state) {
    auto r = write_sheet(24, SideGeometry{}, [&](std::size_t) -> Result<Image> { return Image::copy_of(card.view()); },
                         path, {.dpi = Dpi{dpi}, .tiff = {.compression = TiffCompression::deflate}});
    if (!r) state.SkipWithError(r.error().to_string().c_str());
  }
  const std::int64_t px = static_cast<std::int64_t>(to_px(Mm{320}, Dpi{dpi}).v) * to_px(Mm{450}, Dpi{dpi}).v;
  set_mp(state, px);
}
BENCHMARK(BM_Sheet3x8)->Arg(300)->Arg(600)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
