/// @file pipeline.hpp
/// The one entry point from data to print: template + record (+ photo) + issuer + resources ->
/// a composed card and every output asked for, in memory or as files.
///
/// `sdc render`, `sdc sheet` and `sdc batch` all go through a `Pipeline`, and so should a service or
/// a vendor's own batch: it does, once, everything that does not depend on the card (loads the
/// fonts and the face model, prepares the renderer and its static-layer cache, opens the ICC
/// profile and optimises the colour transform, finds the printer profile, lints the template for
/// the dpi), and then, per card, composes, renders and exports.
///
///     sdc::PipelineOptions o;
///     o.resources = sdc::Resources::at("/opt/sdc/share/sdc");
///     o.dpi = sdc::Dpi{300};
///     o.request.png = o.request.cmyk_tiff = true;
///     auto pipeline = sdc::Pipeline::create(*tmpl, issuer, o);          // once
///     auto made = pipeline->run(record);                                 // per card, any thread
///     for (const auto& f : made->outputs.outputs) store(f.name, f.bytes);
///
/// **Threads.** A `Pipeline` is immutable after `create`; every method may be called from many
/// threads at once (the renderer's cache is internally synchronised). Copies share their state.
///
/// **Determinism.** The same template, record, photo, issuer (key and pattern seed), options and
/// `ComposeOptions::now_unix` give byte-identical outputs, whatever the thread that runs them.
///
/// **Errors** are those of the stages, named by record, field, element, file or output; nothing
/// throws.
#pragma once

#include <sdc/api.hpp>
#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/export.hpp>
#include <sdc/image.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/resources.hpp>
#include <sdc/template.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sdc {

struct PipelineOptions {
  /// Fonts, face model, printer profiles, default CMYK profile, the proof's caption font.
  Resources resources = Resources::installed();
  /// The resolution cards are composed and rendered at (72 to 2400). Panel sets are rendered at the
  /// printer's resolution.
  Dpi dpi{300};
  /// What each card exports. `request.dpi` and `request.resources` are set from the fields above.
  /// The CMYK transform and the printer profile are resolved once by `create`.
  ExportRequest request;
  /// Passed to every composition (`ComposeOptions`; its `photo` and `dpi` are set per call).
  /// 0: the finest resolution the pipeline renders at (`dpi`, or the printer's when panels are
  /// exported at a finer one).
  Dpi photo_dpi{0};
  std::int64_t now_unix = 0;          ///< see ComposeOptions::now_unix
  std::filesystem::path photo_root;   ///< see ComposeOptions::photo_root (empty: the record's folder)
  bool allow_any_photo_path = false;  ///< see ComposeOptions::allow_any_photo_path
};

/// CPU time of the calling thread spent in each stage of one card, in nanoseconds (CPU rather than
/// wall time, so that a loaded machine still shows where the work is). Cheap to collect (a few
/// clock reads per card); for benchmarks and reports.
struct StageTimes {
  std::int64_t compose_ns = 0;   ///< validation, photo load and face crop, text, MRZ, seal signature
  std::int64_t render_ns = 0;    ///< drawing the planes of every side (at the export and printer dpi)
  std::int64_t separate_ns = 0;  ///< the ICC transform to CMYK, coverage limit and K knockout
  std::int64_t encode_ns = 0;    ///< previews, PNG, TIFF, panel and PDF encoding
  std::int64_t write_ns = 0;     ///< writing files (`run_to`; in a batch: the sink's `store`)
  std::int64_t digest_ns = 0;    ///< SHA-256 of the outputs (the batch's manifest)
  StageTimes& operator+=(const StageTimes& o) noexcept {
    compose_ns += o.compose_ns, render_ns += o.render_ns, separate_ns += o.separate_ns;
    encode_ns += o.encode_ns, write_ns += o.write_ns, digest_ns += o.digest_ns;
    return *this;
  }
};

/// A card and what was exported from it.
struct PipelineOutput {
  Card card;
  ExportResult exported;
  StageTimes times;  ///< how long each stage of this card took
};

/// Buffers one thread reuses from card to card with `Pipeline::run(record, workspace)`: drawing
/// surfaces, planes, CMYK pages, and the previous card's separation (pixels that did not change
/// since the thread's previous card of the same side, dpi and transform are not sent through the
/// ICC transform again; the output is byte-identical). After the first card of a size, a card
/// allocates no pixel buffers. Not thread-safe: one per thread. Movable.
class SDC_EXPORT PipelineWorkspace {
 public:
  PipelineWorkspace();
  ~PipelineWorkspace();
  PipelineWorkspace(PipelineWorkspace&&) noexcept;
  PipelineWorkspace& operator=(PipelineWorkspace&&) noexcept;
  /// Off: every pixel goes through the ICC transform (to measure what the reuse saves). Default on.
  void reuse_separation(bool on) noexcept;
  /// Gives back the bytes of a file that a `run` with this workspace made, once they are no longer
  /// needed (written, uploaded): a later card's CMYK TIFF is encoded into their memory instead of a
  /// new buffer. Optional; the bytes are the same either way.
  void give_back(std::vector<std::uint8_t>&& bytes);
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  friend class Pipeline;
};

class SDC_EXPORT Pipeline {
 public:
  /// Prepares everything shared by all cards. Errors: those of `Composer::create`, `Renderer::create`,
  /// `ColorTransform::create` (CMYK asked for) and `find_printer_profile` (panels asked for), and
  /// Errc::invalid_argument for a dpi outside 72 to 2400 or a ribbon the printer does not take.
  static Result<Pipeline> create(Template tmpl, Issuer issuer, PipelineOptions options = {});

  /// Composes one card. `photo` overrides the record's photo field (ComposeOptions::photo).
  Result<Card> compose(const Record& record, const Image* photo = nullptr) const;
  /// Composes one card and exports it in memory (`export_card`).
  Result<PipelineOutput> run(const Record& record, const Image* photo = nullptr) const;
  /// `run` with a per-thread workspace: the same bytes, without per-card buffer allocation, and
  /// without the composer's lock once the workspace has seen the template (ComposeScratch).
  Result<PipelineOutput> run(const Record& record, PipelineWorkspace& workspace, const Image* photo = nullptr) const;
  /// Composes one card and writes its outputs into `dir` (`export_card_to`; `dir` must exist).
  Result<PipelineOutput> run_to(const Record& record, const std::filesystem::path& dir,
                                const Image* photo = nullptr) const;
  /// Exports a card composed by this pipeline (or by `compose()` at the same dpi).
  Result<ExportResult> export_card(const Card& card) const;
  Result<ExportResult> export_card_to(const Card& card, const std::filesystem::path& dir) const;
  /// Renders one side and separates it to CMYK with the pipeline's transform and coverage limit
  /// (the press-sheet source). Errors as `Renderer::render` and `separate`, and Errc::invalid_argument
  /// when the request has no CMYK output (no transform).
  Result<Image> separate(const Card& card, Side side) const;

  /// Things worth a look before any card is made: security features the dpi cannot reproduce
  /// (`lint`), one line each.
  const std::vector<std::string>& warnings() const noexcept;
  const Template& tmpl() const noexcept;
  const Issuer& issuer() const noexcept;
  const Composer& composer() const noexcept;
  const Renderer& renderer() const noexcept;
  /// The request every card exports with, as resolved by `create` (transform and printer profile
  /// filled in).
  const ExportRequest& request() const noexcept;
  const PipelineOptions& options() const noexcept;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sdc
