#include "seal_json.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace sdc::cli {

std::string hex(const std::vector<std::uint8_t>& b) {
  std::string s;
  for (auto c : b) {
    s.push_back("0123456789abcdef"[c >> 4]);
    s.push_back("0123456789abcdef"[c & 15]);
  }
  return s;
}

bool parse_time(const std::string& s, std::int64_t& out) {
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    out = std::stoll(s);
    return true;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  char tail = 0;
  if (s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &mo, &d) == 3) {
  } else if (s.size() == 20 &&
             std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &tail) == 7 &&
             tail == 'Z') {
  } else {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  const int yy = y - (mo <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  out = (std::int64_t{era} * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

Result<std::int64_t> check_time(const std::string& at) {
  std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!at.empty() && !parse_time(at, now))
    return Error(Errc::invalid_argument, "--at '" + at + "' is not a time.",
                 "give Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.");
  return now;
}

Result<TrustStore> load_trust(const std::string& path) {
  return std::filesystem::is_directory(path) ? TrustStore::load_dir(path) : TrustStore::load_json(path);
}

nlohmann::ordered_json verification_json(const SealVerification& v) {
  nlohmann::ordered_json j;
  j["valid"] = v.valid();
  j["reason"] = to_string(v.reason);
  j["message"] = v.message;
  if (!v.kid.empty()) j["kid"] = hex(v.kid);
  if (v.cose_alg != 0) j["alg"] = v.algorithm ? to_string(*v.algorithm) : std::to_string(v.cose_alg);
  j["compressed"] = v.compressed;
  if (v.signer) {
    j["signer"] = {{"subject", v.signer->subject}, {"key_type", v.signer->key_type}};
    if (v.signer->has_validity) {
      j["signer"]["not_before"] = v.signer->not_before;
      j["signer"]["not_after"] = v.signer->not_after;
    }
  }
  if (v.payload) {
    const SealPayload& p = *v.payload;
    nlohmann::ordered_json pj;
    pj["version"] = p.version;
    auto put = [&](const char* k, const std::string& s) {
      if (!s.empty()) pj[k] = s;
    };
    put("issuer", p.issuer);
    put("office", p.office);
    put("document_number", p.document_number);
    put("registration_number", p.registration_number);
    put("docket_number", p.docket_number);
    put("surname", p.surname);
    put("given_names", p.given_names);
    put("surname_latin", p.surname_latin);
    put("given_names_latin", p.given_names_latin);
    put("date_of_birth", p.date_of_birth);
    put("sex", p.sex);
    put("nationality", p.nationality);
    put("issue_date", p.issue_date);
    put("expiry_date", p.expiry_date);
    put("card_variant", p.card_variant);
    put("pattern_id", p.pattern_id);
    if (!p.photo_hash.empty()) pj["photo_hash"] = hex(p.photo_hash);
    j["payload"] = pj;
  } else if (!v.payload_bytes.empty()) {
    j["payload_hex"] = hex(v.payload_bytes);
  }
  if (v.issued_at) j["issued_at"] = *v.issued_at;
  if (v.expires_at) j["expires_at"] = *v.expires_at;
  return j;
}

}  // namespace sdc::cli
