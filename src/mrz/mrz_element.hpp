// Internal: the MRZ element computes the card's TD1 lines; compose asks it before resolving any
// element (so the lines can also go into the seal) and stores them in ComposeEnv::mrz_lines.
#pragma once

#include <string>
#include <vector>

#include "template/model.hpp"

namespace sdc::detail {

class MrzSource {
 public:
  virtual ~MrzSource() = default;
  /// The three TD1 lines for the record and issuer of `env`; errors name the element and field.
  virtual Result<std::vector<std::string>> mrz_lines(const ComposeEnv& env) const = 0;
};

/// The MRZ lines of the first element of `tmpl` that needs them (empty when none does).
Result<std::vector<std::string>> compute_mrz_lines(const Template::Impl& tmpl, const ComposeEnv& env);

}  // namespace sdc::detail
