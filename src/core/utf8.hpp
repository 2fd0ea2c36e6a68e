// Internal: the one UTF-8 decoder of sdc, strict RFC 3629 (no overlong forms, no UTF-16
// surrogates, nothing above U+10FFFF, no C0/C1/F5..FF lead bytes). Records, text layout and the
// seal payload all validate with it.
#pragma once

#include <cstddef>
#include <string>
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

/// Invisible formatting characters: Unicode general category Cf (bidi controls and isolates,
/// zero-width space and joiners, soft hyphen, word joiner, BOM, tags, ...), plus C0/C1 controls
/// and the line and paragraph separators. They change how text is shown or compared without
/// a glyph of their own, so a name holding one can print one way and be sealed another.
bool is_format_char(char32_t cp) noexcept;

/// Characters that draw nothing: white space (Zs), Hangul fillers, the braille blank, the
/// combining grapheme joiner, and every format character.
bool is_blank_char(char32_t cp) noexcept;

/// The first format character of valid UTF-8 `s` that is not a zero-width (non-)joiner between
/// two letters of a non-Latin script (U+200C/U+200D are part of Persian and Indic spelling):
/// its code point and its index in code points, or {0, npos} when there is none.
struct FormatCharAt {
  char32_t cp = 0;
  std::size_t index = static_cast<std::size_t>(-1);
};
FormatCharAt find_format_char(std::string_view s) noexcept;

/// True when valid UTF-8 `s` holds at least one character that draws something.
bool draws_something(std::string_view s) noexcept;

/// "U+202E" for messages.
std::string code_point_name(char32_t cp);

}  // namespace sdc::detail
