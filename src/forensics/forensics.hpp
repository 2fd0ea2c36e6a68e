// Internal: print forensics on a rectified card side, against the card the checker expects
// (composed from the seal's data and the issuer seed). Two measurements, each a score with a default
// threshold calibrated on the print-scan simulator (bench/eval, bench/RESULTS.md):
//
//  - pattern_binding: does the personal guilloché printed on the card belong to this card's data?
//  - copy_detection: does the print still hold the fine-line detail of an original?
//
// Input convention for both: `rectified` is one side, upright, covering exactly the card's TRIM box
// (pixel (0, 0) is the card's top-left corner; not the bleed box) at `dpi` (the working dpi; 600
// recommended: 400..1200 work). gray8, rgb8 or rgba8. The expected `Card` must have been composed
// with the issuer's pattern seed; its composition dpi does not matter (the strokes are polylines in
// mm and are rasterised here at `dpi`).
//
// Both are pure functions, thread-safe on Prints of their own, and never throw (OpenCV exceptions
// become Errc::internal). The checks of one side share a `Print`, which makes the side's darkness
// and clipping once.
#pragma once

#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sdc::forensics {

/// A rectified side as the measurements read it: its darkness (0 paper .. 1 ink), where it clips
/// to white, and both at half the resolution (text is compared at half a dpi of 500 and more), each
/// made on first use and kept. The checks of one side (pattern, copy, text, labels) share one and
/// make them once; a single measurement converts its ImageView into a Print of its own. Holds the
/// view, not the pixels: the image must outlive it. One thread at a time (the measurements are
/// thread-safe on Prints of their own).
class Print {
 public:
  Print(const ImageView& rectified);  // implicit: a measurement given an ImageView makes its own
  ~Print();
  Print(Print&&) noexcept;
  Print& operator=(Print&&) noexcept;
  const ImageView& view() const { return view_; }

  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  ImageView view_;
  std::unique_ptr<Impl> impl_;
};

/// One forensic measurement.
struct ForensicScore {
  /// False when there was nothing to measure (no personal guilloché on this side, no fine lines):
  /// a `not_checked` finding. `score`/`pass` are then meaningless.
  bool checked = false;
  double score = 0;      ///< see each function
  double threshold = 0;  ///< the threshold applied: pass when score >= threshold
  bool pass = false;
  std::string reason;           ///< one line for people
  int tiles = 0;                ///< tiles measured
  double dx_mm = 0, dy_mm = 0;  ///< pattern: median shift of the print against the expected layer
  /// Tiles left out because a specular highlight washed them out (`washed_out`). When too many
  /// were, `checked` is false and the reason says so: a retake, not a mismatch.
  int glare_tiles = 0;
  /// copy_detection: tiles measured in a shadow (kShadowLight), whose scores are lower bounds. When
  /// they could change the outcome, `checked` is false and the reason says so: a retake.
  int shadow_tiles = 0;
  /// text_binding: the element whose score is the side's (the lowest), "" when none was compared.
  std::string element;
  /// text_binding: the elements glare washed out, whole or in one of their glyphs: not read.
  std::vector<std::string> unread;
};

/// Glare: a tile of the print is washed out when, at more than kGlareShare of the pixels where the
/// template puts ink, the print has no pixel darker than kGlareClip (of 1, i.e. lighter than 245 of
/// 255) within the search distance. An original's or a copy's lines leave ink near every such pixel,
/// even where a flatbed clips the paper white; a reflection clips lines and paper alike.
inline constexpr double kGlareClip = 0.04;
inline constexpr double kGlareShare = 0.2;

/// Shadow: a tile of the print lies in a shadow when the paper of one of its quarters (the lightest
/// twentieth of its pixels) is lit less than kShadowLight times the side's best-lit paper (the
/// lightest of a 16 x 10 grid of cells, measured alike). A phone's or a hand's shadow darkens the
/// print several times more than a lighting gradient or vignetting (the simulator's medium channel
/// varies the light by under a fifth across the card), and the sensor's noise, the same in the
/// shadow, weighs more on its fine lines: a tile's correlation drops by a few hundredths (0.004 to
/// 0.073 over 41 tiles of 4 phone captures under a simulated shadow of 0.6), and where the shadow's
/// edge crosses the tile (a quarter of it lit less than kShadowLight times another), by up to 0.12
/// (5 tiles). Such a tile could have scored up to kShadowMargin more in even light,
/// kShadowEdgeMargin across the edge; one lit less than kDeepShadowLight times the best, anything
/// up to 1 (its lines lost in the noise). A tile whose corner or search margin only the edge
/// crosses (of 3 x 3 cells over both, one's paper lit less than kShadowLight times another's) is in
/// a shadow too, with kShadowMargin. Every tile in a shadow is also compared with the print's light
/// evened out, and the better match counts.
inline constexpr double kShadowLight = 0.6;
inline constexpr double kShadowMargin = 0.08;
inline constexpr double kShadowEdgeMargin = 0.15;
inline constexpr double kDeepShadowLight = 0.3;

/// Default thresholds, calibrated with bench/eval on the simulator (mild/medium genuine against
/// other-card patterns and the copy channel); see bench/RESULTS.md.
inline constexpr double kPatternThreshold = 0.5;
inline constexpr double kCopyThreshold = 0.60;

struct PatternOptions {
  double threshold = kPatternThreshold;
  double search_mm = 0.5;  ///< the largest misregistration searched, each way (0.05..3)
  double tile_mm = 11;     ///< the band is measured in tiles this wide, each aligned on its own
};

/// Pattern binding. Rasterises the side's personal guilloché strokes (items of type "guilloche"
/// with `personal` set, ink process or k) at `dpi`, band-passes them and the print's darkness the
/// same way (difference of Gaussians: fine lines kept, light and background removed), and for each
/// tile of the band finds the best normalised cross-correlation within ±search_mm.
/// score = mean over tiles of that best correlation, in −1..1: 0.78–0.94 for the card's own
/// pattern on mild and medium simulated captures, 0.04–0.41 for another card's (bench/eval, 60
/// cards per set; the default threshold 0.5 sits between). Tiles washed out by glare are left out;
/// when they are half the band or more, `checked` is false (`glare_tiles` says why). Errors: Errc::invalid_argument
/// (empty or cmyk8 image, dpi outside 100..2400, an image that is not the card's trim box at dpi within 3 %, options
/// out of range).
Result<ForensicScore> pattern_binding(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                      const PatternOptions& options = {});

struct CopyOptions {
  double threshold = kCopyThreshold;
  /// The resolution the card was captured at (pixels per inch on the card), e.g. a checker's
  /// estimate; 0: the same as `dpi`. The finest band measured follows it.
  Dpi capture_dpi{0};
  /// Below this capture resolution the finest lines are not resolved even on an original, so the
  /// measurement says nothing: `checked` is false ("capture too coarse"). 0 disables the rule. As
  /// CheckerOptions::min_copy_capture_dpi (calibrated there).
  Dpi min_capture_dpi{380};
  double search_mm = 0.5;  ///< as PatternOptions
  double tile_mm = 6;      ///< square tiles
  int max_tiles = 16;      ///< the tiles with most expected fine-line energy are measured
};

/// Copy detection. Rasterises every guilloché stroke of the side (static and personal, ink process
/// or k, line width up to 0.12 mm) at `dpi` and compares its finest band with the print's: both are
/// filtered by a difference of Gaussians (σ = 0.5 and 1.5 capture pixels); in the tiles where the
/// template predicts most fine-line energy, the best normalised cross-correlation within ±search_mm
/// is taken. Only where the print shows the fine lines and nothing else: the side's other visible
/// items (process or K ink) mark the card, each drawn after the first guilloché with its whole
/// shape (path fills and strokes, glyph outlines, images, QR codes; a personal item by its box, so
/// that a side with static fine lines keeps one reference), each drawn before with its outline,
/// and the marks grown by the band-pass's reach (3 σ) are left out of the expectation, of the
/// search and of the correlation, and of the paper whose light tells glare and shadow. A tile with
/// less than half of it left is not measured. score = median over tiles, in −1..1 (simulated
/// genuine prints: about 0.8 on a 600 dpi flatbed scan, 0.72 on a 400 dpi phone photo; copies
/// about 0.52). Not checked when the capture is under `min_capture_dpi`. Tiles washed out by glare are left out; their
/// 8 neighbours (centres within 1.5 tile sizes) are measured, but the highlight's halo can only have lowered their
/// scores. The outcome stands when it is the same whatever the washed-out tiles would have scored
/// (-1 to 1 each) and their neighbours (their score to 1), and else `checked` is false
/// (`glare_tiles` says why: a retake). Tiles in a shadow (kShadowLight; `shadow_tiles`) are
/// measured, and could have scored up to kShadowMargin more (kShadowEdgeMargin across its edge, up
/// to 1 in a deep shadow): a shadow over enough of them to change the outcome is a retake too,
/// while a copy's lines stay too weak to pass even with that margin. An original print keeps the
/// fine lines in register with the template; a scan-and-reprint blurs and resamples them, and the
/// correlation drops. Errors as pattern_binding.
Result<ForensicScore> copy_detection(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                     const CopyOptions& options = {});

class CopyReference;

/// What copy_reference draws of a side that is the same for every card of a template, issuer and
/// seed: the fine lines drawn before the side's first personal one, and where the side's static
/// items mark the card (what mark_others marks but the personal items' boxes), at `dpi` over a side
/// of width x height pixels; and, where the personal fine lines can fall, the supersampled lines
/// under them. Made in about 30 ms (the specimen's back) to 60 ms (its front) at 600 dpi; with it a
/// reference takes about 22 ms (bench/RESULTS.md, thirty-first session). The band-pass, which
/// follows the capture's dpi, is not in it. Immutable; copies share it; usable from any thread.
/// About 15 MB at 600 dpi.
class CopyBase {
 public:
  CopyBase() = default;  ///< empty
  bool empty() const noexcept { return impl_ == nullptr; }
  struct Impl;

 private:
  explicit CopyBase(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  friend Result<CopyBase> copy_base(int, int, Dpi, const Card&, Side);
  friend Result<CopyReference> copy_reference(int, int, Dpi, const Card&, Side, const CopyOptions&, const CopyBase*);
};

/// The base of copy_reference(width, height, dpi, expected, side, ...) for every card of
/// `expected`'s template, issuer and seed. Errors as copy_reference.
Result<CopyBase> copy_base(int width, int height, Dpi dpi, const Card& expected, Side side);

/// What a base made by copy_base(width, height, dpi, card, side) depends on besides the template,
/// the issuer, the seed and the side, as text.
std::string copy_base_key(int width, int height, Dpi dpi);

/// What copy detection compares a print with: the side's expected fine lines rasterised and
/// band-passed for the capture resolution, where the other items leave them to compare, and the
/// tiles with most fine-line energy there. About 22 ms of copy detection's 37 per 600-dpi side
/// with the side's base kept (CopyBase), 50 to 90 without. A side whose fine lines are all static
/// (`static_fine_lines`) gives the same reference for every card of a template and issuer seed, so
/// a checker can make it once and keep it. Immutable; copies share it; usable from any thread.
class CopyReference {
 public:
  CopyReference() = default;  ///< empty
  bool empty() const noexcept { return impl_ == nullptr; }
  struct Impl;

 private:
  explicit CopyReference(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  friend Result<CopyReference> copy_reference(int, int, Dpi, const Card&, Side, const CopyOptions&, const CopyBase*);
  friend Result<ForensicScore> copy_detection(const Print&, Dpi, const CopyReference&, const CopyOptions&);
};

/// The reference for a rectified side of `width` x `height` pixels at `dpi` (the trim box within 3 %,
/// as for copy_detection), for `options.capture_dpi`, `search_mm`, `tile_mm` and `max_tiles`, from
/// `base` when it is given and was made for this side's template at this size and dpi (else a base
/// is made for this call): the same reference either way. Errors as copy_detection.
Result<CopyReference> copy_reference(int width, int height, Dpi dpi, const Card& expected, Side side,
                                     const CopyOptions& options = {}, const CopyBase* base = nullptr);

/// Copy detection against a reference made with the same dpi, image size and options: the same
/// result as copy_detection(rectified, dpi, expected, side, options). Errors as copy_detection, and
/// Errc::invalid_argument for an empty reference or one of another image size.
Result<ForensicScore> copy_detection(const Print& rectified, Dpi dpi, const CopyReference& reference,
                                     const CopyOptions& options = {});

/// What a reference made by copy_reference(width, height, dpi, card, side, options) depends on
/// besides the card's fine lines, as text: equal keys (and the same fine lines) give equal references.
std::string copy_reference_key(int width, int height, Dpi dpi, const CopyOptions& options);

/// True when none of the side's fine lines (the guilloché copy detection rasterises) is personal:
/// its copy reference then depends only on the template, the issuer seed, the composition dpi and
/// copy_reference's arguments.
bool static_fine_lines(const Card& expected, Side side);

/// Default thresholds of text_binding: the element (bench/RESULTS.md, twenty-third session) and each
/// of its glyphs (twenty-fifth session).
inline constexpr double kTextThreshold = 0.6;
inline constexpr double kTextGlyphThreshold = 0.75;

struct TextOptions {
  double threshold = kTextThreshold;
  double glyph_threshold = kTextGlyphThreshold;
  /// A glyph is judged only when it correlates at least this much less than its element (see
  /// text_binding).
  double glyph_margin = 0.1;
  double search_mm = 1.0;  ///< the largest misregistration searched, each way (0.05..3)
  /// Elements whose expected text contains one of these strings are not compared: values the seal
  /// carries otherwise than the card prints them (the office's code for its printed name).
  std::vector<std::string> skip_containing;
};

/// Printed text binding: does the text printed for people (the personal `text` and `field` elements
/// of the side, upright, ink process or k, fully opaque) show what the expected card prints? Each
/// element's glyph outlines are rasterised at `dpi` over the element's ink box and 0.3 mm around it
/// (turned over for text lighter than what it is printed on, white on a dark band); that and the
/// print's darkness are band-passed alike (difference of Gaussians of σ 0.05 and 0.5 mm: the
/// print's blur, the paper, a lighting gradient and a light overlay removed, the strokes kept), and
/// the best normalised cross-correlation within ±search_mm is the element's score (against
/// `threshold`). Then each glyph (a cluster) with at least 35 % of the element's median glyph ink
/// is compared in its own cell (its advance box by the line's ascent and descent) where the element
/// matched, ±0.1 mm (against `glyph_threshold`): one digit printed over changes a tenth of a date's
/// strokes, which the element's score hardly shows. A glyph is judged only when it stands out,
/// `glyph_margin` under its element's correlation: glare or blur lowers the whole element alike,
/// which `threshold` judges. score and threshold = the element's or glyph's furthest under (or
/// least over) its own threshold, `element` names the element and the reason the glyph (its
/// character position and what the expected text has there); `tiles` counts the elements compared.
/// Elements washed out by glare are left out (`glare_tiles`); when every element is, `checked` is
/// false. So are glyphs under `glyph_threshold` whose cell glare washes out (counted in
/// `glare_tiles` too, and named apart in the reason): a small highlight over one letter. A name or
/// date printed over the genuine one correlates far less than the genuine print.
/// Errors as pattern_binding.
Result<ForensicScore> text_binding(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                   const TextOptions& options = {});

/// The names of the elements text_binding compares on `side` of `expected` (its personal text,
/// less those `options.skip_containing` leaves out), in display order.
std::vector<std::string> text_binding_elements(const Card& expected, Side side, const TextOptions& options = {});

/// Correlation at which a fixed text element counts as found by text_registration.
inline constexpr double kRegisteredText = 0.7;

/// Where the template's fixed text (labels, titles: one line each, upright, opaque, process or K
/// ink, the same on every card) lies on the rectified side against where the expected card puts
/// it, each element searched within ±search_mm. A side located a millimetre off (the pale back cut
/// at a band's edge) shows a label that far off, or not found; a side located well shows them within
/// a few tenths. It says where the side is, not that the card is genuine: a copy prints the same
/// labels. Errors as pattern_binding.
struct TextRegistration {
  int elements = 0;         ///< fixed text elements compared (not washed out by glare)
  int found = 0;            ///< of them, correlating at least kRegisteredText (one further off than
                            ///< the search is not found)
  int washed = 0;           ///< fixed text elements glare washed out (not in `elements`)
  double max_shift_mm = 0;  ///< the largest shift among the found ones
  std::string farthest;     ///< the element that shift is of
  /// Each found element: the centre of its ink where the expected card prints it, and where the
  /// print shows it (millimetres on the rectified side). Enough of them, spread over the side,
  /// tell how the side was located wrongly.
  struct Label {
    MmPoint expected;
    MmPoint found;
  };
  std::vector<Label> labels;
};
Result<TextRegistration> text_registration(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                           double search_mm = 1.0);

}  // namespace sdc::forensics
