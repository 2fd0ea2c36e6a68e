// SHA-256 and HMAC-SHA256 (OpenSSL), and hex formatting: shared by templates (content ids),
// compose (personal pattern seeds) and the seal.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc::detail {

using Digest = std::array<std::uint8_t, 32>;
/// SHA-256 (the one implementation in sdc); throws std::runtime_error if OpenSSL fails (out of memory).
Digest digest_sha256(std::span<const std::uint8_t> data);
Digest digest_sha256(std::string_view data);
Digest hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);
std::string to_hex(std::span<const std::uint8_t> bytes);
/// Parses hex (even length, either case); false on anything else.
bool from_hex(std::string_view hex, std::vector<std::uint8_t>& out);

}  // namespace sdc::detail
