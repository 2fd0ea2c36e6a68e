// MRZ element: the ICAO 9303 TD1 zone printed in OCR-B at a fixed character pitch, in K ink.
#include "template/elements.hpp"

namespace sdc::detail {

ParseResult parse_mrz(JsonReader& r, ElementCommon c, const Base&) {
  if (!r.has("ink")) c.ink = Ink::k;
  if (c.ink != Ink::k && c.ink != Ink::process)
    return r.error("ink", "the MRZ must be printed in K (or process) ink to be read by MRZ readers.",
                   "set \"ink\": \"k\".");
  MrzElement m;
  SDC_TRY_ASSIGN(m.font, r.string("font", m.font));
  SDC_TRY_ASSIGN(const Mm cp, r.mm("char_pitch", 2.3, 2.8, 2.54));
  m.char_pitch = cp.v;
  SDC_TRY_ASSIGN(const Mm lp, r.mm("line_pitch", 3.0, 6.0, 4.23));
  m.line_pitch = lp.v;
  if (30 * m.char_pitch > c.box.w.v + 1e-9)
    return r.error("w",
                   "the MRZ box is " + std::to_string(c.box.w.v) + " mm wide; 30 characters at the pitch need " +
                       std::to_string(30 * m.char_pitch) + " mm.",
                   "make the box at least 30 * char_pitch wide (76.2 mm at the ICAO pitch).");
  if (2 * m.line_pitch + 2.5 > c.box.h.v)
    return r.error("h", "the MRZ box is too low for three lines.", "make it at least 2 * line_pitch + 2.5 mm high.");
  SDC_TRY_ASSIGN(m.document_code, r.string("document_code", std::string("I")));
  SDC_TRY_ASSIGN(const std::string tr, r.choice("transliteration", {"expand", "base"}, std::string("expand")));
  m.transliteration = tr == "expand" ? MrzTransliteration::expand : MrzTransliteration::base;
  SDC_TRY_ASSIGN(m.optional_1, r.string("optional_1", std::string(), true));
  SDC_TRY_ASSIGN(m.optional_2, r.string("optional_2", std::string(), true));
  c.deps.mrz = true;
  for (const char* f :
       {"surname", "given_names", "date_of_birth", "sex", "nationality", "document_number", "expiry_date"})
    c.deps.fields.push_back(f);
  for (const auto& [key, text] : {std::pair{"optional_1", m.optional_1}, std::pair{"optional_2", m.optional_2}}) {
    SDC_TRY_ASSIGN(const auto refs, parse_field_refs(r, key, text));
    depend_on(c.deps, refs);
  }
  return make_spec(std::move(c), std::move(m));
}

}  // namespace sdc::detail
