// export_card with caller-owned, reused buffers and stage timing (internal: the pipeline and the
// batch keep one workspace per worker, so a card allocates no planes, surfaces or CMYK pages once
// the first card of a size is made, and only the pixels that changed since the worker's previous
// card go through the ICC transform).
#pragma once

#include <sdc/export.hpp>

#include <time.h>

#include <cstdint>
#include <vector>

#include "color/separate_detail.hpp"

namespace sdc::detail {

/// CPU time of the calling thread in nanoseconds: stage times are CPU time, so that a shared,
/// loaded machine (where wall time mostly measures waiting for a core) still shows where the work is.
inline std::int64_t thread_cpu_ns() noexcept {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

/// CPU time of the export stages of one call, in nanoseconds (`thread_cpu_ns`).
struct ExportTimes {
  std::int64_t render_ns = 0;    ///< drawing the planes
  std::int64_t separate_ns = 0;  ///< ICC transform, coverage limit, K knockout
  std::int64_t encode_ns = 0;    ///< previews, PNG, TIFF, panels, PDF, seal text
  std::int64_t write_ns = 0;     ///< writing files (export_card_to)
};

/// Buffers one worker reuses from card to card. Not thread-safe: one per thread.
struct ExportWorkspace {
  RenderScratch scratch;
  std::vector<Planes> planes;  ///< per side, at the export dpi
  std::vector<Image> pages;    ///< CMYK pages, per side
  SeparationMemo memo[2];      ///< per side (front, back)
  bool use_memo = true;        ///< off: every pixel is transformed (for comparison)
  ExportTimes times;           ///< of the last call
  /// Buffers of earlier cards' encoded files, given back by their consumer (`give_back`): the next
  /// CMYK TIFF is written into one of them, so an uncompressed card file needs no fresh memory
  /// (whose page faults cost more than writing it).
  std::vector<std::vector<std::uint8_t>> spare_bytes;

  /// An empty buffer, with the capacity of a given-back one when there is one.
  std::vector<std::uint8_t> take_bytes() {
    if (spare_bytes.empty()) return {};
    std::vector<std::uint8_t> b = std::move(spare_bytes.back());
    spare_bytes.pop_back();
    b.clear();
    return b;
  }
  /// Keeps `bytes`' capacity for a later card (at most a few buffers).
  void give_back(std::vector<std::uint8_t>&& bytes) {
    if (bytes.capacity() == 0 || spare_bytes.size() >= 4) return;
    spare_bytes.push_back(std::move(bytes));
  }
};

/// `export_card` / `export_card_to` (dir not null) through `ws`. Byte-identical outputs.
Result<ExportResult> export_card_with(const Card& card, const Renderer& renderer, const ExportRequest& request,
                                      ExportWorkspace& ws, const std::filesystem::path* dir = nullptr);

/// The CMYK transform of `cmyk`: its own, else one created from its profile (or `res`'s default).
Result<ColorTransform> transform_for(const CmykExport& cmyk, const Resources& res);
/// The printer profile of `panel`: its own, else parsed from its JSON, else found by id in `res`.
Result<PrinterProfile> printer_for(const PanelExport& panel, const Resources& res);

/// `request` with what it names by path or id loaded once: the CMYK transform, the printer profile
/// and the proof's caption font (from `res`). The pipeline keeps the result, so no card reloads
/// them, and a problem that concerns every card is found before the first.
Result<ExportRequest> resolve_request(ExportRequest request, const Resources& res);

}  // namespace sdc::detail
