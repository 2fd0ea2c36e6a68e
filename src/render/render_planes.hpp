// Rendering into planes the caller keeps from card to card (the export workspace of a batch
// worker): what Renderer::render does on fresh planes, without the allocation once the planes
// have the size.
#pragma once

#include <sdc/render.hpp>

namespace sdc::detail {

/// Renders `side` of `card` into `p`: a plane for every ink the side prints (reused when its
/// size and format already match, else allocated), an empty Image for the others; sets side,
/// dpi, geometry and trim. Gives the bytes Renderer::render gives. On error `p` is unspecified.
/// Errors: those of Renderer::render_into.
Status render_reusing(const Renderer& renderer, const Card& card, Side side, const RenderOptions& options,
                      RenderScratch& scratch, Planes& p);

}  // namespace sdc::detail
