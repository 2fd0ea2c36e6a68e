// Lint: what a template's elements will not reproduce at a given dpi, read from their specs.
#include <sdc/lint.hpp>

#include <algorithm>
#include <cmath>

#include "core/format.hpp"
#include "template/model.hpp"
#include "template/specs.hpp"

namespace sdc {

namespace {

using detail::ElementCommon;
using detail::format_number;

void lint_guilloche(const ElementCommon& c, const detail::GuillocheElement& g, Dpi dpi, std::vector<LintWarning>& out) {
  const double px = 25.4 / dpi.v;
  if (g.line_width < px)
    out.push_back({c.name, c.side, "line_width",
                   "guilloche lines of " + format_number(g.line_width) + " mm are thinner than one device pixel (" +
                       format_number(std::round(px * 1000) / 1000) + " mm) at " + std::to_string(dpi.v) +
                       " dpi: they will print broken.",
                   "print at " + std::to_string(static_cast<int>(std::ceil(25.4 / g.line_width))) +
                       " dpi or more, or make line_width at least " + format_number(std::ceil(px * 1000) / 1000) +
                       " mm."});
}

void lint_microtext(const ElementCommon& c, const detail::MicrotextElement& m, Dpi dpi, std::vector<LintWarning>& out) {
  const double need = min_resolvable_cap_height(dpi).v;
  const double cap = m.style.cap_height.v;
  if (cap < need)
    out.push_back(
        {c.name, c.side, "cap_height",
         "microtext of " + format_number(cap) + " mm cap height is " +
             format_number(std::round(cap * dpi.v / 25.4 * 10) / 10) + " device pixels at " + std::to_string(dpi.v) +
             " dpi; about 7 are needed to resolve the letters.",
         "print at " + std::to_string(static_cast<int>(std::ceil(7 * 25.4 / cap))) + " dpi or more" +
             (need <= 0.5 ? ", or raise cap_height to " + format_number(std::ceil(need * 100) / 100) + " mm."
                          : " (microtext, at most 0.5 mm, cannot be resolved at " + std::to_string(dpi.v) + " dpi).")});
}

void lint_ghost(const ElementCommon& c, const detail::GhostElement& g, Dpi dpi, std::vector<LintWarning>& out) {
  if (g.mode != detail::GhostElement::Mode::lines) return;
  const double px = 25.4 / dpi.v;
  if (g.lines.pitch_mm < 2 * px)
    out.push_back(
        {c.name, c.side, "pitch",
         "line-screen pitch " + format_number(g.lines.pitch_mm) + " mm is under two device pixels at " +
             std::to_string(dpi.v) + " dpi: lines and gaps cannot both be printed.",
         "raise 'pitch' to " + format_number(std::ceil(2 * px * 1000) / 1000) + " mm or print at a higher dpi."});
}

}  // namespace

std::string LintWarning::to_string() const {
  std::string s = std::string(sdc::to_string(side)) + "/" + element;
  if (!parameter.empty()) s += " (" + parameter + ")";
  s += ": " + message;
  if (!hint.empty()) s += " Fix: " + hint;
  return s;
}

std::vector<LintWarning> lint(const Template& tmpl, Dpi dpi) {
  std::vector<LintWarning> out;
  if (tmpl.empty()) return out;
  dpi.v = std::clamp(dpi.v, 72, 2400);
  for (const Side s : {Side::front, Side::back})
    for (const auto& e : tmpl.impl()->side(s)) {
      if (const auto* g = detail::spec_as<detail::GuillocheElement>(*e)) lint_guilloche(e->common, *g, dpi, out);
      if (const auto* m = detail::spec_as<detail::MicrotextElement>(*e)) lint_microtext(e->common, *m, dpi, out);
      if (const auto* g = detail::spec_as<detail::GhostElement>(*e)) lint_ghost(e->common, *g, dpi, out);
    }
  return out;
}

}  // namespace sdc
