// QR codes: the card's signed seal (or static/field text), in K ink.
#include "template/elements.hpp"

namespace sdc::detail {

ParseResult parse_qr(JsonReader& r, ElementCommon c, const Base&) {
  QrElement s;
  SDC_TRY_ASSIGN(s.content, r.string("content", std::string("{seal}")));
  if (!s.seal()) {
    SDC_TRY_ASSIGN(s.refs, parse_field_refs(r, "content", s.content));
    depend_on(c.deps, s.refs);
  } else {
    c.deps.seal = true;  // the seal binds the record, the photo's hash and the personal pattern
  }
  SDC_TRY_ASSIGN(const std::string ec, r.choice("error_correction", {"L", "M", "Q", "H"}, std::string("M")));
  constexpr QrEcLevel levels[] = {QrEcLevel::L, QrEcLevel::M, QrEcLevel::Q, QrEcLevel::H};
  s.ec = levels[std::string_view("LMQH").find(ec.empty() ? 'M' : ec[0])];
  SDC_TRY_ASSIGN(s.quiet, r.integer("quiet_zone", 0, 10, 4));
  if (c.ink != Ink::k && c.ink != Ink::process)
    return r.error("ink", "a QR code must print in K (or process) ink to be readable.",
                   "remove 'ink' or set it to \"k\".");
  if (!r.has("ink")) c.ink = Ink::k;
  return make_spec(std::move(c), std::move(s));
}

}  // namespace sdc::detail
