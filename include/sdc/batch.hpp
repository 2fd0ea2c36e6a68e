/// @file batch.hpp
/// Batch production: many records through one `Pipeline`, on all cores, with bounded memory, an
/// audit manifest, per-record errors, resume and sharding.
///
///     auto pipeline = sdc::Pipeline::create(tmpl, issuer, options);
///     auto source = sdc::open_record_source("records.csv");
///     auto sink = sdc::DirectorySink::open("out", {.resume = true});
///     auto batch = sdc::Batch::create(*pipeline, {.threads = 4});
///     auto summary = batch->run(**source, **sink);   // summary->failed > 0: see out/errors.jsonl
///
/// **Flow.** Records are read in order by one reader, composed, rendered and exported in parallel
/// (at most `BatchOptions::tokens` records in flight, so memory does not grow with the batch), and
/// handed to the sink in record order. A record that cannot be made (malformed row, invalid field,
/// unreadable photo, a document number already used in this batch) is a `BatchFailure`: reported,
/// and the batch goes on. An error of the source or the sink (disk full, lock held) stops the batch:
/// `run` returns it after the records in flight have finished.
///
/// **Determinism.** The cards depend only on the records, the pipeline and the options, never on
/// the thread count or timing: with an Ed25519 issuer key, N threads give byte-identical files and
/// manifest to 1 thread (`ComposeOptions::now_unix` is derived from each record's issue date).
///
/// **Sharding.** `BatchOptions::shard` makes a run take a deterministic 1/N of the records, so N
/// processes or machines split a batch without talking to each other. A record belongs to shard
/// `SHA-256(document_number)[0..8) mod N` (so two records with one document number meet in one
/// shard and the duplicate is caught); a record without a readable document number belongs to
/// shard `(number - 1) mod N`. The shards of one file are disjoint and cover it.
///
/// **Threads.** `Batch::run` may be called from any thread; it runs its own oneTBB arena with
/// exactly `threads` workers; each worker keeps its own `PipelineWorkspace` (buffers reused from
/// card to card, no locks between workers on the way). A sink's `store` is called from many workers at once; its other
/// methods from one thread at a time, in record order.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/export.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/record.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

// ---------------------------------------------------------------------------------------------
// Sources

/// Where records come from. Implement it to feed records from a database; `open_record_source`
/// reads a file. `next` is called from one thread at a time, in order.
class SDC_EXPORT RecordSource {
 public:
  virtual ~RecordSource();
  /// The next record (or the error that makes it unusable, which the batch reports and skips):
  /// true when `out` was filled, false at the end. `out.number` must increase by one per call,
  /// starting at 1. An Error stops the batch (the source cannot go on).
  virtual Result<bool> next(StreamedRecord& out) = 0;
  /// The share of the source read so far, 0 to 1, or a negative number when unknown (then no time
  /// left is estimated).
  virtual double fraction() const noexcept { return -1.0; }
  /// What errors and the manifest call the source (a file name).
  virtual std::string name() const { return {}; }
};

/// A `RecordSource` over a record file (`RecordStream`: CSV and JSON Lines streamed with bounded
/// memory). Errors as `RecordStream::open`.
SDC_EXPORT Result<std::unique_ptr<RecordSource>> open_record_source(const std::filesystem::path& path);

// ---------------------------------------------------------------------------------------------
// Sinks

/// One output file of a card.
struct BatchFile {
  std::string name;                 ///< as in `ExportOutput::name`: "front.png", "card.tif", "panels/front_k.png"
  std::string path;                 ///< where a sink stored it, relative to its folder ("" in memory)
  std::string sha256;               ///< lower-case hex SHA-256 of the bytes
  std::vector<std::uint8_t> bytes;  ///< the encoded file; a sink may release them in `store`
};

/// A card made by the batch.
struct BatchCard {
  long number = 0;  ///< 1-based record number in the source
  int line = 0;     ///< line in the source (0 if unknown)
  std::string document_number;
  std::string template_id;  ///< `Template::content_id()`
  std::string kid;          ///< the seal's key id as hex ("" without a seal)
  std::vector<BatchFile> files;
  std::vector<std::string> warnings;  ///< composition and panel warnings
};

/// A record the batch could not make.
struct BatchFailure {
  long number = 0;              ///< 1-based record number
  int line = 0;                 ///< line in the source (0 if unknown)
  std::string document_number;  ///< when the record has one
  Error error;                  ///< names the file, line, record and field, and says what to do
};

/// Receives the batch's results. `store` is called by the workers, concurrently, once per card
/// made, before `card_done`; `skip`, `card_done` and `record_failed` are called one at a time, in
/// record order. An Error from any of them stops the batch.
class SDC_EXPORT BatchSink {
 public:
  virtual ~BatchSink();
  /// Whether record `number` was already made (resume). Default: no.
  virtual bool skip(long number) const;
  /// Called concurrently: keep the card's files (write them, upload them), filling
  /// `BatchFile::path`; may release `BatchFile::bytes`. Default: nothing.
  virtual Status store(BatchCard& card);
  /// Whether `store` waits for a disk or a network (DirectorySink: yes). With
  /// `BatchOptions::threads` 0 the batch then runs one worker more than the machine has hardware
  /// threads, so that no core idles while a worker waits for its write (on 2 cores writing CMYK
  /// TIFF: 18 % more cards per second at 300 dpi, 22 % at 600; bench/RESULTS.md, twelfth
  /// session). Default: no.
  virtual bool store_waits() const;
  /// The card of record `card.number` is complete (in record order).
  virtual Status card_done(const BatchCard& card) = 0;
  /// Record `failure.number` could not be made (in record order).
  virtual Status record_failed(const BatchFailure& failure) = 0;
};

/// A sink that hands each card (with its encoded files in memory) and each failure to callbacks,
/// in record order. For a vendor receiving files rather than a folder.
class SDC_EXPORT CallbackSink final : public BatchSink {
 public:
  CallbackSink(std::function<Status(const BatchCard&)> on_card, std::function<Status(const BatchFailure&)> on_failure);
  Status card_done(const BatchCard& card) override;
  Status record_failed(const BatchFailure& failure) override;

 private:
  std::function<Status(const BatchCard&)> on_card_;
  std::function<Status(const BatchFailure&)> on_failure_;
};

struct DirectorySinkOptions {
  /// Continue a batch in this folder: records listed in `manifest.jsonl` whose files are all
  /// present with the listed SHA-256 are skipped; a torn last manifest line (a crash while it was
  /// written) and entries whose files are missing or changed are dropped (their records are made
  /// again). Without `resume`, a folder that already holds a manifest is refused.
  bool resume = false;
  /// Also print each failure to stderr as one line (the CLI does this).
  bool echo_failures = false;
};

/// Writes each card's files into `DIR/<document number>/` (atomically: temporary file, fsync,
/// rename), appends one JSON line per card to `DIR/manifest.jsonl` and per failure to
/// `DIR/errors.jsonl` (whole lines, written with one write and fsynced, so an interruption never
/// leaves a torn line that resume would trust). Holds an exclusive lock (flock on `DIR/.sdc-batch.lock`)
/// from `open` until destruction, so a second batch writing the same folder is refused.
///
/// Manifest line: `{"record":N,"line":L,"document_number":"...","template":"<content id>",
/// "kid":"<hex>","files":[{"name":"front.png","path":"XA0000417/front.png","sha256":"<hex>"},...]}`.
/// Error line: `{"record":N,"line":L,"document_number":"...","field":"...","code":"...",
/// "message":"...","hint":"...","file":"..."}`.
///
/// A document number that is not a safe folder name (1 to 64 of A-Z a-z 0-9 . _ -, not starting
/// with a dot, not manifest.jsonl or errors.jsonl) is a record failure (field document_number).
class SDC_EXPORT DirectorySink final : public BatchSink {
 public:
  /// Creates `dir` if needed, takes the lock, and (resume) reads and checks the manifest.
  /// Errors: Errc::io (cannot create or lock the folder: "another batch is writing it", unreadable
  /// manifest), Errc::invalid_argument (a manifest exists and `resume` is off).
  static Result<std::unique_ptr<DirectorySink>> open(const std::filesystem::path& dir,
                                                     const DirectorySinkOptions& options = {});
  ~DirectorySink() override;
  bool skip(long number) const override;
  Status store(BatchCard& card) override;
  bool store_waits() const override;
  Status card_done(const BatchCard& card) override;
  Status record_failed(const BatchFailure& failure) override;
  /// Records already made when the sink was opened (resume), and cards whose entries were dropped.
  long resumed() const noexcept;
  long dropped() const noexcept;

  struct Impl;

 private:
  explicit DirectorySink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// The batch

/// Progress, reported after each record in record order (from the thread that calls the sink).
struct BatchProgress {
  long made = 0, failed = 0, skipped = 0;  ///< so far in this run (skipped: resume)
  double seconds = 0;                      ///< since the run started
  double fraction = -1;                    ///< of the source read (`RecordSource::fraction`)
};

struct BatchOptions {
  /// Worker threads, exactly (a oneTBB arena of this size); 0: all hardware threads, and one more
  /// when the sink's `store` waits for storage (`BatchSink::store_waits`). More workers than
  /// oneTBB's default concurrency (the hardware threads) need its process-wide thread limit
  /// raised: the batch holds a `tbb::global_control` (max_allowed_parallelism) while it runs. A
  /// lower limit the application holds itself still wins (oneTBB keeps the smallest), and the
  /// arena then gets that many.
  int threads = 0;
  /// Records in flight at most; 0: 2 x threads. Bounds memory: each holds one card's outputs.
  int tokens = 0;
  /// This run takes shard `shard_index` of `shard_count` (see the file comment); 0 of 1: all.
  int shard_index = 0, shard_count = 1;
  /// Called after each record; keep it cheap (it runs in the ordered stage).
  std::function<void(const BatchProgress&)> progress;
};

struct BatchSummary {
  long read = 0;     ///< records of this shard read from the source
  long made = 0;     ///< cards made in this run
  long failed = 0;   ///< records reported as failures
  long skipped = 0;  ///< records already made (resume)
  double seconds = 0;
  int threads = 0;  ///< worker threads the run used
  /// Time per stage summed over the cards made in this run, over all workers (so with N busy
  /// workers the sum approaches N x `seconds`); `write_ns` is the sink's `store`.
  StageTimes stages;
};

class SDC_EXPORT Batch {
 public:
  /// Errors: Errc::invalid_argument for threads < 0, tokens < 0, or a shard outside 0 <= I < N.
  static Result<Batch> create(Pipeline pipeline, BatchOptions options = {});

  /// Runs every record of `source` through the pipeline into `sink`. Returns the summary when the
  /// source is exhausted (failures are in it and were given to the sink); an Error when the source
  /// or the sink failed (the batch stopped; what was made before is complete and in the sink).
  ///
  /// Each worker thread's buffers (the planes, the CMYK pages, the separation of its last card)
  /// stay with the Batch after a run and serve the next run's workers, so the first cards of a
  /// later run (a field office's few cards at a time) neither allocate them again nor separate
  /// their static regions again: about 20 MB per worker at 300 dpi and 70 MB at 600 dpi, released
  /// with the Batch (and its copies, which share them). Concurrent runs use distinct workers.
  Result<BatchSummary> run(RecordSource& source, BatchSink& sink) const;

  const Pipeline& pipeline() const noexcept { return pipeline_; }
  const BatchOptions& options() const noexcept { return options_; }

 private:
  struct Workers;  // the idle workers' buffers, kept between runs
  Batch(Pipeline pipeline, BatchOptions options);
  Pipeline pipeline_;
  BatchOptions options_;
  std::shared_ptr<Workers> workers_;
};

/// The shard (0-based) a record with this document number belongs to among `count` shards
/// (`count` >= 1). Deterministic on every machine.
SDC_EXPORT int shard_of(std::string_view document_number, int count);

}  // namespace sdc
