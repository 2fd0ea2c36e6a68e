// JSON trust lists and revocation lists, read with nlohmann-json.
#include "seal/seal_detail.hpp"

#include <nlohmann/json.hpp>

namespace sdc::detail {
namespace {

Error json_error(const std::string& file, const std::string& path, std::string message, std::string hint) {
  return Error(Errc::bad_key, std::move(message), std::move(hint), Where{.file = file, .json_path = path});
}

bool from_hex(const std::string& s, std::vector<std::uint8_t>& out) {
  if (s.size() % 2 != 0 || s.empty()) return false;
  out.clear();
  for (std::size_t i = 0; i < s.size(); i += 2) {
    auto v = [](char c) {
      return c >= '0' && c <= '9'   ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                    : -1;
    };
    const int hi = v(s[i]), lo = v(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return true;
}

bool from_base64(const std::string& s, std::vector<std::uint8_t>& out) {
  out.clear();
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+' || c == '-' ? 62
            : c == '/' || c == '_' ? 63
                                   : -1;
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  return !out.empty();
}

Status add_certs(const nlohmann::json& arr, const std::string& file, const std::string& path, TrustStore& store) {
  if (!arr.is_array())
    return json_error(file, path, "expected an array of certificates", "list PEM texts or base64 DER strings");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = path + "/" + std::to_string(i);
    if (!arr[i].is_string())
      return json_error(file, p, "a certificate must be a string", "give PEM text or base64 DER");
    const std::string s = arr[i].get<std::string>();
    std::vector<std::uint8_t> bytes;
    if (s.find("-----BEGIN") != std::string::npos) {
      bytes.assign(s.begin(), s.end());
    } else if (!from_base64(s, bytes)) {
      return json_error(file, p, "a certificate is neither PEM nor base64", "give PEM text or base64 DER");
    }
    auto st = store.add_certificate(bytes);
    if (!st) {
      Error e = std::move(st).error();
      return json_error(file, p, e.message(), e.hint());
    }
  }
  return {};
}

Status revoke(const nlohmann::json& j, const char* member, bool kids, const std::string& file, TrustStore& store) {
  if (!j.contains(member)) return {};
  const auto& arr = j[member];
  const std::string path = std::string("/") + member;
  if (!arr.is_array())
    return json_error(file, path, "expected an array", kids ? "list kids as hex" : "list document numbers");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string())
      return json_error(file, path + "/" + std::to_string(i), "expected a string",
                        kids ? "write the kid as hex (16 digits)" : "write the document number as a string");
    const std::string s = arr[i].get<std::string>();
    if (kids) {
      std::vector<std::uint8_t> kid;
      if (!from_hex(s, kid))
        return json_error(file, path + "/" + std::to_string(i), "kid '" + s + "' is not hex", "write the kid as hex");
      store.revoke_kid(kid);
    } else {
      store.revoke_document(s);
    }
  }
  return {};
}

}  // namespace

Status load_revocations_json(std::string_view text, const std::string& file, TrustStore& store) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return json_error(file, "", std::string("malformed JSON: ") + e.what(), "fix the JSON syntax");
  }
  if (j.is_array()) return add_certs(j, file, "", store);
  if (!j.is_object()) return json_error(file, "", "expected a JSON object or array", "see docs/seal.md, 'Trust store'");
  if (j.contains("certificates")) {
    auto s = add_certs(j["certificates"], file, "/certificates", store);
    if (!s) return s;
  }
  // Two spellings: revoked.json uses "kids"/"documents", a trust list "revoked_kids"/"revoked_documents".
  for (auto [member, kids] : {std::pair{"kids", true}, std::pair{"revoked_kids", true}, std::pair{"documents", false},
                              std::pair{"revoked_documents", false}}) {
    auto s = revoke(j, member, kids, file, store);
    if (!s) return s;
  }
  return {};
}

}  // namespace sdc::detail
