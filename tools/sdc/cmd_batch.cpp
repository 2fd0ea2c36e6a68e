// sdc batch: every record of a file through one pipeline, on all cores, into a folder with an audit
// manifest (docs/scaling.md). Bad records are reported and skipped; the exit code says so.
#include <sdc/batch.hpp>
#include <sdc/pipeline.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>

#include "cli.hpp"
#include "issuer_args.hpp"
#include "print_formats.hpp"

namespace sdc::cli {
namespace {

struct BatchArgs {
  std::string tmpl, records, out, shard, progress = "auto";
  PhotoPaths photo_paths;
  IssuerArgs issuer;
  int dpi = 300, threads = 0, tokens = 0;
  bool resume = false, quiet = false;
  PrintFormats print;
};

// Prints each failure as it is recorded (clearing the status line first on a terminal).
class EchoSink final : public BatchSink {
 public:
  EchoSink(DirectorySink& inner, bool bar) : inner_(inner), bar_(bar) {}
  bool skip(long number) const override { return inner_.skip(number); }
  Status store(BatchCard& card) override { return inner_.store(card); }
  Status card_done(const BatchCard& card) override { return inner_.card_done(card); }
  Status record_failed(const BatchFailure& f) override {
    std::fprintf(stderr, "%ssdc batch: record %ld failed: %s\n", bar_ ? "\r\033[K" : "", f.number,
                 f.error.to_string().c_str());
    return inner_.record_failed(f);
  }

 private:
  DirectorySink& inner_;
  bool bar_;
};

std::string duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

Result<std::pair<int, int>> parse_shard(const std::string& s) {
  int i = 0, n = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%d/%d%c", &i, &n, &tail) != 2 || n < 1 || i < 0 || i >= n)
    return Error(Errc::invalid_argument, "--shard '" + s + "' is not I/N with 0 <= I < N.",
                 "write the shard as 0/4, 1/4, ... (Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT).");
  return std::pair{i, n};
}

int run_batch(const BatchArgs& a) {
  const std::string cmd = "batch";
  int shard_i = 0, shard_n = 1;
  if (!a.shard.empty()) {
    auto s = parse_shard(a.shard);
    if (!s) return fail(cmd, s.error());
    std::tie(shard_i, shard_n) = *s;
  }
  auto tmpl = Template::load(a.tmpl);
  if (!tmpl) return fail(cmd, tmpl.error());
  auto source = open_record_source(a.records);
  if (!source) return fail(cmd, source.error());
  auto issuer = load_issuer_args(a.issuer, tmpl->has_seal(), cmd);
  if (!issuer) return fail(cmd, issuer.error());
  auto request = make_export_request(a.print, a.dpi);
  if (!request) return fail(cmd, request.error());
  request->seal_text = true;
  auto pipeline = Pipeline::create(std::move(*tmpl), std::move(*issuer),
                                   pipeline_options(Dpi{a.dpi}, a.photo_paths, std::move(*request)));
  if (!pipeline) return fail(cmd, pipeline.error());
  if (!a.quiet)
    for (const auto& w : pipeline->warnings()) std::fprintf(stderr, "sdc batch: warning: %s\n", w.c_str());
  auto dir = DirectorySink::open(a.out, {.resume = a.resume});
  if (!dir) return fail(cmd, dir.error());
  if (a.resume && !a.quiet && ((*dir)->resumed() > 0 || (*dir)->dropped() > 0))
    std::fprintf(stderr, "sdc batch: resuming: %ld cards already made and intact, %ld manifest entries dropped\n",
                 (*dir)->resumed(), (*dir)->dropped());

  const std::string mode = a.quiet ? "none" : a.progress == "auto" ? (::isatty(2) ? "bar" : "plain") : a.progress;
  const bool bar = mode == "bar";
  EchoSink sink(**dir, bar);
  BatchOptions options{.threads = a.threads, .tokens = a.tokens, .shard_index = shard_i, .shard_count = shard_n};
  double last = -1;
  if (mode == "bar" || mode == "plain") {
    options.progress = [&, bar, every = bar ? 0.2 : 5.0](const BatchProgress& p) {
      if (p.seconds - last < every) return;
      last = p.seconds;
      const double rate = p.seconds > 0 ? static_cast<double>(p.made) / p.seconds : 0;
      const double left = p.fraction > 0 ? p.seconds * (1 - p.fraction) / p.fraction : -1;
      if (bar)
        std::fprintf(stderr, "\r\033[K[%3.0f%%] %ld cards, %.1f cards/s, %ld failed, %s left",
                     100 * std::max(0.0, p.fraction), p.made, rate, p.failed, duration(left).c_str());
      else
        std::fprintf(stderr, "sdc batch: %ld cards, %.1f cards/s, %ld failed, %s left\n", p.made, rate, p.failed,
                     duration(left).c_str());
      std::fflush(stderr);
    };
  }
  auto batch = Batch::create(std::move(*pipeline), std::move(options));
  if (!batch) return fail(cmd, batch.error());
  auto summary = batch->run(**source, sink);
  if (bar) std::fputs("\r\033[K", stderr);
  if (!summary) return fail(cmd, summary.error(), summary.error().code() == Errc::internal ? internal : bad_input);
  const auto& s = *summary;
  if (!a.quiet) {
    std::fprintf(stderr, "sdc batch: %ld cards made in %.1f s (%.1f cards/s, %d threads)", s.made, s.seconds,
                 s.seconds > 0 ? static_cast<double>(s.made) / s.seconds : 0.0, s.threads);
    if (s.skipped) std::fprintf(stderr, ", %ld already made", s.skipped);
    if (s.failed)
      std::fprintf(stderr, ", %ld failed (%s)", s.failed, (std::filesystem::path(a.out) / "errors.jsonl").c_str());
    std::fputs("\n", stderr);
  }
  return s.failed ? some_failed : ok;
}

const Registrar reg_batch{
    {"batch", [](CLI::App& app) -> std::function<int()> {
       app.description("Make the cards of every record of a file, on all cores, into a folder with a manifest");
       app.footer(
           "Exit codes: 0 all cards made, 4 some records failed (DIR/errors.jsonl), 2 bad input or the "
           "output failed, 3 internal error.");
       auto a = std::make_shared<BatchArgs>();
       app.add_option("--template,-t", a->tmpl, "Template JSON file")->required()->check(CLI::ExistingFile);
       app.add_option("--records,-r", a->records, "Record file (.csv, .jsonl; .json is read whole)")
           ->required()
           ->check(CLI::ExistingFile);
       app.add_option("--out,-o", a->out, "Output folder: <document number>/..., manifest.jsonl, errors.jsonl")
           ->required();
       app.add_option("--dpi", a->dpi, "Resolution")->check(CLI::Range(72, 2400));
       add_photo_path_options(app, a->photo_paths);
       app.add_option("--threads,-j", a->threads,
                      "Worker threads (0: all cores, and one more to write while they work)")
           ->check(CLI::Range(0, 1024));
       app.add_option("--tokens", a->tokens, "Records in flight at most (0: 2 x threads)")->check(CLI::Range(0, 65536));
       app.add_flag("--resume", a->resume, "Continue a batch in --out: skip records already made and intact");
       app.add_option("--shard", a->shard, "Make only shard I of N (I/N, 0 <= I < N), e.g. a Slurm array task");
       app.add_option("--progress", a->progress,
                      "auto (a status line on a terminal, else plain lines), bar, plain, none")
           ->check(CLI::IsMember({"auto", "bar", "plain", "none"}));
       app.add_flag("--quiet,-q", a->quiet, "No progress and no summary (failures are still printed)");
       app.add_option("--issuer", a->issuer.issuer, "Issuer profile (JSON: code, name, key, cert, pattern seed file)");
       app.add_option("--key", a->issuer.key, "Issuer signing key (PEM/DER, PKCS#8) for the seal");
       app.add_option("--cert", a->issuer.cert, "Issuer certificate matching --key");
       app.add_option("--passphrase-file", a->issuer.passphrase_file, "File holding the key's passphrase");
       add_print_options(app, a->print);
       return [a] { return run_batch(*a); };
     }}};

}  // namespace
}  // namespace sdc::cli
