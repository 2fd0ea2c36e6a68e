// Photo-based security elements: the ghost image (a second, lightened or line-screened portrait,
// in process or UV ink) and the line-modulated main photo.
#include "core/format.hpp"
#include "template/elements.hpp"

namespace sdc::detail {

namespace {

ParseResult parse_photo_common(JsonReader& r, ElementCommon c, bool main_photo) {
  GhostElement s;
  SDC_TRY_ASSIGN(const std::string mode,
                 r.choice("mode", {"lighten", "lines"}, std::string(main_photo ? "lines" : "lighten")));
  if (main_photo && mode != "lines")
    return r.error("mode", "a photo_lines element is always line-screened.", "remove 'mode', or use a ghost element.");
  s.mode = mode == "lighten" ? GhostElement::Mode::lighten : GhostElement::Mode::lines;
  if (c.ink == Ink::k || c.ink == Ink::overlay)
    return r.error(
        "ink",
        std::string("a ") + (main_photo ? "line-modulated photo" : "ghost image") + " prints in process or UV ink.",
        "set \"ink\": \"process\" or \"uv\".");
  SDC_TRY_ASSIGN(s.color, r.color("color", main_photo ? Rgba{0.08, 0.1, 0.14, 1} : Rgba{0.12, 0.2, 0.35, 1}));
  c.deps.photo = true;
  c.deps.fields.push_back("photo");
  if (s.mode == GhostElement::Mode::lighten) {
    SDC_TRY_ASSIGN(s.ghost.lightness, r.number("lightness", 0, 0.95, 0.6, "(0 to 0.95)"));
    SDC_TRY_ASSIGN(s.ghost.vignette, r.number("vignette", 0, 0.5, 0.12, "(fraction of the shorter side)"));
    return make_spec(std::move(c), std::move(s));
  }
  auto& o = s.lines;
  struct Num {
    const char* key;
    double lo, hi, def;
    double* out;
    const char* unit;
  };
  const Num nums[] = {
      {"pitch", 0.05, 5, main_photo ? 0.3 : 0.35, &o.pitch_mm, "mm"},
      {"max_width", 0.01, 5, main_photo ? 0.27 : 0.22, &o.max_width_mm, "mm"},
      {"min_width", 0, 5, main_photo ? 0.02 : 0.0, &o.min_width_mm, "mm"},
      {"angle", -360, 360, main_photo ? 0.0 : 30.0, &o.angle_deg, "degrees"},
      {"wave_amplitude", 0, 5, 0, &o.wave_amplitude_mm, "mm"},
      {"wave_length", 0.2, 100, 2, &o.wave_length_mm, "mm"},
      {"wave_phase_step", -10, 10, 0, &o.wave_phase_step, "turns"},
      {"gamma", 0.2, 5, main_photo ? 1.0 : 1.6, &o.gamma, "(exponent)"},
  };
  for (const auto& n : nums) {
    SDC_TRY_ASSIGN(*n.out, r.number(n.key, n.lo, n.hi, n.def, n.unit));
  }
  if (o.max_width_mm > o.pitch_mm)
    return r.error("max_width",
                   "'max_width' (" + format_number(o.max_width_mm) + " mm) exceeds 'pitch' (" +
                       format_number(o.pitch_mm) + " mm): neighbouring lines would merge.",
                   "make max_width at most pitch.");
  if (o.min_width_mm > o.max_width_mm)
    return r.error("min_width", "'min_width' exceeds 'max_width'.", "make min_width at most max_width.");
  return make_spec(std::move(c), std::move(s));
}

}  // namespace

ParseResult parse_ghost(JsonReader& r, ElementCommon c, const Base&) {
  return parse_photo_common(r, std::move(c), false);
}

ParseResult parse_photo_lines(JsonReader& r, ElementCommon c, const Base&) {
  return parse_photo_common(r, std::move(c), true);
}

}  // namespace sdc::detail
