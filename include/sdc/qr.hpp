/// @file qr.hpp
/// QR codes for the seal: Base45 text (RFC 9285), QR module matrices, their layout on a card, and
/// decoding QR codes from images.
///
/// The seal travels as `PREFIX + Base45(bytes)`. Every character of that text is in the QR
/// alphanumeric set (0-9, A-Z, space, $ % * + - . / :), so the QR code holds it in alphanumeric
/// mode at 5.5 bits per character: 2 bytes become 3 characters (16.5 bits), about 3 % more than
/// byte mode would need for the raw bytes, and far less than byte mode needs for Base64 text.
///
/// The matrix is a pure value (no rendering here): the renderer draws it in K ink with
/// `layout_qr()` giving the module size snapped to whole device pixels.
///
/// All functions are thread-safe and deterministic.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/units.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

// ---------------------------------------------------------------------------------------------
// Base45 (RFC 9285)
// ---------------------------------------------------------------------------------------------

/// Encodes bytes as Base45 (RFC 9285 §4): each pair of bytes [a, b] becomes the three characters
/// of n = a*256 + b in base 45, least significant first; a final odd byte becomes two characters.
/// The alphabet is "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:". Empty input gives "".
/// Output length is 3 * (n / 2) + 2 * (n % 2) characters. Cannot fail; never throws except
/// std::bad_alloc.
SDC_EXPORT std::string base45_encode(std::span<const std::uint8_t> bytes);
/// The length of the Base45 text of `bytes` bytes: 3 * (bytes / 2) + 2 * (bytes % 2).
constexpr std::size_t base45_length(std::size_t bytes) noexcept {
  return bytes / 2 * 3 + bytes % 2 * 2;
}
/// Appends the Base45 text of `bytes` to `out` (one allocation at most, for a prefix + text).
SDC_EXPORT void base45_append(std::span<const std::uint8_t> bytes, std::string& out);

/// Decodes Base45 text (RFC 9285 §4.4). Strict: every character must be in the 45-character
/// alphabet (no lower case, no whitespace, no padding), the length modulo 3 must not be 1, a
/// triplet must not exceed 65535 and a final pair must not exceed 255 (§6).
/// Errors: Errc::bad_seal with the offset of the first bad character or group in the message.
/// What to do: the text was mistyped, truncated or is not Base45; rescan the code.
SDC_EXPORT Result<std::vector<std::uint8_t>> base45_decode(std::string_view text);

// ---------------------------------------------------------------------------------------------
// QR encoding
// ---------------------------------------------------------------------------------------------

/// QR error-correction levels (ISO/IEC 18004 §7.5.1): recovery capacity about 7, 15, 25, 30 %.
enum class QrEcLevel { L, M, Q, H };

/// "L", "M", "Q", "H".
SDC_EXPORT const char* to_string(QrEcLevel level) noexcept;

/// A QR code as a square matrix of modules, without quiet zone. An immutable value.
struct QrMatrix {
  int size = 0;     ///< modules per side: 17 + 4 * version (21 .. 177); 0 when empty
  int version = 0;  ///< 1 .. 40; 0 when empty
  QrEcLevel ec_level = QrEcLevel::M;
  /// size * size values, row by row from the top-left module: 1 = dark, 0 = light.
  std::vector<std::uint8_t> modules;

  bool empty() const noexcept { return size == 0; }
  /// The module at column x, row y (0 <= x, y < size; unchecked): true when dark.
  bool at(int x, int y) const noexcept { return modules[static_cast<std::size_t>(y) * size + x] != 0; }
};

/// Encodes text as the smallest QR code (version 1 to 40) that holds it at `ec` level, with mask
/// selection per ISO/IEC 18004. Runs of upper-case alphanumeric characters (the Base45 set) are
/// held in alphanumeric mode, digits in numeric mode, anything else in byte mode (UTF-8 bytes, no
/// ECI). Errors: Errc::invalid_argument for empty text or text with a NUL byte;
/// Errc::does_not_fit when the text exceeds version 40 at that level (shorten the text or lower
/// the error-correction level). Deterministic: the same text and level give the same matrix.
SDC_EXPORT Result<QrMatrix> encode_qr(std::string_view text, QrEcLevel ec = QrEcLevel::M);

/// Alphanumeric-mode capacity of a version 12 QR code at level M (ISO/IEC 18004 table 7): the
/// largest seal text that keeps the code at version 12 or below, as the card layout assumes.
inline constexpr int qr_v12m_alphanumeric_capacity = 419;

// ---------------------------------------------------------------------------------------------
// Layout on the card
// ---------------------------------------------------------------------------------------------

/// Where and how big a QR code is drawn.
struct QrLayout {
  /// Module size: a whole number of device pixels (`module_px`) converted back to mm, so every
  /// module edge falls on a pixel edge and no module is blurred by resampling.
  Mm module{0};
  int module_px = 0;
  int quiet_zone = 4;  ///< light modules around the code on each side
  /// Side of the whole symbol including the quiet zone: (size + 2 * quiet_zone) * module.
  Mm total{0};
  int total_px = 0;
  /// Empty, or a sentence for the person laying out the card: the box is too small for modules
  /// of at least 0.25 mm (ordinary scanners and phones struggle below that), or for even one
  /// device pixel per module.
  std::string warning;
};

/// Lays out `qr` in a square box of side `box_size` at `dpi`: the largest whole number of device
/// pixels per module such that the symbol and its quiet zone fit in the box. When even one pixel
/// per module does not fit, module_px is 1 (the symbol overflows the box) and `warning` says so.
/// `quiet_zone` is 0 to 16 modules (ISO/IEC 18004 asks for 4); out-of-range values are clamped.
/// Pure function; an empty matrix gives a zero layout with a warning.
SDC_EXPORT QrLayout layout_qr(const QrMatrix& qr, Mm box_size, Dpi dpi, int quiet_zone = 4);

// ---------------------------------------------------------------------------------------------
// QR decoding
// ---------------------------------------------------------------------------------------------

/// One QR code found in an image.
struct QrDecoded {
  std::string text;                 ///< the content as text (UTF-8)
  std::vector<std::uint8_t> bytes;  ///< the content as stored, byte for byte
  std::string ec_level;             ///< "L", "M", "Q", "H", or "" if unknown
  /// Corners in image pixels: top-left, top-right, bottom-right, bottom-left of the symbol as
  /// printed (they rotate with the image).
  struct Point {
    int x = 0, y = 0;
  };
  std::array<Point, 4> corners{};
};

/// Options for reading QR codes from an image.
struct QrDecodeOptions {
  bool try_harder = true;  ///< spend more time: rotations, inverted codes, downscaled copies
  int max_symbols = 8;     ///< stop after this many codes (1..255)
};

/// Finds and decodes every QR code in an image (gray8, rgb8 or rgba8; cmyk8 is read through its K
/// channel inverted). Returns the codes read, possibly none. Only codes that decode with a valid
/// error correction are returned; an unreadable code is simply absent (a finding for the caller,
/// not an error). Thread-safe; the image is not modified or retained.
SDC_EXPORT std::vector<QrDecoded> decode_qr_codes(const ImageView& image, const QrDecodeOptions& options = {});

/// The texts of the QR codes in an image, in the order found (see decode_qr_codes).
SDC_EXPORT std::vector<std::string> decode_qr(const ImageView& image);

}  // namespace sdc
