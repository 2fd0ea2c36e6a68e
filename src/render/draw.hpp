// Drawing a card side through Cairo, shared by the raster renderer and the vector (PDF) exporter.
#pragma once

#include <cairo.h>
#include <sdc/compose.hpp>
#include <sdc/render.hpp>

#include <functional>

#include "compose/card_impl.hpp"

namespace sdc::detail {

/// Draws the items of one side whose ink passes `want` into `cr`, in order. User space must be
/// millimetres with the trim box's top-left at the origin. `first`/`last` select a range of items
/// (for static-layer caching).
void draw_items(cairo_t* cr, const Card::Impl& card, Side side, Ink ink, const DrawEnv& env, std::size_t first = 0,
                std::size_t last = static_cast<std::size_t>(-1));

/// Index of the first personal item of a side (items before it are static: same for every card
/// made from the template).
std::size_t static_prefix(const Card::Impl& card, Side side);

}  // namespace sdc::detail
