// QR codes: the card's signed seal (or static/field text), encoded once at compose time.
#include <sdc/qr.hpp>

#include <algorithm>

#include "compose/builders.hpp"

namespace sdc::detail {

BuildResult build_qr(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const QrElement* s, expect_spec<QrElement>(e));
  const auto& c = e.common;
  std::string text;
  if (s->seal()) {
    text = env.seal_text;
    if (text.empty()) return c.error(Errc::internal, "the seal was not computed.", "report this as a bug.");
  } else {
    SDC_TRY_ASSIGN(text, substitute_fields(s->content, env.record, c));
  }
  auto m = encode_qr(text, s->ec);
  if (!m) return c.locate(std::move(m).error());
  // ISO/IEC 18004 readers and phone cameras need modules of about 0.25 mm or more on a card.
  const double module_mm = std::min(c.box.w.v, c.box.h.v) / (m->size + 2 * s->quiet);
  if (module_mm < 0.25 && env.warnings)
    env.warnings->push_back("element '" + c.name + "': QR modules are " + std::to_string(module_mm).substr(0, 5) +
                            " mm (version " + std::to_string(m->version) +
                            "); under 0.25 mm phones read them poorly: enlarge the box or shorten the content.");
  return QrItem{.matrix = std::move(*m), .quiet = s->quiet};
}

}  // namespace sdc::detail
