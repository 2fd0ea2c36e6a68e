#include <sdc/lint.hpp>

#include <algorithm>

#include "lint/lintable.hpp"
#include "template/model.hpp"

namespace sdc {

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
    for (const auto& e : tmpl.impl()->side(s))
      if (const auto* l = dynamic_cast<const detail::Lintable*>(e.get())) l->lint(dpi, out);
  return out;
}

}  // namespace sdc
