// Internal: an element type that can say what a given dpi will not reproduce implements this
// beside detail::Element; sdc::lint() finds it with dynamic_cast.
#pragma once

#include <sdc/lint.hpp>

#include <vector>

namespace sdc::detail {

class Lintable {
 public:
  virtual ~Lintable() = default;
  virtual void lint(Dpi dpi, std::vector<LintWarning>& out) const = 0;
};

}  // namespace sdc::detail
