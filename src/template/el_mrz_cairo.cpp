// MRZ element: the ICAO 9303 TD1 zone printed in OCR-B at a fixed character pitch, in K ink.
#include <sdc/microtext.hpp>
#include <sdc/mrz.hpp>
#include <sdc/text.hpp>

#include "mrz/mrz_element.hpp"
#include "template/el_security.hpp"
#include "template/elements.hpp"
#include "text/draw_cairo.hpp"

namespace sdc::detail {

namespace {

struct MrzLook {
  std::string font = "OCR B";
  double char_pitch = 2.54;  // mm per character: 10 characters per inch (Doc 9303 Part 3)
  double line_pitch = 4.23;  // mm between baselines: 6 lines per inch
};

class MrzItem final : public Item {
 public:
  MrzItem(ElementCommon c, FontSet fonts, std::vector<PlacedGlyph> glyphs, Pt size)
      : Item(std::move(c)), fonts_(std::move(fonts)), glyphs_(std::move(glyphs)), size_(size) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    cairo_save(cr);
    transform_to_box(cr, common);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    for (const auto& g : glyphs_) {
      cairo_save(cr);
      cairo_translate(cr, g.origin.x.v, g.origin.y.v);
      draw_glyph_path(cr, fonts_, g.font, g.glyph, size_);
      cairo_restore(cr);
    }
    cairo_fill(cr);
    cairo_restore(cr);
  }

 private:
  FontSet fonts_;
  std::vector<PlacedGlyph> glyphs_;
  Pt size_;
};

class MrzElement final : public Element, public MrzSource {
 public:
  MrzElement(ElementCommon c, MrzLook look, std::string code, MrzTransliteration tr, std::string opt1, std::string opt2,
             std::vector<FieldRef> refs)
      : Element(std::move(c)),
        look_(std::move(look)),
        code_(std::move(code)),
        tr_(tr),
        opt1_(std::move(opt1)),
        opt2_(std::move(opt2)),
        refs_(std::move(refs)) {}
  bool personal() const override { return true; }
  bool needs_mrz() const override { return true; }
  void fields(std::vector<std::string>& out) const override {
    for (const char* f :
         {"surname", "given_names", "date_of_birth", "sex", "nationality", "document_number", "expiry_date"})
      out.push_back(f);
    for (const auto& r : refs_) out.push_back(r.field);
  }

  Result<std::vector<std::string>> mrz_lines(const ComposeEnv& env) const override {
    const std::string state = !env.issuer.code.empty() ? env.issuer.code : env.tmpl.impl()->issuer_code;
    auto data = mrz_data_from_record(env.record, state, code_, MrzOptions{tr_});
    if (!data) return with_element(std::move(data).error());
    auto o1 = substitute_fields(opt1_, env.record, *this, common);
    if (!o1) return std::move(o1).error();
    auto o2 = substitute_fields(opt2_, env.record, *this, common);
    if (!o2) return std::move(o2).error();
    data->optional_1 = *o1;
    data->optional_2 = *o2;
    auto lines = make_td1(*data, MrzOptions{tr_});
    if (!lines) return with_element(std::move(lines).error());
    return std::vector<std::string>(lines->begin(), lines->end());
  }

  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    std::vector<std::string> lines = env.mrz_lines;
    if (lines.size() != 3) {
      auto l = mrz_lines(env);
      if (!l) return std::move(l).error();
      lines = std::move(*l);
    }
    auto font = env.fonts.find(look_.font);
    if (!font) return with_element(std::move(font).error());
    // Size the font so one advance is exactly the character pitch, then place every character at
    // its pitch position (OCR-B is monospaced; this removes any rounding of the font's advance).
    auto probe = shape_text(env.fonts, "0", TextStyle{.family = look_.font, .size = Pt{10}});
    if (!probe) return with_element(std::move(probe).error());
    const double adv10 = probe->lines[0].width.v;
    if (adv10 <= 0) return error(Errc::bad_font, "the MRZ font has no advance width.", "use the OCR-B font.");
    const Pt size{10 * look_.char_pitch / adv10};
    const TextStyle ts{.family = look_.font, .size = size, .direction = TextDirection::ltr};
    std::vector<PlacedGlyph> glyphs;
    const auto& b = common.box;
    const double block_w = 30 * look_.char_pitch, block_h = 2 * look_.line_pitch;
    const double x0 = b.x.v + (b.w.v - block_w) / 2;
    // Lines are centred vertically: the middle line's cap centre sits at the box's middle.
    auto cap = shape_text(env.fonts, "H", ts);
    if (!cap) return with_element(std::move(cap).error());
    const double cap_h = cap->ink.h.v;
    const double first_base = b.y.v + (b.h.v - block_h) / 2 + cap_h / 2;
    for (std::size_t li = 0; li < 3; ++li) {
      auto run = shape_text(env.fonts, lines[li], ts);
      if (!run) return with_element(std::move(run).error());
      const auto& gl = run->lines[0].glyphs;
      for (std::size_t k = 0; k < gl.size(); ++k) {
        const double x = x0 + static_cast<double>(gl[k].cluster) * look_.char_pitch;
        const double y = first_base + static_cast<double>(li) * look_.line_pitch + (gl[k].y_mm - run->ascent.v);
        glyphs.push_back({gl[k].font, gl[k].glyph, MmPoint{Mm{x}, Mm{y}}, 0});
      }
    }
    auto item = std::make_shared<MrzItem>(common, env.fonts, std::move(glyphs), size);
    item->personal = true;
    return std::shared_ptr<const Item>(std::move(item));
  }

 private:
  Error with_element(Error e) const {
    Where w = e.where();
    w.file = common.file;
    w.json_path = common.json_path;
    w.line = common.line;
    w.element = common.name;
    return Error(e.code(), "MRZ element '" + common.name + "': " + e.message(), e.hint(), w);
  }

  MrzLook look_;
  std::string code_;
  MrzTransliteration tr_;
  std::string opt1_, opt2_;
  std::vector<FieldRef> refs_;
};

}  // namespace

Result<std::vector<std::string>> compute_mrz_lines(const Template::Impl& tmpl, const ComposeEnv& env) {
  for (const auto* side : {&tmpl.front, &tmpl.back})
    for (const auto& e : *side)
      if (e->needs_mrz())
        if (const auto* src = dynamic_cast<const MrzSource*>(e.get())) return src->mrz_lines(env);
  return std::vector<std::string>{};
}

Result<std::shared_ptr<const Element>> parse_mrz(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  if (!r.has("ink")) c.ink = Ink::k;
  if (c.ink != Ink::k && c.ink != Ink::process)
    return r.error("ink", "the MRZ must be printed in K (or process) ink to be read by MRZ readers.",
                   "set \"ink\": \"k\".");
  MrzLook look;
  auto font = r.string("font", look.font);
  if (!font) return std::move(font).error();
  look.font = *font;
  auto cp = r.mm("char_pitch", 2.3, 2.8, 2.54);
  if (!cp) return std::move(cp).error();
  look.char_pitch = cp->v;
  auto lp = r.mm("line_pitch", 3.0, 6.0, 4.23);
  if (!lp) return std::move(lp).error();
  look.line_pitch = lp->v;
  if (30 * look.char_pitch > c.box.w.v + 1e-9)
    return r.error("w",
                   "the MRZ box is " + std::to_string(c.box.w.v) + " mm wide; 30 characters at the pitch need " +
                       std::to_string(30 * look.char_pitch) + " mm.",
                   "make the box at least 30 * char_pitch wide (76.2 mm at the ICAO pitch).");
  if (2 * look.line_pitch + 2.5 > c.box.h.v)
    return r.error("h", "the MRZ box is too low for three lines.", "make it at least 2 * line_pitch + 2.5 mm high.");
  auto code = r.string("document_code", std::string("I"));
  if (!code) return std::move(code).error();
  auto tr = r.choice("transliteration", {"expand", "base"}, std::string("expand"));
  if (!tr) return std::move(tr).error();
  auto o1 = r.string("optional_1", std::string(), true);
  if (!o1) return std::move(o1).error();
  auto o2 = r.string("optional_2", std::string(), true);
  if (!o2) return std::move(o2).error();
  std::vector<FieldRef> refs;
  for (const auto& [key, text] : {std::pair{"optional_1", *o1}, std::pair{"optional_2", *o2}}) {
    auto rr = parse_field_refs(r, key, text);
    if (!rr) return std::move(rr).error();
    refs.insert(refs.end(), rr->begin(), rr->end());
  }
  return std::shared_ptr<const Element>(std::make_shared<MrzElement>(
      std::move(c), look, *code, *tr == "expand" ? MrzTransliteration::expand : MrzTransliteration::base, *o1, *o2,
      std::move(refs)));
}

}  // namespace sdc::detail
