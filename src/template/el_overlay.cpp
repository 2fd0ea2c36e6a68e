// Overlay (varnish) mask: fills its box on the overlay plane, leaving holes where a contact chip
// (ISO/IEC 7816-2 position) and a magnetic stripe (ISO/IEC 7811) go, plus any extra holes.
#include <algorithm>

#include "template/elements.hpp"

namespace sdc::detail {

namespace {

// ISO/IEC 7816-2 contact positions, from the card's left and top edges (front, chip on the left):
// contacts C1-C4 span x 10.25-12.25 mm, C5-C8 x 17.87-19.87 mm; rows from y 19.23 mm (C1/C5 top)
// to 28.55 mm (C4/C8 bottom). The hole is that contact field plus `chip_margin` on every side,
// which covers the module of a typical 8-contact chip with the default 1.5 mm.
constexpr double kContactLeft = 10.25, kContactRight = 19.87, kContactTop = 19.23, kContactBottom = 28.55;
// ISO/IEC 7811-2/-6 magnetic stripe: the band from 5.54 mm to 15.82 mm below the top edge (back
// side), across the full width of the card.
constexpr double kStripeTop = 5.54, kStripeBottom = 15.82;

}  // namespace

ParseResult parse_overlay_mask(JsonReader& r, ElementCommon c, const Base&) {
  if (!r.has("ink")) c.ink = Ink::overlay;
  if (c.ink != Ink::overlay)
    return r.error("ink", "an overlay mask prints on the overlay (varnish) panel.", "remove 'ink' or set \"overlay\".");
  if (c.rotate_deg != 0) return r.error("rotate", "an overlay mask cannot be rotated.", "remove 'rotate'.");
  OverlayElement o;
  SDC_TRY_ASSIGN(const bool chip, r.boolean("chip", false));
  SDC_TRY_ASSIGN(const Mm margin, r.mm("chip_margin", 0, 5, 1.5));
  if (chip) {
    const double m = margin.v;
    o.holes.push_back({kContactLeft - m, kContactTop - m, kContactRight - kContactLeft + 2 * m,
                       kContactBottom - kContactTop + 2 * m, std::min(1.0, m)});
  }
  SDC_TRY_ASSIGN(const bool stripe, r.boolean("stripe", false));
  if (stripe) {
    // Across the whole box (usually the bleed box), so the varnish stops exactly at the band.
    o.holes.push_back({c.box.x.v - 1, kStripeTop, c.box.w.v + 2, kStripeBottom - kStripeTop, 0});
  }
  if (r.has("holes")) {
    SDC_TRY_ASSIGN(const std::size_t n, r.array_size("holes", 0, 32));
    for (std::size_t i = 0; i < n; ++i) {
      JsonReader h = r.at("holes", i);
      if (!h.json().is_object())
        return h.error("", "a hole must be an object.", "write {\"x\": 10, \"y\": 5, \"w\": 8, \"h\": 4}.");
      OverlayElement::Hole hole{};
      SDC_TRY_ASSIGN(const Mm x, h.mm("x", -10, 200, std::nullopt));
      SDC_TRY_ASSIGN(const Mm y, h.mm("y", -10, 200, std::nullopt));
      SDC_TRY_ASSIGN(const Mm w, h.mm("w", 0.1, 200, std::nullopt));
      SDC_TRY_ASSIGN(const Mm hh, h.mm("h", 0.1, 200, std::nullopt));
      SDC_TRY_ASSIGN(const Mm rad, h.mm("radius", 0, 50, 0.0));
      hole = {x.v, y.v, w.v, hh.v, rad.v};
      SDC_TRY(h.check_unknown_keys());
      o.holes.push_back(hole);
    }
  }
  return make_spec(std::move(c), std::move(o));
}

}  // namespace sdc::detail
