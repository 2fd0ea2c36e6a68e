/// @file render.hpp
/// Card -> Planes at a resolution, and the screen preview.
///
/// A side renders into one plane per ink, all the same size (the bleed box at the chosen dpi):
/// `process` (RGB: colour artwork, photo, guilloché on white card stock), `k` (coverage of pure
/// black: text, microtext, MRZ, QR), `uv` (fluorescent ink) and `overlay` (varnish). Exporters keep
/// them apart; `composite()` merges them for a screen.
#pragma once

#include <sdc/api.hpp>
#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/planes.hpp>
#include <sdc/template.hpp>
#include <sdc/units.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace sdc {

class FontSet;

struct RenderOptions {
  Dpi dpi{300};  ///< 72 to 2400
};

struct PreviewOptions {
  bool show_uv = false;   ///< show UV ink as it glows under a UV lamp (else hidden, as in daylight)
  bool overlays = false;  ///< draw bleed, trim, safe zone and element boxes with their names
};

/// Caller-owned pixel buffers for one side, of the size `Renderer::plane_size()` gives: `process`
/// rgb8 (3 bytes a pixel), the others gray8. Rows are `*_stride` bytes apart (0: tightly packed).
/// A null plane is not wanted: nothing is drawn or written for that ink. sdc never keeps the
/// pointers after `render_into` returns.
struct PlanesView {
  int width = 0, height = 0;
  std::uint8_t* process = nullptr;
  std::ptrdiff_t process_stride = 0;
  std::uint8_t* k = nullptr;
  std::ptrdiff_t k_stride = 0;
  std::uint8_t* uv = nullptr;
  std::ptrdiff_t uv_stride = 0;
  std::uint8_t* overlay = nullptr;
  std::ptrdiff_t overlay_stride = 0;
};

/// What `render_into` drew.
struct RenderInfo {
  Side side = Side::front;
  Dpi dpi{300};
  PxRect trim;  ///< the card's edge inside the planes, in pixels (the planes cover the bleed box)
  /// Inks the side prints with (process, k, uv, overlay). A plane of an ink the side does not use
  /// is filled with zero coverage (process: the card's background) without drawing.
  bool uses_ink[4] = {};
};

/// Per-worker drawing surfaces for `Renderer::render_into`, reused from card to card: after the
/// first card of a size, rendering allocates nothing. Not thread-safe: one per thread.
class SDC_EXPORT RenderScratch {
 public:
  RenderScratch();
  ~RenderScratch();
  RenderScratch(RenderScratch&&) noexcept;
  RenderScratch& operator=(RenderScratch&&) noexcept;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  friend class Renderer;
};

struct RendererConfig {
  /// Static layers (per ink, everything that ink draws before its first personal element, and the
  /// static elements after its last one, composited over the personal ones) are cached per static
  /// identity (`SideDisplay::static_key`: template content, issuer seed, side) and dpi. 0 disables
  /// the cache (the output bytes are the same).
  std::size_t cache_entries = 16;
};

/// Renders cards. Immutable and thread-safe after creation (the static-layer cache is internally
/// synchronised); share one between threads.
class SDC_EXPORT Renderer {
 public:
  static Result<Renderer> create(const FontSet& fonts, const RendererConfig& config = {});

  /// Renders one side into new planes (a wrapper of `render_into`). Inks the side does not print
  /// get an empty plane (planes.hpp). Errors:
  /// Errc::invalid_argument (dpi out of range, side absent), Errc::limit_exceeded (the planes
  /// would not fit in memory), Errc::internal (Cairo could not draw an element, named).
  Result<Planes> render(const Card& card, Side side, const RenderOptions& options = {}) const;

  /// The size of a side's planes at `dpi` (the bleed box), in pixels.
  static PxSize plane_size(const Card& card, Dpi dpi) noexcept;

  /// Renders one side into caller-owned buffers, using `scratch` for drawing: the batch path,
  /// with no allocation per card once `scratch` has seen the size. The output is byte-identical to
  /// `render()`. Errors as `render()`, and Errc::invalid_argument when `out` has the wrong size or
  /// a stride shorter than a row. Thread-safe on a shared Renderer with one scratch per thread.
  Result<RenderInfo> render_into(const Card& card, Side side, const RenderOptions& options, const PlanesView& out,
                                 RenderScratch& scratch) const;

  /// An sRGB preview (rgb8) of rendered planes, with designer overlays when asked (element boxes
  /// are taken from the card).
  Result<Image> preview(const Card& card, const Planes& planes, const PreviewOptions& options = {}) const;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

/// Composites planes for a screen: process colour with K multiplied on top. With `show_uv` the card
/// looks as under a UV lamp in a dim room: daylight colours dimmed to dark violet, UV ink glowing
/// violet-blue. Returns rgb8 the size of the planes.
SDC_EXPORT Image composite(const Planes& planes, bool show_uv = false);

}  // namespace sdc
