// shape_text() and fit_text(): UTF-8 checks, sizes, line breaking, alignment, millimetres.
//
// Layouts are unhinted, so a line's width is exactly proportional to the size: the text is shaped
// once in em units and every candidate size and break is evaluated by arithmetic. Only the lines
// finally chosen are shaped again on their own (the context at a break can change a glyph).
#include <sdc/text.hpp>

#include "core/utf8.hpp"
#include "text/shaping.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace sdc {
namespace {

constexpr double kMmPerPt = 25.4 / 72.0;

std::string fmt(double v, int decimals = 1) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, r.ptr);
}

std::string hex_byte(unsigned char b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
Status decode_utf8(std::string_view s, std::vector<char32_t>& cps, std::vector<std::uint32_t>& offs) {
  const auto bad = [&](std::size_t at, const std::string& why) {
    return Error(Errc::invalid_argument,
                 "text is not valid UTF-8: byte " + hex_byte(static_cast<unsigned char>(s[at])) + " at offset " +
                     std::to_string(at) + " " + why,
                 "Save the record file as UTF-8 (not Latin-1 or Windows-1252) and check the field for damaged "
                 "characters");
  };
  if (s.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    return Error(Errc::limit_exceeded, "text of " + std::to_string(s.size()) + " bytes is too long to lay out",
                 "Lay out shorter text");
  }
  cps.clear();
  offs.clear();
  for (std::size_t i = 0; i < s.size();) {
    const detail::Utf8Step step = detail::utf8_next(s, i);
    const char32_t c = step.cp;
    const std::size_t len = step.len;
    switch (step.fault) {
      case detail::Utf8Fault::none: break;
      case detail::Utf8Fault::stray_continuation: return bad(i, "is a continuation byte without a lead byte");
      case detail::Utf8Fault::invalid_byte: return bad(i, "can never appear in UTF-8");
      case detail::Utf8Fault::cut_off_by_end: return bad(i, "starts a sequence that is cut off by the end of the text");
      case detail::Utf8Fault::cut_off:
        return bad(i, "starts a sequence that is cut off after " + std::to_string(len) + " bytes");
      case detail::Utf8Fault::overlong: return bad(i, "starts an overlong encoding");
      case detail::Utf8Fault::surrogate: return bad(i, "encodes a UTF-16 surrogate");
      case detail::Utf8Fault::above_max: return bad(i, "encodes a value above U+10FFFF");
    }
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      return Error(Errc::invalid_argument,
                   "text contains the control character U+00" + hex_byte(static_cast<unsigned char>(c)).substr(2) +
                       " at byte " + std::to_string(i),
                   "Remove line breaks, tabs and other control characters from the field; fit_text() wraps lines "
                   "itself");
    }
    cps.push_back(c);
    offs.push_back(static_cast<std::uint32_t>(i));
    i += len;
  }
  offs.push_back(static_cast<std::uint32_t>(s.size()));
  return {};
}

struct Prepared {
  detail::Paragraph para;
  detail::UnitLine whole;
  const FontSet::Impl* impl = nullptr;
};

Result<Prepared> prepare(const FontSet& fonts, std::string_view utf8, const TextStyle& style) {
  if (!(style.size.v > 0) || style.size.v > 1000) {
    return Error(Errc::invalid_argument, "text size " + fmt(style.size.v, 2) + " pt is outside (0, 1000] pt",
                 "Give the text a positive size in points, e.g. 8");
  }
  if (!(style.letter_spacing_em >= -0.5 && style.letter_spacing_em <= 10)) {
    return Error(Errc::invalid_argument,
                 "letter spacing " + fmt(style.letter_spacing_em, 3) + " em is outside [-0.5, 10]",
                 "Use a letter spacing such as 0.05 (5 % of the size)");
  }
  SDC_TRY_ASSIGN(auto font, fonts.find(style.family, style.bold));
  Prepared p;
  p.impl = detail::FontSetAccess::impl(fonts);
  auto& para = p.para;
  para.text = utf8;
  SDC_TRY(decode_utf8(utf8, para.cps, para.offs));
  if (!detail::bidi_analyse(para.cps, style.direction, para.bidi)) {
    return Error(Errc::internal, "bidirectional analysis failed", "Report this as a bug with the text that caused it");
  }
  para.primary = font;
  para.language = style.language;
  para.tracking_em = style.letter_spacing_em;
  SDC_TRY(detail::resolve_fonts(*p.impl, para, p.whole));
  return p;
}

struct Metrics {
  double ascent, descent, line_height;  // em
};

Metrics metrics(const Prepared& p, double line_spacing) {
  const auto& f = p.impl->faces[p.para.primary];
  return {f.ascender, f.descender, (f.ascender + f.descender + f.line_gap) * line_spacing};
}

// Builds the millimetre layout from lines shaped in em units.
TextLayout assemble(const Prepared& p, const std::vector<detail::UnitLine>& units,
                    const std::vector<std::pair<std::size_t, std::size_t>>& ranges, double size_pt, const Metrics& m,
                    MmSize box, FitOptions::Align align, FitOptions::VAlign valign, bool natural_box) {
  const double em = size_pt * kMmPerPt;
  TextLayout out;
  out.size = Pt{size_pt};
  out.ascent = Mm{m.ascent * em};
  out.descent = Mm{m.descent * em};
  out.line_height = Mm{m.line_height * em};
  out.rtl = p.para.bidi.rtl;
  out.text = std::string(p.para.text);
  const double block = (m.ascent + m.descent + m.line_height * static_cast<double>(units.size() - 1)) * em;
  if (natural_box) {
    double w = 0;
    for (const auto& u : units) w = std::max(w, u.width * em);
    box = MmSize{Mm{w}, Mm{block}};
  }
  out.box = box;
  double top = 0;
  if (valign == FitOptions::VAlign::middle) top = (box.h.v - block) / 2;
  if (valign == FitOptions::VAlign::bottom) top = box.h.v - block;
  bool have_ink = false;
  double ix0 = 0, iy0 = 0, ix1 = 0, iy1 = 0;
  for (std::size_t li = 0; li < units.size(); ++li) {
    const auto& u = units[li];
    TextLine line;
    line.rtl = out.rtl;
    line.width = Mm{u.width * em};
    line.baseline = Mm{top + (m.ascent + m.line_height * static_cast<double>(li)) * em};
    line.begin = p.para.offs[ranges[li].first];
    line.end = p.para.offs[ranges[li].second];
    const double slack = box.w.v - line.width.v;
    double x = 0;
    switch (align) {
      case FitOptions::Align::left: x = 0; break;
      case FitOptions::Align::right: x = slack; break;
      case FitOptions::Align::center: x = slack / 2; break;
      case FitOptions::Align::start: x = out.rtl ? slack : 0; break;
      case FitOptions::Align::end: x = out.rtl ? 0 : slack; break;
    }
    line.x = Mm{x};
    line.glyphs.reserve(u.glyphs.size());
    for (const auto& g : u.glyphs) {
      PositionedGlyph pg{g.glyph, g.font, x + g.x * em, line.baseline.v - g.y * em, g.adv * em, g.cluster};
      double x0, y0, x1, y1;
      if (detail::glyph_bounds(*p.impl, g.font, g.glyph, x0, y0, x1, y1)) {
        const double gx0 = pg.x_mm + x0 * em, gx1 = pg.x_mm + x1 * em;
        const double gy0 = pg.y_mm - y1 * em, gy1 = pg.y_mm - y0 * em;
        if (!have_ink) {
          ix0 = gx0, iy0 = gy0, ix1 = gx1, iy1 = gy1, have_ink = true;
        } else {
          ix0 = std::min(ix0, gx0), iy0 = std::min(iy0, gy0), ix1 = std::max(ix1, gx1), iy1 = std::max(iy1, gy1);
        }
      }
      line.glyphs.push_back(pg);
    }
    out.lines.push_back(std::move(line));
  }
  if (have_ink) out.ink = MmRect{Mm{ix0}, Mm{iy0}, Mm{ix1 - ix0}, Mm{iy1 - iy0}};
  return out;
}

// A place where a line may end: the line ends before code point `end` and the next starts at `next`
// (spaces at a break belong to neither line).
struct Break {
  std::size_t end, next;
};

bool is_break_space(char32_t c) {
  // No-break spaces (U+00A0, U+2007, U+202F) are deliberately absent.
  return c == 0x20 || c == 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A) || c == 0x205F ||
         c == 0x3000 || c == 0x200B;
}

std::vector<Break> find_breaks(const std::vector<char32_t>& cps) {
  std::vector<Break> out;
  const std::size_t n = cps.size();
  for (std::size_t i = 0; i < n;) {
    if (is_break_space(cps[i])) {
      std::size_t j = i;
      while (j < n && is_break_space(cps[j])) ++j;
      if (i > 0 && j < n) out.push_back({i, j});
      i = j;
    } else {
      // After a hyphen inside a word ("Ødegård-Šimůnková"), keeping the hyphen on the first line.
      const bool hyphen = cps[i] == 0x2D || cps[i] == 0x2010;
      if (hyphen && i > 0 && i + 1 < n && !is_break_space(cps[i - 1]) && !is_break_space(cps[i + 1]))
        out.push_back({i + 1, i + 1});
      ++i;
    }
  }
  return out;
}

// Largest size style - k * step that is <= limit (and not above style).
double step_down(double style, double limit, double step) {
  if (limit >= style) return style;
  const double k = std::ceil((style - limit) / step - 1e-9);
  return style - k * step;
}

}  // namespace

Result<TextLayout> shape_text(const FontSet& fonts, std::string_view utf8, const TextStyle& style) {
  SDC_TRY_ASSIGN(auto p, prepare(fonts, utf8, style));
  const Metrics m = metrics(p, 1.0);
  return assemble(p, {p.whole}, {{0, p.para.cps.size()}}, style.size.v, m, {}, FitOptions::Align::left,
                  FitOptions::VAlign::top, true);
}

Result<TextLayout> fit_text(const FontSet& fonts, std::string_view utf8, const TextStyle& style, MmSize box,
                            const FitOptions& options) {
  const auto invalid = [](const std::string& what, const std::string& hint) {
    return Error(Errc::invalid_argument, what, hint);
  };
  if (!(box.w.v > 0) || !(box.h.v > 0) || !std::isfinite(box.w.v) || !std::isfinite(box.h.v))
    return invalid("text box " + fmt(box.w.v) + " x " + fmt(box.h.v) + " mm is empty",
                   "Give the text box a positive size");
  if (options.max_lines < 1 || options.max_lines > 16)
    return invalid("max_lines " + std::to_string(options.max_lines) + " is outside [1, 16]", "Use 1 to 16 lines");
  if (!(options.line_spacing >= 0.5 && options.line_spacing <= 3))
    return invalid("line spacing " + fmt(options.line_spacing, 2) + " is outside [0.5, 3]",
                   "Use 1.0 for the font's own");
  if (!(options.size_step_pt >= 0.01 && options.size_step_pt <= 4))
    return invalid("size step " + fmt(options.size_step_pt, 2) + " pt is outside [0.01, 4]", "Use 0.25 pt");
  if (!(options.min_size.v > 0) || options.min_size.v > style.size.v)
    return invalid("minimum size " + fmt(options.min_size.v, 2) + " pt must be positive and at most the style's " +
                       fmt(style.size.v, 2) + " pt",
                   "Lower min_size or raise the style's size");

  SDC_TRY_ASSIGN(auto prep, prepare(fonts, utf8, style));
  const Prepared& p = prep;
  const Metrics m = metrics(p, options.line_spacing);
  const auto& cps = p.para.cps;
  const std::size_t n = cps.size();
  const double mm_per_pt_em = kMmPerPt;  // an em at 1 pt, in mm
  const double min_size = options.min_size.v, step = options.size_step_pt;
  const auto height_em = [&](std::size_t lines) {
    return m.ascent + m.descent + m.line_height * static_cast<double>(lines - 1);
  };
  // Largest size (in steps) at which lines of the given em widths fit; 0 if below the minimum.
  const auto fitting_size = [&](double widest_em, std::size_t lines) {
    double limit = style.size.v;
    if (widest_em > 0) limit = std::min(limit, box.w.v / (widest_em * mm_per_pt_em));
    limit = std::min(limit, box.h.v / (height_em(lines) * mm_per_pt_em));
    const double s = step_down(style.size.v, limit * (1 + 1e-12), step);
    return s >= min_size - 1e-9 ? s : 0.0;
  };

  // Spaces around the text (a padded CSV field) would shift aligned text: lay out [lo, hi) only.
  std::size_t lo = 0, hi = n;
  while (lo < hi && is_break_space(cps[lo])) ++lo;
  while (hi > lo && is_break_space(cps[hi - 1])) --hi;
  const detail::UnitLine one = (lo == 0 && hi == n) ? p.whole : detail::shape_range(*p.impl, p.para, lo, hi);

  // 1. One line.
  if (const double s = fitting_size(one.width, 1); s > 0) {
    return assemble(p, {one}, {{lo, hi}}, s, m, box, options.align, options.valign, false);
  }

  // 2. Wrapped. Width of code points [a, b) from the paragraph shaped whole, per code point.
  std::vector<double> prefix(n + 1, 0);
  {
    std::vector<double> per_cp(n, 0);
    for (const auto& g : p.whole.glyphs) {
      const auto k = static_cast<std::size_t>(std::upper_bound(p.para.offs.begin(), p.para.offs.end() - 1, g.cluster) -
                                              p.para.offs.begin() - 1);
      per_cp[k] += g.adv;
    }
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + per_cp[i];
  }
  const auto width = [&](std::size_t a, std::size_t b) { return prefix[b] - prefix[a]; };
  std::vector<Break> breaks;
  for (const auto& b : find_breaks(cps))
    if (b.end > lo && b.next < hi) breaks.push_back(b);
  const std::size_t nb = breaks.size();
  double best_two_line_width_mm = 0;  // for the error message
  for (std::size_t lines = 2; lines <= static_cast<std::size_t>(options.max_lines) && lines <= nb + 1; ++lines) {
    // cost[k][j]: the smallest possible widest line when the text from break j's `next` to the end
    // is set on k more lines (k = 1 means the last line). Minimising the widest line balances them.
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> cost(lines, std::vector<double>(nb, inf));
    std::vector<std::vector<std::size_t>> choice(lines, std::vector<std::size_t>(nb, 0));
    for (std::size_t j = 0; j < nb; ++j) cost[1][j] = width(breaks[j].next, hi);
    for (std::size_t k = 2; k < lines; ++k)
      for (std::size_t j = 0; j < nb; ++j)
        for (std::size_t q = j + 1; q < nb; ++q) {
          const double c = std::max(width(breaks[j].next, breaks[q].end), cost[k - 1][q]);
          if (c < cost[k][j]) cost[k][j] = c, choice[k][j] = q;
        }
    double best = inf;
    std::size_t first = 0;
    for (std::size_t j = 0; j < nb; ++j) {
      const double c = std::max(width(lo, breaks[j].end), cost[lines - 1][j]);
      if (c < best) best = c, first = j;
    }
    if (best == inf) continue;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    ranges.push_back({lo, breaks[first].end});
    std::size_t j = first;
    for (std::size_t k = lines - 1; k >= 2; --k) {
      const std::size_t q = choice[k][j];
      ranges.push_back({breaks[j].next, breaks[q].end});
      j = q;
    }
    ranges.push_back({breaks[j].next, hi});
    if (lines == 2) best_two_line_width_mm = best * min_size * mm_per_pt_em;

    if (fitting_size(best, lines) == 0 && fitting_size(best * 0.98, lines) == 0) continue;
    // Shape the chosen lines on their own: the estimate came from the whole text (context at the
    // break, letter spacing after a line's last letter), the size comes from the real widths.
    std::vector<detail::UnitLine> units;
    double widest = 0;
    for (const auto& r : ranges) {
      units.push_back(detail::shape_range(*p.impl, p.para, r.first, r.second));
      widest = std::max(widest, units.back().width);
    }
    const double s = fitting_size(widest, lines);
    if (s == 0) continue;
    return assemble(p, units, ranges, s, m, box, options.align, options.valign, false);
  }

  // 3. Refuse, saying how far off it is.
  const double one_line_mm = one.width * min_size * mm_per_pt_em;
  const double line_mm = height_em(1) * min_size * mm_per_pt_em;
  std::string msg = "text of " + std::to_string(n) + " characters does not fit in the " + fmt(box.w.v) + " x " +
                    fmt(box.h.v) + " mm box: at the minimum size of " + fmt(min_size, 2) + " pt it is " +
                    fmt(one_line_mm) + " mm long on one line";
  if (line_mm > box.h.v) msg += " and " + fmt(line_mm, 2) + " mm high, more than the box's height";
  if (options.max_lines < 2) {
    msg += ", and wrapping is off (max_lines = 1)";
  } else if (nb == 0) {
    msg += ", and it has no space or hyphen to wrap at";
  } else if (best_two_line_width_mm > 0) {
    msg += ", and " + fmt(best_two_line_width_mm) +
           " mm wide on two lines (max_lines = " + std::to_string(options.max_lines) + ", " +
           fmt(height_em(2) * min_size * mm_per_pt_em) + " mm high for two lines)";
  }
  return Error(Errc::does_not_fit, msg,
               "Make the box larger in the template, lower min_size, allow more lines (max_lines), or record a "
               "shorter form of the name (a card never truncates a name)");
}

}  // namespace sdc
