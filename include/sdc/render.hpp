/// @file render.hpp
/// Card -> Planes at a resolution, and the screen preview.
///
/// A side renders into one plane per ink, all the same size (the bleed box at the chosen dpi):
/// `process` (RGB: colour artwork, photo, guilloché on white card stock), `k` (coverage of pure
/// black: text, microtext, MRZ, QR), `uv` (fluorescent ink) and `overlay` (varnish). Exporters keep
/// them apart; `composite()` merges them for a screen.
#pragma once

#include <sdc/compose.hpp>
#include <sdc/error.hpp>
#include <sdc/api.hpp>
#include <sdc/image.hpp>
#include <sdc/planes.hpp>
#include <sdc/template.hpp>
#include <sdc/units.hpp>

#include <cstddef>
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

struct RendererConfig {
  /// Static layers (everything drawn before the first personal element, per ink) are cached per
  /// (template, side, dpi). 0 disables the cache.
  std::size_t cache_entries = 16;
};

/// Renders cards. Immutable and thread-safe after creation (the static-layer cache is internally
/// synchronised); share one between threads.
class SDC_EXPORT Renderer {
 public:
  static Result<Renderer> create(const FontSet& fonts, const RendererConfig& config = {});

  /// Renders one side. Errors: Errc::invalid_argument (dpi out of range, side absent),
  /// Errc::limit_exceeded (the planes would not fit in memory).
  Result<Planes> render(const Card& card, Side side, const RenderOptions& options = {}) const;

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
