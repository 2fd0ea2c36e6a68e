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

namespace {

struct Range {
  char32_t lo, hi;
};

// General category Cf (Unicode 15), with the controls and separators that act like it.
constexpr Range kFormat[] = {
    {0x0000, 0x001F},   {0x007F, 0x009F},   {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},
    {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},
    {0x200B, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},   {0xFEFF, 0xFEFF},
    {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

// Space separators (Zs) and characters that render as nothing.
constexpr Range kBlank[] = {
    {0x0020, 0x0020}, {0x00A0, 0x00A0}, {0x034F, 0x034F}, {0x115F, 0x1160},   {0x1680, 0x1680},
    {0x2000, 0x200A}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x2800, 0x2800},   {0x3000, 0x3000},
    {0x3164, 0x3164}, {0xFE00, 0xFE0F}, {0xFFA0, 0xFFA0}, {0xE0100, 0xE01EF},
};

template <std::size_t N>
bool in(const Range (&ranges)[N], char32_t cp) noexcept {
  for (const auto& r : ranges)
    if (cp >= r.lo && cp <= r.hi) return true;
  return false;
}

// A letter of a script that joins or conjoins (Arabic, Syriac, Indic, ...): the context in which
// ZWJ and ZWNJ are spelling rather than a trick. Latin, Greek and Cyrillic never need them.
bool joining_context(char32_t cp) noexcept {
  return cp >= 0x0590 && !is_format_char(cp) && !is_blank_char(cp);
}

}  // namespace

bool is_format_char(char32_t cp) noexcept {
  return in(kFormat, cp);
}

bool is_blank_char(char32_t cp) noexcept {
  return in(kBlank, cp) || in(kFormat, cp);
}

FormatCharAt find_format_char(std::string_view s) noexcept {
  char32_t prev = 0;
  std::size_t index = 0;
  for (std::size_t i = 0; i < s.size(); ++index) {
    const Utf8Step step = utf8_next(s, i);
    if (step.fault != Utf8Fault::none) return {};
    const char32_t cp = step.cp;
    i += step.len;
    if (is_format_char(cp)) {
      const bool joiner = cp == 0x200C || cp == 0x200D;
      char32_t next = 0;
      if (joiner && i < s.size()) {
        const Utf8Step n = utf8_next(s, i);
        if (n.fault == Utf8Fault::none) next = n.cp;
      }
      if (!(joiner && joining_context(prev) && joining_context(next))) return {cp, index};
    }
    prev = cp;
  }
  return {};
}

bool draws_something(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const Utf8Step step = utf8_next(s, i);
    if (step.fault != Utf8Fault::none) return false;
    if (!is_blank_char(step.cp)) return true;
    i += step.len;
  }
  return false;
}

std::string code_point_name(char32_t cp) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "U+";
  const int digits = cp > 0xFFFF ? (cp > 0xFFFFF ? 6 : 5) : 4;
  for (int d = digits - 1; d >= 0; --d) out += kHex[(cp >> (4 * d)) & 0xF];
  return out;
}

}  // namespace sdc::detail
