// Base45, RFC 9285. Written here (no library) so that the strict decoding rules of §4.4 and §6
// are ours to test.
#include <sdc/qr.hpp>

#include "core/digest.hpp"

#include <array>
#include <string>

namespace sdc {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

constexpr std::array<signed char, 256> make_reverse() {
  std::array<signed char, 256> r{};
  for (auto& v : r) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    r[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  return r;
}
constexpr auto kReverse = make_reverse();

Error base45_error(std::string message) {
  return Error(Errc::bad_seal, std::move(message),
               "the text is not Base45 (RFC 9285): it was mistyped, truncated or read from another kind of code; "
               "rescan the QR code");
}

}  // namespace

void base45_append(std::span<const std::uint8_t> bytes, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + base45_length(bytes.size()));
  char* p = out.data() + start;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    const unsigned n = bytes[i] * 256u + bytes[i + 1];
    const unsigned q = n / 45;
    *p++ = kAlphabet[n - q * 45];
    *p++ = kAlphabet[q % 45];
    *p++ = kAlphabet[q / 45];
  }
  if (i < bytes.size()) {
    const unsigned n = bytes[i];
    *p++ = kAlphabet[n % 45];
    *p++ = kAlphabet[n / 45];
  }
}

std::string base45_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  base45_append(bytes, out);
  return out;
}

Result<std::vector<std::uint8_t>> base45_decode(std::string_view text) {
  if (text.size() % 3 == 1)
    return base45_error("Base45 text of " + std::to_string(text.size()) +
                        " characters: the length must not be 1 more than a multiple of 3");
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t group = std::min<std::size_t>(3, text.size() - i);
    unsigned digits[3] = {0, 0, 0};
    for (std::size_t k = 0; k < group; ++k) {
      const int v = kReverse[static_cast<unsigned char>(text[i + k])];
      if (v < 0)
        return base45_error("character " + std::to_string(i + k) + " (byte 0x" +
                            detail::to_hex(std::span(reinterpret_cast<const std::uint8_t*>(text.data()) + i + k, 1)) +
                            ") is not in the Base45 alphabet");
      digits[k] = static_cast<unsigned>(v);
    }
    const unsigned n = digits[0] + digits[1] * 45 + digits[2] * 45 * 45;
    if (group == 3) {
      if (n > 0xFFFF)
        return base45_error("characters " + std::to_string(i) + " to " + std::to_string(i + 2) + " encode " +
                            std::to_string(n) + ", more than 65535");
      out.push_back(static_cast<std::uint8_t>(n >> 8));
      out.push_back(static_cast<std::uint8_t>(n & 0xFF));
    } else {
      if (n > 0xFF)
        return base45_error("the final two characters (at " + std::to_string(i) + ") encode " + std::to_string(n) +
                            ", more than 255");
      out.push_back(static_cast<std::uint8_t>(n));
    }
  }
  return out;
}

}  // namespace sdc
