#include "core/utf8.hpp"

namespace sdc::detail {

Utf8Step utf8_next(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  Utf8Step r;
  char32_t min = 0;
  if (b0 < 0x80) return Utf8Step{b0, 1, Utf8Fault::none};
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    r.cp = b0 & 0x1Fu, r.len = 2, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    r.cp = b0 & 0x0Fu, r.len = 3, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    r.cp = b0 & 0x07u, r.len = 4, min = 0x10000;
  } else {
    r.fault = b0 <= 0xBF ? Utf8Fault::stray_continuation : Utf8Fault::invalid_byte;
    return r;
  }
  if (i + r.len > s.size()) {
    r.fault = Utf8Fault::cut_off_by_end;
    return r;
  }
  for (std::size_t k = 1; k < r.len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      r.fault = Utf8Fault::cut_off;
      r.len = k;
      return r;
    }
    r.cp = (r.cp << 6) | (b & 0x3Fu);
  }
  if (r.cp < min)
    r.fault = Utf8Fault::overlong;
  else if (r.cp >= 0xD800 && r.cp <= 0xDFFF)
    r.fault = Utf8Fault::surrogate;
  else if (r.cp > 0x10FFFF)
    r.fault = Utf8Fault::above_max;
  return r;
}

bool utf8_valid(std::string_view s, std::size_t* offset) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Step step = utf8_next(s, i);
    if (step.fault != Utf8Fault::none) {
      if (offset) *offset = i;
      return false;
    }
    i += step.len;
  }
  return true;
}

}  // namespace sdc::detail
