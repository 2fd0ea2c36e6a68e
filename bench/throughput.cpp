// bench/throughput: cards per second through the real batch path (sdc::Batch with a record source
// and a sink), per output and thread count, with milliseconds per stage, peak memory and the
// machine's own limit for the same output measured in the same run (memset + copy of the
// card-sized planes, the same codec, the same file write). Also a before/after comparison on one
// thread, interleaved card by card: fresh buffers per card (the path before per-worker workspaces)
// against a reused workspace without and with separation reuse.
//
//   build-rel/bench/throughput --cards 40 --dpi 300,600 --outputs mem,tiff,png,tiff-deflate --threads 1,0
//
// Specimen template (every feature, front and back), records cycling through
// assets/records/specimen.csv with unique document numbers, a fresh ES256 signature per card
// (assets/keys/specimen-es256), the specimen issuer's pattern seed (per-card personal patterns).
#include <sdc/batch.hpp>
#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/photo.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>

#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "throughput: %s\n", what.c_str());
  std::exit(2);
}

template <class T>
T must(sdc::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().to_string());
  return std::move(r).value();
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Peak resident memory (VmHWM) in MB; reset_peak() starts a new peak (Linux clear_refs 5).
double peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}
void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

std::vector<std::uint8_t> read_hex(const fs::path& p) {
  std::ifstream in(p);
  std::string hex, tok;
  while (in >> tok) hex += tok;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// Record i (1-based): the specimen records in turn, each with its own document number.
sdc::Record make_record(const std::vector<sdc::Record>& base, long i) {
  sdc::Record r = base[static_cast<std::size_t>(i - 1) % base.size()];
  char doc[32];
  std::snprintf(doc, sizeof doc, "XD%07ld", i % 10000000);
  r.set("document_number", doc);
  return r;
}

class Source final : public sdc::RecordSource {
 public:
  Source(const std::vector<sdc::Record>& base, long count) : base_(base), count_(count) {}
  sdc::Result<bool> next(sdc::StreamedRecord& out) override {
    if (i_ >= count_) return false;
    ++i_;
    out.number = i_;
    out.line = 0;
    out.record = make_record(base_, i_);
    out.error.reset();
    return true;
  }
  double fraction() const noexcept override { return static_cast<double>(i_) / static_cast<double>(count_); }

 private:
  const std::vector<sdc::Record>& base_;
  long count_, i_ = 0;
};

struct Fixture {
  fs::path root;
  sdc::Template tmpl;
  std::vector<sdc::Record> records;
  sdc::Issuer issuer;
};

enum class Output { mem, tiff, tiff_deflate, png };

bool parse_output(const std::string& s, Output& o) {
  if (s == "mem")
    o = Output::mem;
  else if (s == "tiff")
    o = Output::tiff;
  else if (s == "tiff-deflate")
    o = Output::tiff_deflate;
  else if (s == "png")
    o = Output::png;
  else
    return false;
  return true;
}
const char* name_of(Output o) {
  switch (o) {
    case Output::mem: return "mem (CMYK TIFF bytes)";
    case Output::tiff: return "CMYK TIFF";
    case Output::tiff_deflate: return "CMYK TIFF deflate";
    case Output::png: return "PNG";
  }
  return "?";
}

sdc::Pipeline make_pipeline(const Fixture& f, int dpi, Output out) {
  sdc::PipelineOptions o{.resources = sdc::Resources::at(f.root), .dpi = sdc::Dpi{dpi}};
  if (out == Output::png) {
    o.request.png = true;
  } else {
    o.request.cmyk_tiff = true;
    o.request.cmyk.compression =
        out == Output::tiff_deflate ? sdc::TiffCompression::deflate : sdc::TiffCompression::none;
  }
  return must(sdc::Pipeline::create(f.tmpl, f.issuer, o), "pipeline");
}

// ---------------------------------------------------------------------------------------------
// The machine's limit for one card of an output: the planes written (memset) and copied to the
// output buffer, the same codec, and (files) the same write: temporary file, O_DIRECT for the whole
// blocks of a large file, fsync, rename.

struct Limit {
  double ms = 0;  // per card, one thread
  std::size_t bytes = 0;
};

Limit measure_limit(const sdc::Pipeline& p, const Fixture& f, Output out, const fs::path& dir, int reps) {
  // Real card content (compression depends on it): one card's planes, preview and separation.
  const sdc::Card card = must(p.compose(make_record(f.records, 1)), "compose");
  std::vector<sdc::Image> rgb, cmyk;
  std::vector<sdc::Planes> planes;
  for (sdc::Side s : {sdc::Side::front, sdc::Side::back}) {
    auto pl = must(p.renderer().render(card, s, {sdc::Dpi{p.options().dpi}}), "render");
    rgb.push_back(sdc::composite(pl));
    if (out != Output::png) cmyk.push_back(must(p.separate(card, s), "separate"));
    planes.push_back(std::move(pl));
  }
  const bool to_file = out != Output::mem;
  Limit lim;
  std::vector<std::uint8_t> buf, z;
  const auto t0 = Clock::now();
  for (int r = 0; r < reps; ++r) {
    for (std::size_t i = 0; i < planes.size(); ++i) {
      sdc::Planes& pl = planes[i];
      // The planes as a renderer fills them, then the output's bytes from them.
      std::memset(pl.process.data(), 255, static_cast<std::size_t>(pl.process.row_stride()) * pl.process.height());
      if (!pl.k.empty()) std::memset(pl.k.data(), 0, static_cast<std::size_t>(pl.k.row_stride()) * pl.k.height());
      const sdc::Image& src = out == Output::png ? rgb[i] : cmyk[i];
      const std::size_t n = static_cast<std::size_t>(src.row_stride()) * src.height();
      buf.resize(n);
      std::memcpy(buf.data(), src.data(), n);
      const std::vector<std::uint8_t>* file = &buf;
      if (out == Output::png || out == Output::tiff_deflate) {
        uLongf zn = compressBound(static_cast<uLong>(n));
        z.resize(zn);
        if (compress2(z.data(), &zn, buf.data(), static_cast<uLong>(n), 6) != Z_OK) die("zlib");
        z.resize(zn);
        file = &z;
      }
      lim.bytes += file->size();
      // Written the library's way (temporary file, O_DIRECT for the whole blocks of a large file,
      // fsync, rename): the write itself has no cheaper form to compare with.
      if (to_file) must(sdc::write_file_atomic(dir / ("limit-" + std::to_string(i)), *file), "limit write");
    }
  }
  lim.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / reps;
  lim.bytes /= static_cast<std::size_t>(reps);
  return lim;
}

// ---------------------------------------------------------------------------------------------

double ms(std::int64_t ns, long cards) {
  return cards > 0 ? static_cast<double>(ns) / 1e6 / static_cast<double>(cards) : 0.0;
}

void run_case(const Fixture& f, int dpi, Output out, int threads, long cards, const fs::path& tmp, int limit_reps) {
  const sdc::Pipeline pipeline = make_pipeline(f, dpi, out);
  // 0 is the batch's own default: every hardware thread, and one more when writing files.
  const sdc::Batch batch = must(sdc::Batch::create(pipeline, {.threads = threads}), "batch");
  const int nthreads =
      threads > 0 ? threads
                  : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + (out == Output::mem ? 0 : 1);
  const fs::path dir = tmp / ("case-" + std::to_string(dpi));
  std::uint64_t bytes = 0;
  auto run = [&](long n) {
    fs::remove_all(dir);
    Source source(f.records, n);
    sdc::Result<sdc::BatchSummary> s = sdc::Error();
    if (out == Output::mem) {
      sdc::CallbackSink sink(
          [&](const sdc::BatchCard& c) -> sdc::Status {
            for (const auto& file : c.files) bytes += file.bytes.size();
            return {};
          },
          [](const sdc::BatchFailure& e) -> sdc::Status { return e.error; });
      s = batch.run(source, sink);
    } else {
      auto sink = must(sdc::DirectorySink::open(dir), "sink");
      s = batch.run(source, *sink);
    }
    auto summary = must(std::move(s), "batch run");
    if (summary.made != n)
      die("the batch made " + std::to_string(summary.made) + " of " + std::to_string(n) + " cards");
    return summary;
  };
  run(nthreads);  // warm-up: static layers, fonts, first allocations of every worker
  reset_peak();
  const double cpu0 = cpu_seconds();
  const sdc::BatchSummary s = run(cards);
  const double cpu = cpu_seconds() - cpu0;
  const double peak = peak_rss_mb();
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Limit lim = measure_limit(pipeline, f, out, dir, limit_reps);
  fs::remove_all(dir);
  const double wall_ms = s.seconds * 1e3 / static_cast<double>(cards);
  const auto& t = s.stages;
  std::printf(
      "| %d | %s | %s | %ld | %.2f | %.1f | %.1f | %.1f / %.1f / %.1f / %.1f / %.1f / %.1f | %.0f | %.2f (%.1f MB) | "
      "%.1f |\n",
      dpi, name_of(out),
      (threads > 0 ? std::to_string(s.threads) : "default (" + std::to_string(s.threads) + ")").c_str(), cards,
      static_cast<double>(cards) / s.seconds, wall_ms, cpu * 1e3 / static_cast<double>(cards), ms(t.compose_ns, cards),
      ms(t.render_ns, cards), ms(t.separate_ns, cards), ms(t.encode_ns, cards), ms(t.write_ns, cards),
      ms(t.digest_ns, cards), peak, lim.ms, static_cast<double>(lim.bytes) / 1e6, wall_ms / lim.ms);
  std::fflush(stdout);
}

// Before/after on one thread, interleaved card by card so that the machine's load hits all alike.
void compare(const Fixture& f, int dpi, long cards) {
  const sdc::Pipeline p = make_pipeline(f, dpi, Output::mem);
  sdc::PipelineWorkspace no_memo, reuse;
  no_memo.reuse_separation(false);
  struct Acc {
    const char* name;
    sdc::StageTimes t;
    std::int64_t wall = 0;
  } acc[3] = {{"fresh buffers per card (`Pipeline::run(record)`)", {}, 0},
              {"per-worker workspace, every pixel through lcms2", {}, 0},
              {"per-worker workspace + separation reuse (the batch)", {}, 0}};
  for (long i = 0; i <= cards; ++i) {  // card 0 warms up
    const sdc::Record r = make_record(f.records, i + 1);
    for (int k = 0; k < 3; ++k) {
      const auto t0 = Clock::now();
      auto out = must(k == 0 ? p.run(r) : p.run(r, k == 1 ? no_memo : reuse), "run");
      const auto wall = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
      if (i == 0) continue;
      acc[k].t += out.times;
      acc[k].wall += wall;
    }
  }
  std::printf("\nBefore/after at %d dpi, 1 thread, %ld cards, CMYK TIFF in memory (ms per card; stages in CPU ms):\n\n",
              dpi, cards);
  std::printf(
      "| path | wall | CPU, all stages | compose | render | separate | encode |\n|---|---|---|---|---|---|---|\n");
  auto cpu = [](const sdc::StageTimes& t) {
    return t.compose_ns + t.render_ns + t.separate_ns + t.encode_ns + t.write_ns + t.digest_ns;
  };
  for (const auto& a : acc)
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", a.name, ms(a.wall, cards), ms(cpu(a.t), cards),
                ms(a.t.compose_ns, cards), ms(a.t.render_ns, cards), ms(a.t.separate_ns, cards),
                ms(a.t.encode_ns, cards));
  std::printf("| ratio fresh / batch path | %.2f | %.2f | | %.2f | %.2f | %.2f |\n",
              static_cast<double>(acc[0].wall) / static_cast<double>(acc[2].wall),
              static_cast<double>(cpu(acc[0].t)) / static_cast<double>(cpu(acc[2].t)),
              static_cast<double>(acc[0].t.render_ns) / static_cast<double>(acc[2].t.render_ns),
              static_cast<double>(acc[0].t.separate_ns) / static_cast<double>(acc[2].t.separate_ns),
              static_cast<double>(acc[0].t.encode_ns) / static_cast<double>(acc[2].t.encode_ns));
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// Face detection: the detector's cost and the boxes it finds at several detection sizes, on
// variants of the specimen photo (the only portrait the project ships), against the 800 px setting
// that was the default before.

sdc::Image variant(const sdc::Image& src, int kind) {
  const int w = src.width(), h = src.height();
  auto px = [](sdc::Image& im, int x, int y) { return im.row(y) + 3 * x; };
  auto cpx = [](const sdc::Image& im, int x, int y) { return im.row(y) + 3 * x; };
  switch (kind) {
    case 1:
    case 2: {  // 2x and 3x, nearest neighbour
      const int k = kind + 1;
      sdc::Image out(w * k, h * k, sdc::PixelFormat::rgb8);
      for (int y = 0; y < h * k; ++y)
        for (int x = 0; x < w * k; ++x) std::memcpy(px(out, x, y), cpx(src, x / k, y / k), 3);
      return out;
    }
    case 3: {  // on a 600 x 800 grey portrait canvas
      sdc::Image out(600, 800, sdc::PixelFormat::rgb8);
      std::memset(out.data(), 190, static_cast<std::size_t>(out.row_stride()) * out.height());
      for (int y = 0; y < h; ++y) std::memcpy(px(out, 44, y + 144), src.row(y), static_cast<std::size_t>(3 * w));
      return out;
    }
    case 4: {  // darker (60 %)
      sdc::Image out = sdc::Image::copy_of(src.view());
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < 3 * w; ++x) out.row(y)[x] = static_cast<std::uint8_t>(out.row(y)[x] * 3 / 5);
      return out;
    }
    case 5: {  // mirrored
      sdc::Image out(w, h, sdc::PixelFormat::rgb8);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) std::memcpy(px(out, w - 1 - x, y), cpx(src, x, y), 3);
      return out;
    }
    case 6:  // the top 50 rows cut off (the crown missing)
      return sdc::Image::copy_of(src.view().cropped({0, 50, w, h - 50}));
    case 7: {  // half size (2 x 2 mean)
      sdc::Image out(w / 2, h / 2, sdc::PixelFormat::rgb8);
      for (int y = 0; y < h / 2; ++y)
        for (int x = 0; x < w / 2; ++x)
          for (int c = 0; c < 3; ++c)
            px(out, x, y)[c] =
                static_cast<std::uint8_t>((cpx(src, 2 * x, 2 * y)[c] + cpx(src, 2 * x + 1, 2 * y)[c] +
                                           cpx(src, 2 * x, 2 * y + 1)[c] + cpx(src, 2 * x + 1, 2 * y + 1)[c] + 2) /
                                          4);
      return out;
    }
    default: return sdc::Image::copy_of(src.view());
  }
}

double iou(const sdc::PxRect& a, const sdc::PxRect& b) {
  const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
  const double in = x1 > x0 && y1 > y0 ? static_cast<double>(x1 - x0) * (y1 - y0) : 0.0;
  return in / (static_cast<double>(a.w) * a.h + static_cast<double>(b.w) * b.h - in);
}

void faces(const Fixture& f, int reps) {
  const char* names[] = {"astronaut 512", "2x (1024)", "3x (1536)",       "on 600x800 canvas",
                         "darker 60 %",   "mirrored",  "top 50 rows cut", "half (256)"};
  const sdc::Image src = must(sdc::load_image(f.root / "assets/records/photos/astronaut.png"), "photo");
  std::vector<sdc::Image> photos;
  for (int k = 0; k < 8; ++k) photos.push_back(variant(src, k));
  // Before: the whole photo searched at up to 800 px. After: coarse-to-fine (the default now).
  const sdc::FaceDetectorOptions variants[] = {{.coarse_side = 0},
                                               {.coarse_side = 200, .lbp_candidates = false},
                                               {},
                                               {.coarse_side = 160},
                                               {.lbp_confirmation = true}};
  const char* heads[] = {"whole photo", "coarse 200, Haar candidates", "coarse 200, LBP candidates (default)",
                         "coarse 160, LBP candidates", "LBP candidates and confirmation (Composer)"};
  std::vector<sdc::FaceDetector> dets;
  for (const auto& o : variants) dets.push_back(must(sdc::FaceDetector::create(o), "detector"));
  std::printf(
      "\nFace detection (CPU ms per photo, %d runs; box of the largest face; IoU against the whole-photo "
      "search):\n\n| photo |",
      reps);
  for (const char* h : heads) std::printf(" %s |", h);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < std::size(variants); ++i) std::printf("---|");
  std::printf("\n");
  std::vector<double> total(std::size(variants), 0.0);
  for (std::size_t p = 0; p < photos.size(); ++p) {
    std::printf("| %s |", names[p]);
    std::optional<sdc::PxRect> ref;
    for (std::size_t d = 0; d < dets.size(); ++d) {
      std::vector<sdc::PxRect> found;
      const double c0 = cpu_seconds();
      for (int r = 0; r < reps; ++r) found = must(dets[d].detect(photos[p].view()), "detect");
      const double t = (cpu_seconds() - c0) * 1e3 / reps;
      total[d] += t;
      if (found.empty()) {
        std::printf(" %.1f ms, no face |", t);
        continue;
      }
      const sdc::PxRect b = found.front();
      if (d == 0) ref = b;
      std::printf(" %.1f ms, %d,%d %dx%d", t, b.x, b.y, b.w, b.h);
      if (d > 0 && ref) std::printf(", IoU %.2f", iou(*ref, b));
      std::printf(" |");
    }
    std::printf("\n");
  }
  std::printf("| mean |");
  for (double t : total) std::printf(" %.1f ms |", t / static_cast<double>(photos.size()));
  std::printf("\n");
  std::fflush(stdout);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ',')) out.push_back(x);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sdc throughput: the batch path per output and thread count, against the machine's limit"};
  long cards = 24, cards600 = 8, compare_cards = 8;
  std::string dpis = "300,600", outputs = "mem,tiff,png,tiff-deflate", threads = "1,0";
  fs::path root = SDC_SOURCE_DIR;
  int limit_reps = 10, face_reps = 0;
  app.add_option("--cards", cards, "cards per case below 600 dpi");
  app.add_option("--cards600", cards600, "cards per case at 600 dpi and above");
  app.add_option("--dpi", dpis, "comma-separated dpis");
  app.add_option("--outputs", outputs, "comma-separated: mem, tiff, tiff-deflate, png");
  app.add_option(
      "--threads", threads,
      "comma-separated thread counts; 0: the batch's default (all hardware threads, one more when writing files)");
  app.add_option("--compare-cards", compare_cards, "cards of the before/after comparison (0: none)");
  app.add_option("--limit-reps", limit_reps, "repetitions of the limit measurement");
  app.add_option("--root", root, "the source tree (assets/, fonts/)");
  app.add_option("--faces", face_reps, "runs per photo of the face detection comparison (0: none)");
  CLI11_PARSE(app, argc, argv);

  Fixture f;
  f.root = root;
  f.tmpl = must(sdc::Template::load(root / "assets/templates/specimen.json"), "template");
  f.records = must(sdc::load_records(root / "assets/records/specimen.csv"), "records");
  const fs::path keys = root / "assets/keys/specimen-es256";
  f.issuer.signer = must(sdc::load_signer(keys / "key.pem", keys / "cert.pem"), "ES256 key");
  f.issuer.code = "XXA";
  f.issuer.name = "Specimen Issuing Authority";
  f.issuer.pattern_seed = read_hex(root / "assets/issuers/specimen/pattern-seed.hex");
  if (f.issuer.pattern_seed.size() < 16) die("cannot read the specimen pattern seed");
  const fs::path tmp = fs::temp_directory_path() / ("sdc-throughput-" + std::to_string(::getpid()));
  fs::create_directories(tmp);

  double load[3] = {};
  if (std::FILE* la = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
    std::fclose(la);
  }
  std::printf(
      "sdc throughput: specimen, front + back, ES256 seal per card, issuer pattern seed; %u hardware threads; "
      "load average %.2f %.2f %.2f\n\n",
      std::thread::hardware_concurrency(), load[0], load[1], load[2]);
  std::printf(
      "| dpi | output | threads | cards | cards/s | wall ms/card | CPU ms/card | compose / render / separate / encode "
      "/ "
      "write / sha256 (CPU ms per card, all workers) | peak RSS MB | limit ms/card (output size) | ratio to limit |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& d : split(dpis)) {
    const int dpi = std::stoi(d);
    for (const auto& o : split(outputs)) {
      Output out;
      if (!parse_output(o, out)) die("unknown output " + o);
      for (const auto& t : split(threads))
        run_case(f, dpi, out, std::stoi(t), dpi >= 600 ? cards600 : cards, tmp, limit_reps);
    }
  }
  if (face_reps > 0) faces(f, face_reps);
  if (compare_cards > 0)
    for (const auto& d : split(dpis)) compare(f, std::stoi(d), compare_cards);
  fs::remove_all(tmp);
  return 0;
}
