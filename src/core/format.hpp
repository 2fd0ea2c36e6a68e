// Locale-free number formatting for messages and output (shortest round-trip form).
#pragma once

#include <string>

namespace sdc::detail {

/// 0.25 -> "0.25", 3.0 -> "3"; never depends on the process locale.
std::string format_number(double v);

}  // namespace sdc::detail
