// Overlay (varnish) mask: fills its box on the overlay plane, leaving holes where a contact chip
// (ISO/IEC 7816-2 position) and a magnetic stripe (ISO/IEC 7811) go, plus any extra holes.
#include <cmath>

#include "template/el_security.hpp"
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

struct Hole {
  double x, y, w, h, r;
};

class OverlayItem final : public Item {
 public:
  OverlayItem(ElementCommon c, std::vector<Hole> holes) : Item(std::move(c)), holes_(std::move(holes)) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    const auto& b = common.box;
    cairo_save(cr);
    cairo_rectangle(cr, b.x.v, b.y.v, b.w.v, b.h.v);
    // Holes wind the other way (even-odd fill), so overlapping holes stay holes.
    for (const auto& h : holes_) rounded_rect_path(cr, h.x, h.y, h.w, h.h, h.r);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_fill(cr);
    cairo_restore(cr);
  }

 private:
  std::vector<Hole> holes_;
};

class OverlayElement final : public Element {
 public:
  OverlayElement(ElementCommon c, std::vector<Hole> holes) : Element(std::move(c)), holes_(std::move(holes)) {}
  bool personal() const override { return false; }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv&) const override {
    return std::shared_ptr<const Item>(std::make_shared<OverlayItem>(common, holes_));
  }

 private:
  std::vector<Hole> holes_;
};

}  // namespace

Result<std::shared_ptr<const Element>> parse_overlay_mask(JsonReader& r, ElementCommon c,
                                                          const std::filesystem::path&) {
  if (!r.has("ink")) c.ink = Ink::overlay;
  if (c.ink != Ink::overlay)
    return r.error("ink", "an overlay mask prints on the overlay (varnish) panel.", "remove 'ink' or set \"overlay\".");
  if (c.rotate_deg != 0) return r.error("rotate", "an overlay mask cannot be rotated.", "remove 'rotate'.");
  std::vector<Hole> holes;
  auto chip = r.boolean("chip", false);
  if (!chip) return std::move(chip).error();
  auto margin = r.mm("chip_margin", 0, 5, 1.5);
  if (!margin) return std::move(margin).error();
  if (*chip) {
    const double m = margin->v;
    holes.push_back({kContactLeft - m, kContactTop - m, kContactRight - kContactLeft + 2 * m,
                     kContactBottom - kContactTop + 2 * m, std::min(1.0, m)});
  }
  auto stripe = r.boolean("stripe", false);
  if (!stripe) return std::move(stripe).error();
  if (*stripe) {
    // Across the whole box (usually the bleed box), so the varnish stops exactly at the band.
    holes.push_back({c.box.x.v - 1, kStripeTop, c.box.w.v + 2, kStripeBottom - kStripeTop, 0});
  }
  if (r.has("holes")) {
    auto n = r.array_size("holes", 0, 32);
    if (!n) return std::move(n).error();
    for (std::size_t i = 0; i < *n; ++i) {
      JsonReader h = r.at("holes", i);
      if (!h.json().is_object())
        return h.error("", "a hole must be an object.", "write {\"x\": 10, \"y\": 5, \"w\": 8, \"h\": 4}.");
      Hole hole{};
      double* out[] = {&hole.x, &hole.y, &hole.w, &hole.h, &hole.r};
      const char* keys[] = {"x", "y", "w", "h", "radius"};
      for (int k = 0; k < 5; ++k) {
        const bool size = k == 2 || k == 3;
        auto v = h.mm(keys[k],
                      k == 4 ? 0
                      : size ? 0.1
                             : -10,
                      k == 4 ? 50 : 200, k == 4 ? std::optional<double>(0.0) : std::nullopt);
        if (!v) return std::move(v).error();
        *out[k] = v->v;
      }
      if (auto st = h.check_unknown_keys(); !st) return std::move(st).error();
      holes.push_back(hole);
    }
  }
  return std::shared_ptr<const Element>(std::make_shared<OverlayElement>(std::move(c), std::move(holes)));
}

}  // namespace sdc::detail
