// JSON trust lists and revocation lists (revoked.json), read strictly: a misspelt or repeated key
// is an error, because an ignored "revoked_kid" would let a revoked key verify as valid.
#include "seal/seal_detail.hpp"

#include <nlohmann/json.hpp>

#include "json/json_reader.hpp"
#include "json/json_util.hpp"

namespace sdc::detail {
namespace {

// Errors about trust files carry Errc::bad_key, whatever the shared JSON helpers call them.
Error as_trust_error(const Error& e) {
  return Error(Errc::bad_key, e.message(), e.hint(), e.where());
}

struct Source {
  const std::string& file;
  const JsonLines& lines;
};

Error json_error(const Source& src, const std::string& path, std::string message, std::string hint) {
  return Error(Errc::bad_key, std::move(message), std::move(hint),
               Where{.file = src.file, .json_path = path, .line = src.lines.line_of(path)});
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

Status add_certs(const nlohmann::json& arr, const Source& file, const std::string& path, TrustStore& store) {
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

// A revoked document number is compared ignoring ASCII case (TrustStore::revoke_document); an
// entry that could never match a printed number (empty, padded with spaces) is refused.
bool plausible_document(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

Status revoke(const nlohmann::json& j, const char* member, bool kids, const Source& file, TrustStore& store) {
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
    } else if (!plausible_document(s)) {
      return json_error(file, path + "/" + std::to_string(i),
                        "document number '" + s + "' is empty, padded with spaces or holds control characters.",
                        "write the document number exactly as printed (e.g. \"XA0000417\"); case does not matter");
    } else {
      store.revoke_document(s);
    }
  }
  return {};
}

}  // namespace

Status load_trust_json(std::string_view text, const std::string& file, TrustJson kind, TrustStore& store) {
  const bool revocations = kind == TrustJson::revocations;
  auto parsed = parse_json_text(text, file);
  if (!parsed) return as_trust_error(parsed.error());
  const nlohmann::json& j = *parsed;
  const JsonLines lines(text);
  const Source src{file, lines};
  if (j.is_array() && !revocations) return add_certs(j, src, "", store);
  if (!j.is_object())
    return json_error(src, "", revocations ? "revoked.json must be a JSON object." : "expected a JSON object or array.",
                      revocations
                          ? R"(write {"kids": ["hex", ...], "documents": ["XA0000417", ...]})"
                          : R"(write {"certificates": [...], "revoked_kids": [...], "revoked_documents": [...]})");
  // revoked.json says "kids"/"documents", a trust list "revoked_kids"/"revoked_documents": the
  // other file's spelling gets its own hint, any other unknown key the list of known ones.
  const char* kids = revocations ? "kids" : "revoked_kids";
  const char* documents = revocations ? "documents" : "revoked_documents";
  const char* other_kids = revocations ? "revoked_kids" : "kids";
  const char* other_documents = revocations ? "revoked_documents" : "documents";
  for (auto [other, mine] : {std::pair{other_kids, kids}, std::pair{other_documents, documents}})
    if (j.contains(other))
      return json_error(src, std::string("/") + other, std::string("unknown key '") + other + "'.",
                        std::string("write \"") + mine + "\" here (\"" + other + "\" is the spelling of " +
                            (revocations ? "a JSON trust list" : "revoked.json in a trust folder") + ").");
  JsonReader reader(j, "", file, lines);
  if (!revocations) reader.accept("certificates");
  reader.accept(kids);
  reader.accept(documents);
  if (auto s = reader.check_unknown_keys(); !s) return as_trust_error(s.error());

  if (j.contains("certificates")) SDC_TRY(add_certs(j["certificates"], src, "/certificates", store));
  SDC_TRY(revoke(j, kids, true, src, store));
  SDC_TRY(revoke(j, documents, false, src, store));
  return {};
}

}  // namespace sdc::detail
