// Microtext and the MRZ: glyph outlines placed one by one.
#include <sdc/microtext.hpp>
#include <sdc/mrz.hpp>
#include <sdc/text.hpp>

#include "compose/builders.hpp"

namespace sdc::detail {

BuildResult build_microtext(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const MicrotextElement* m, expect_spec<MicrotextElement>(e));
  const auto& c = e.common;
  SDC_TRY_ASSIGN(std::string text, substitute_fields(m->text, env.record, c));
  if (m->uppercase)
    for (auto& ch : text)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  auto layout = layout_microtext(env.fonts, text, m->style, m->path);
  if (!layout) {
    Error err = std::move(layout).error();
    Where w = err.where();
    const std::string param = w.field;
    w.file = c.file;
    w.json_path = c.json_path + (param.empty() ? "" : "/" + param);
    w.line = c.line;
    w.element = c.name;
    w.field.clear();
    if (c.deps.personal()) w.record = env.record.index;
    return Error(
        err.code(),
        "microtext element '" + c.name + "'" + (param.empty() ? "" : ", '" + param + "'") + ": " + err.message(),
        err.hint(), w);
  }
  return GlyphsItem{.fonts = env.fonts, .glyphs = std::move(layout->glyphs), .size = layout->size, .color = m->color};
}

Result<std::vector<std::string>> compute_mrz_lines(const ComposeEnv& env) {
  for (const auto* side : {&env.tmpl.front, &env.tmpl.back})
    for (const auto& e : *side) {
      const auto* m = spec_as<MrzElement>(*e);
      if (!m) continue;
      const auto& c = e->common;
      const auto with_element = [&](Error err) { return c.locate(std::move(err), "MRZ element '" + c.name + "': "); };
      const MrzOptions opt{m->transliteration};
      auto data = mrz_data_from_record(env.record, env.issuer_code, m->document_code, opt);
      if (!data) return with_element(std::move(data).error());
      SDC_TRY_ASSIGN(data->optional_1, substitute_fields(m->optional_1, env.record, c));
      SDC_TRY_ASSIGN(data->optional_2, substitute_fields(m->optional_2, env.record, c));
      auto lines = make_td1(*data, opt);
      if (!lines) return with_element(std::move(lines).error());
      return std::vector<std::string>(lines->begin(), lines->end());
    }
  return std::vector<std::string>{};
}

BuildResult build_mrz(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const MrzElement* m, expect_spec<MrzElement>(e));
  const auto& c = e.common;
  const auto with_element = [&](Error err) { return c.locate(std::move(err), "MRZ element '" + c.name + "': "); };
  if (env.mrz_lines.size() != 3)
    return c.error(Errc::internal, "the MRZ lines were not computed.", "report this as a bug.");
  auto font = env.fonts.find(m->font);
  if (!font) return with_element(std::move(font).error());
  // Size the font so one advance is exactly the character pitch, then place every character at
  // its pitch position (OCR-B is monospaced; this removes any rounding of the font's advance).
  auto probe = shape_text(env.fonts, "0", TextStyle{.family = m->font, .size = Pt{10}});
  if (!probe) return with_element(std::move(probe).error());
  const double adv10 = probe->lines[0].width.v;
  if (adv10 <= 0) return c.error(Errc::bad_font, "the MRZ font has no advance width.", "use the OCR-B font.");
  const Pt size{10 * m->char_pitch / adv10};
  const TextStyle ts{.family = m->font, .size = size, .direction = TextDirection::ltr};
  const auto& b = c.box;
  const double block_w = 30 * m->char_pitch, block_h = 2 * m->line_pitch;
  const double x0 = b.x.v + (b.w.v - block_w) / 2;
  // Lines are centred vertically: the middle line's cap centre sits at the box's middle.
  auto cap = shape_text(env.fonts, "H", ts);
  if (!cap) return with_element(std::move(cap).error());
  const double cap_h = cap->ink.h.v;
  const double first_base = b.y.v + (b.h.v - block_h) / 2 + cap_h / 2;
  GlyphsItem item{.fonts = env.fonts, .glyphs = {}, .size = size, .color = Rgba{0, 0, 0, 1}};
  for (std::size_t li = 0; li < 3; ++li) {
    auto run = shape_text(env.fonts, env.mrz_lines[li], ts);
    if (!run) return with_element(std::move(run).error());
    const auto& gl = run->lines[0].glyphs;
    for (std::size_t k = 0; k < gl.size(); ++k) {
      const double x = x0 + static_cast<double>(gl[k].cluster) * m->char_pitch;
      const double y = first_base + static_cast<double>(li) * m->line_pitch + (gl[k].y_mm - run->ascent.v);
      item.glyphs.push_back({gl[k].font, gl[k].glyph, MmPoint{Mm{x}, Mm{y}}, 0});
    }
  }
  return item;
}

}  // namespace sdc::detail
