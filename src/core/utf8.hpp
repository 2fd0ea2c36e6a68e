// Internal: the one UTF-8 decoder of sdc, strict RFC 3629 (no overlong forms, no UTF-16
// surrogates, nothing above U+10FFFF, no C0/C1/F5..FF lead bytes). Records, text layout and the
// seal payload all validate with it.
#pragma once

#include <cstddef>
#include <string_view>

namespace sdc::detail {

enum class Utf8Fault {
  none,
  stray_continuation,  ///< a continuation byte (80..BF) without a lead byte
  invalid_byte,        ///< C0, C1, F5..FF: never in UTF-8
  cut_off_by_end,      ///< the text ends inside the sequence
  cut_off,             ///< a non-continuation byte inside the sequence (after `len` good bytes)
  overlong,
  surrogate,
  above_max,
};

/// One decoding step at byte `i` of `s` (i < s.size()): the code point and its length in bytes,
/// or a fault (then `len` is, for cut_off, the number of bytes before the bad one).
struct Utf8Step {
  char32_t cp = 0;
  std::size_t len = 0;
  Utf8Fault fault = Utf8Fault::none;
};
Utf8Step utf8_next(std::string_view s, std::size_t i) noexcept;

/// True when `s` is valid UTF-8; otherwise false with `*offset` (if given) = the byte offset of
/// the first bad sequence.
bool utf8_valid(std::string_view s, std::size_t* offset = nullptr) noexcept;

}  // namespace sdc::detail
