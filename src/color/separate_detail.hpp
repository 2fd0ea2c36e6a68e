// Separation into caller-owned buffers, with an optional per-worker memo of the previous card's
// separation (internal: the export workspace and the batch use it).
#pragma once

#include <sdc/color.hpp>

namespace sdc::detail {

/// The last process plane a worker separated and its separation before the K knockout (ICC
/// transform and coverage limit applied). Both steps are per pixel, so a pixel whose RGB equals the
/// memo's at the same place has the memo's CMYK: only pixels that changed (the personal regions of
/// a card after the previous card of the same template) go through Little CMS. Not thread-safe:
/// one per worker and side.
struct SeparationMemo {
  ColorTransform transform;             ///< the transform the memo was made with (kept alive for its identity)
  int limit = -1;                       ///< the coverage limit in ink units
  Image rgb;                            ///< the last process plane
  Image cmyk;                           ///< its separation, limited, before the knockout
  std::int64_t transformed_pixels = 0;  ///< pixels sent through Little CMS in the last call
};

/// `separate(planes, transform, options)` into `out` (resized to the planes; no allocation when it
/// has the size already), byte-identical to `separate`. With `memo`, pixels equal to the memo's
/// are not transformed again; the memo is updated to this card. Errors as `separate`.
Status separate_into(const Planes& planes, const ColorTransform& transform, const SeparationOptions& options,
                     Image& out, SeparationMemo* memo);

}  // namespace sdc::detail
