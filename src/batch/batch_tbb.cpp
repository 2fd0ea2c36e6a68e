// The batch engine: a oneTBB parallel_pipeline of three stages. Reading (shard, duplicates, resume)
// and handing results to the sink are serial and in order, so the outcome never depends on the
// thread count; composing, rendering, exporting and storing run in parallel, with at most
// `tokens` records in flight.
#include <sdc/batch.hpp>
#include <sdc/seal.hpp>

#include <tbb/concurrent_queue.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <new>
#include <optional>
#include <string>

#include "batch/document_index.hpp"
#include "core/digest.hpp"
#include "export/export_workspace.hpp"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace sdc {

namespace detail {
// What one worker thread keeps from card to card (and, idle in its Batch, from run to run).
struct BatchWorker {
  PipelineWorkspace workspace;
  StageTimes times;
};
}  // namespace detail
using Worker = detail::BatchWorker;

namespace {

// ThreadSanitizer cannot see oneTBB's hand-offs between threads (Debian's libtbb is not
// instrumented). These tell it what parallel_pipeline guarantees, and nothing more, so that races
// in what the stages share (the sink, the pipeline, the summary) are still found. No-ops otherwise.
// parallel_pipeline copies each stage's closure inside libtbb, after anything the caller can
// annotate: the wrappers that annotate are therefore not instrumented (SDC_TSAN_HAND_OFF); the
// stages they call are (GCC does not inline across the attribute).
#if defined(__SANITIZE_THREAD__)
#define SDC_TSAN_HAND_OFF __attribute__((no_sanitize_thread))
void happens_before(const void* p) {
  __tsan_release(const_cast<void*>(p));
}
void happens_after(const void* p) {
  __tsan_acquire(const_cast<void*>(p));
}
#else
#define SDC_TSAN_HAND_OFF
void happens_before(const void*) {}
void happens_after(const void*) {}
#endif

struct Item {
  long number = 0;
  int line = 0;
  std::optional<Record> record;
  std::string document_number;
  bool skip = false;
  std::optional<BatchCard> card;
  std::optional<BatchFailure> failure;
};

BatchFailure failure_of(const Item& it, Error e) {
  return BatchFailure{
      .number = it.number, .line = it.line, .document_number = it.document_number, .error = std::move(e)};
}

std::int64_t ns_since(std::int64_t t0) {
  return detail::thread_cpu_ns() - t0;
}

// The file buffers of cards the sink is done with, on their way back to a worker: a consumer in
// memory (CallbackSink) sees each card once and keeps what it copies, so its buffers serve later
// cards instead of fresh memory (see bench/RESULTS.md, twelfth session).
using Returned = tbb::concurrent_queue<std::vector<std::uint8_t>>;

// Composes, renders and exports one record into `it.card` or `it.failure`. Returns an error only
// when the sink cannot store (disk full): that stops the batch.
Status make_card(const Pipeline& pipeline, BatchSink& sink, const std::string& kid, Item& it, Worker& worker,
                 Returned& returned) {
  // Buffers of cards the sink has handed on, for this card's files (no fresh memory to fault in).
  std::vector<std::uint8_t> spare;
  for (int k = 0; k < 2 && returned.try_pop(spare); ++k) {
    happens_after(&returned);
    worker.workspace.give_back(std::move(spare));
  }
  auto made = pipeline.run(*it.record, worker.workspace);
  if (!made) {
    it.failure = failure_of(it, std::move(made).error());
    return {};
  }
  BatchCard card{.number = it.number,
                 .line = it.line,
                 .document_number = it.document_number,
                 .template_id = pipeline.tmpl().content_id(),
                 .kid = kid,
                 .files = {},
                 .warnings = made->card.warnings()};
  for (auto& w : made->exported.warnings) card.warnings.push_back(std::move(w));
  StageTimes times = made->times;
  auto t0 = detail::thread_cpu_ns();
  card.files.reserve(made->exported.outputs.size());
  for (auto& o : made->exported.outputs) {
    BatchFile f{.name = std::move(o.name), .path = {}, .sha256 = {}, .bytes = std::move(o.bytes)};
    f.sha256 = detail::to_hex(detail::digest_sha256(f.bytes));
    card.files.push_back(std::move(f));
  }
  times.digest_ns = ns_since(t0);
  made = Error();  // release the card before storing
  t0 = detail::thread_cpu_ns();
  auto st = sink.store(card);
  times.write_ns += ns_since(t0);
  // A sink that has written a file keeps its buffer empty: the worker's next card reuses it.
  for (auto& f : card.files)
    if (f.bytes.empty()) worker.workspace.give_back(std::move(f.bytes));
  if (!st) {
    if (st.error().code() == Errc::io) return std::move(st).error();
    it.failure = failure_of(it, std::move(st).error());
    return {};
  }
  worker.times += times;
  it.card = std::move(card);
  return {};
}

}  // namespace

RecordSource::~RecordSource() = default;
BatchSink::~BatchSink() = default;
bool BatchSink::skip(long) const {
  return false;
}
Status BatchSink::store(BatchCard&) {
  return {};
}
bool BatchSink::store_waits() const {
  return false;
}

CallbackSink::CallbackSink(std::function<Status(const BatchCard&)> on_card,
                           std::function<Status(const BatchFailure&)> on_failure)
    : on_card_(std::move(on_card)), on_failure_(std::move(on_failure)) {}
Status CallbackSink::card_done(const BatchCard& card) {
  return on_card_ ? on_card_(card) : Status{};
}
Status CallbackSink::record_failed(const BatchFailure& failure) {
  return on_failure_ ? on_failure_(failure) : Status{};
}

int shard_of(std::string_view document_number, int count) {
  if (count <= 1) return 0;
  const auto d = detail::digest_sha256(document_number);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[static_cast<std::size_t>(i)];
  return static_cast<int>(v % static_cast<std::uint64_t>(count));
}

Result<Batch> Batch::create(Pipeline pipeline, BatchOptions options) {
  if (options.threads < 0 || options.threads > 1024)
    return Error(Errc::invalid_argument,
                 "threads must be 0 (all) to 1024, not " + std::to_string(options.threads) + ".",
                 "pass a thread count such as 1, 2 or 8.");
  if (options.tokens < 0 || options.tokens > 65536)
    return Error(Errc::invalid_argument, "tokens must be 0 (automatic) to 65536.",
                 "pass 0 or a small multiple of threads.");
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    return Error(Errc::invalid_argument,
                 "shard " + std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count) +
                     " is not valid: it needs 0 <= I < N.",
                 "number shards from 0, as Slurm array task ids: 0/4 ... 3/4 (BatchOptions::shard; sdc batch "
                 "--shard I/N).");
  return Batch(std::move(pipeline), std::move(options));
}

struct Batch::Workers {
  std::mutex mutex;
  std::vector<std::unique_ptr<Worker>> idle;
};

Batch::Batch(Pipeline pipeline, BatchOptions options)
    : pipeline_(std::move(pipeline)), options_(std::move(options)), workers_(std::make_shared<Workers>()) {}

Result<BatchSummary> Batch::run(RecordSource& source, BatchSink& sink) const {
  const auto start = std::chrono::steady_clock::now();
  const int threads =
      options_.threads > 0 ? options_.threads : tbb::info::default_concurrency() + (sink.store_waits() ? 1 : 0);
  const auto tokens = static_cast<std::size_t>(options_.tokens > 0 ? options_.tokens : 2 * threads);
  const int n = options_.shard_count;
  const int me = options_.shard_index;
  std::string kid;
  if (const auto& signer = pipeline_.issuer().signer; signer && pipeline_.tmpl().has_seal())
    kid = to_hex(signer->key_id());

  BatchSummary summary;
  summary.threads = threads;
  Returned returned;
  detail::DocumentIndex seen;  // document number -> first record number
  std::atomic<bool> stop{false};
  std::mutex fatal_mutex;
  std::optional<Error> fatal;
  auto set_fatal = [&](Error e) {
    std::lock_guard lock(fatal_mutex);
    if (!fatal) fatal = std::move(e);
    stop = true;
  };
  bool source_done = false;
  // One worker per thread that takes part, taken from the Batch's idle ones (their buffers and
  // separation memo stay warm between runs) and given back at the end.
  Workers& pool = *workers_;
  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers([&pool] {
    std::unique_ptr<Worker> w;
    {
      std::lock_guard lock(pool.mutex);
      if (!pool.idle.empty()) {
        w = std::move(pool.idle.back());
        pool.idle.pop_back();
      }
    }
    if (!w) w = std::make_unique<Worker>();
    w->times = {};
    return w;
  });

  auto read = [&](tbb::flow_control& fc) -> Item* {
    StreamedRecord in;
    for (;;) {
      if (stop || source_done) {
        fc.stop();
        return nullptr;
      }
      auto got = source.next(in);
      if (!got) {
        set_fatal(std::move(got).error());
        continue;
      }
      if (!*got) {
        source_done = true;
        continue;
      }
      std::string doc;
      if (in.record)
        if (auto d = in.record->get("document_number")) doc = *d;
      const int shard = doc.empty() ? static_cast<int>((in.number - 1) % n) : shard_of(doc, n);
      if (shard != me) continue;
      auto* it = new Item{.number = in.number,
                          .line = in.line,
                          .record = std::move(in.record),
                          .document_number = std::move(doc),
                          .skip = false,
                          .card = {},
                          .failure = {}};
      ++summary.read;
      if (in.error) {
        it->failure = failure_of(*it, std::move(*in.error));
      } else if (!it->document_number.empty()) {
        std::optional<long> first;
        try {
          first = seen.insert(it->document_number, it->number);
        } catch (const std::exception& e) {
          set_fatal(Error(Errc::limit_exceeded,
                          std::string("at record ") + std::to_string(it->number) + ": " + e.what(),
                          "split the batch into shards (BatchOptions::shard; sdc batch --shard I/N)."));
          delete it;
          continue;
        }
        if (first)
          it->failure = failure_of(
              *it, it->record->error(Errc::invalid_field, "document_number",
                                     "document number " + it->document_number + " is already used by record " +
                                         std::to_string(*first) + " of this batch (this is record " +
                                         std::to_string(it->number) + ").",
                                     "give every card its own document number; this record was not made."));
      }
      if (!it->failure && sink.skip(it->number)) it->skip = true;
      return it;
    }
  };

  auto work = [&](Item* it) -> Item* {
    if (!it || it->skip || it->failure || stop) return it;
    try {
      if (auto st = make_card(pipeline_, sink, kid, *it, *workers.local(), returned); !st)
        set_fatal(std::move(st).error());
    } catch (const std::bad_alloc&) {
      it->failure = failure_of(
          *it,
          it->record->error(Errc::limit_exceeded, "", "out of memory while making this card.",
                            "lower the thread count (BatchOptions::threads; --threads) or check the photo's size."));
    } catch (const std::exception& e) {
      it->failure = failure_of(*it, it->record->error(Errc::internal, "", std::string("unexpected: ") + e.what(),
                                                      "report this as a bug with the record."));
    }
    it->record.reset();
    return it;
  };

  // After a stop, cards finished before it are still recorded (their files are written); an item
  // the workers skipped has neither card nor failure and is dropped.
  bool writer_failed = false;
  auto write = [&](Item* it) {
    std::unique_ptr<Item> owned(it);
    if (!it || writer_failed) return;
    Status st;
    if (it->skip) {
      ++summary.skipped;
    } else if (it->failure) {
      ++summary.failed;
      st = sink.record_failed(*it->failure);
    } else if (it->card) {
      ++summary.made;
      st = sink.card_done(*it->card);
      // At most two buffers per worker wait here; the rest are freed with the item.
      for (auto& f : it->card->files) {
        if (f.bytes.capacity() == 0 || returned.unsafe_size() >= 2 * static_cast<std::size_t>(threads)) continue;
        happens_before(&returned);
        returned.push(std::move(f.bytes));
      }
    }
    if (!st) {
      writer_failed = true;
      set_fatal(std::move(st).error());
      return;
    }
    if (options_.progress) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      options_.progress(BatchProgress{.made = summary.made,
                                      .failed = summary.failed,
                                      .skipped = summary.skipped,
                                      .seconds = secs,
                                      .fraction = source.fraction()});
    }
  };

  // Exactly `threads` threads: the arena's size, and a global limit above the default when asked
  // for more threads than the machine has.
  std::optional<tbb::global_control> limit;
  if (threads > tbb::info::default_concurrency())
    limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  // For ThreadSanitizer: this set-up happens before every stage; the calls of a serial stage happen
  // one after another; an item's three stages happen in order; the pipeline's end happens before
  // what follows it.
  const char set_up = 0, reading = 0, writing = 0;
  happens_before(&set_up);
  auto read_in_order = [&](tbb::flow_control& fc) SDC_TSAN_HAND_OFF -> Item* {
    happens_after(&set_up);
    happens_after(&reading);
    Item* it = read(fc);
    if (it) happens_before(it);
    happens_before(&reading);
    return it;
  };
  auto work_on = [&](Item* it) SDC_TSAN_HAND_OFF -> Item* {
    happens_after(&set_up);
    if (it) happens_after(it);
    it = work(it);
    if (it) happens_before(it);
    return it;
  };
  auto write_in_order = [&](Item* it) SDC_TSAN_HAND_OFF {
    happens_after(&set_up);
    happens_after(&writing);
    if (it) happens_after(it);
    write(it);
    happens_before(&writing);
  };
  try {
    arena.execute([&] {
      tbb::parallel_pipeline(tokens,
                             tbb::make_filter<void, Item*>(tbb::filter_mode::serial_in_order, read_in_order) &
                                 tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel, work_on) &
                                 tbb::make_filter<Item*, void>(tbb::filter_mode::serial_in_order, write_in_order));
    });
    happens_after(&reading);
    happens_after(&writing);
  } catch (const std::bad_alloc&) {
    set_fatal(Error(Errc::limit_exceeded, "out of memory in the batch.",
                    "lower the thread count (BatchOptions::threads; --threads)."));
  } catch (const std::exception& e) {
    set_fatal(
        Error(Errc::internal, std::string("the batch stopped unexpectedly: ") + e.what(), "report this as a bug."));
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard lock(pool.mutex);
    for (auto& w : workers) {
      summary.stages += w->times;
      pool.idle.push_back(std::move(w));
    }
  }
  if (fatal) return std::move(*fatal);
  return summary;
}

}  // namespace sdc
