// JSON for seal verification results and --at time parsing, shared by verify-seal and verify.
#pragma once

#include <nlohmann/json.hpp>
#include <sdc/seal.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sdc::cli {

std::string hex(const std::vector<std::uint8_t>& b);
/// --at: Unix seconds, YYYY-MM-DD (00:00 UTC) or YYYY-MM-DDTHH:MM:SSZ.
bool parse_time(const std::string& s, std::int64_t& out);
/// The time to check seals at: now, or --at when given (errors say the accepted forms).
Result<std::int64_t> check_time(const std::string& at);
/// A trust store from a folder of certificates or a JSON trust list.
Result<TrustStore> load_trust(const std::string& path);
/// The verification as JSON: valid, reason, message, kid, alg, signer, payload fields.
nlohmann::ordered_json verification_json(const SealVerification& v);

}  // namespace sdc::cli
