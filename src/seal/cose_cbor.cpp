// COSE_Sign1 (RFC 9052) and CWT claims (RFC 8392) with libcbor.
#include "seal/cbor_util_cbor.hpp"
#include "seal/seal_detail.hpp"

#include <cmath>

namespace sdc::detail {
namespace {

constexpr std::uint64_t kTagCoseSign1 = 18;
constexpr std::uint64_t kTagCwt = 61;
constexpr std::int64_t kHeaderAlg = 1;
constexpr std::int64_t kHeaderKid = 4;

Error cose_error(std::string message) {
  return Error(Errc::bad_seal, "not a COSE_Sign1 message: " + std::move(message),
               "the code was not made by a COSE signer, or it is damaged; rescan it");
}

// Reads alg and kid from a header map. Duplicate labels are refused (RFC 9052 §3).
bool read_header(const cbor_item_t* map, std::optional<std::int64_t>& alg, std::string& alg_text,
                 std::vector<std::uint8_t>& kid, bool& has_kid, std::string& error) {
  if (!cbor_isa_map(map)) {
    error = "a header bucket is not a map";
    return false;
  }
  const std::size_t n = cbor_map_size(map);
  const cbor_pair* pairs = cbor_map_handle(map);
  SeenKeys seen;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t label = 0;
    if (!get_int(pairs[i].key, label)) continue;  // text labels: not ours to read
    if (!seen.insert(label)) {
      error = "header label " + std::to_string(label) + " appears twice";
      return false;
    }
    if (label == kHeaderAlg) {
      std::int64_t v = 0;
      if (!get_int(pairs[i].value, v)) {
        if (get_text(pairs[i].value, alg_text)) continue;  // a named algorithm: unsupported, not malformed
        error = "the algorithm header is neither an integer nor a text";
        return false;
      }
      alg = v;
    } else if (label == kHeaderKid) {
      if (!get_bytes(pairs[i].value, kid)) {
        error = "the kid header is not a byte string";
        return false;
      }
      has_kid = true;
    }
  }
  return true;
}

}  // namespace

std::vector<std::uint8_t> cose_protected_header(int alg, std::span<const std::uint8_t> kid) {
  std::vector<std::uint8_t> out;
  out.reserve(16 + kid.size());
  CborWriter w(out);
  w.map(kid.empty() ? 1 : 2);
  w.integer(kHeaderAlg);
  w.integer(alg);
  if (!kid.empty()) {
    w.integer(kHeaderKid);
    w.bytes(kid);
  }
  return out;
}

std::vector<std::uint8_t> cose_sig_structure(std::span<const std::uint8_t> protected_bucket,
                                             std::span<const std::uint8_t> external_aad,
                                             std::span<const std::uint8_t> payload) {
  std::vector<std::uint8_t> out;
  out.reserve(48 + protected_bucket.size() + external_aad.size() + payload.size());
  CborWriter w(out);
  w.array(4);
  w.text("Signature1");
  w.bytes(protected_bucket);
  w.bytes(external_aad);
  w.bytes(payload);
  return out;
}

std::vector<std::uint8_t> cose_sign1_message(std::span<const std::uint8_t> protected_bucket,
                                             std::span<const std::uint8_t> payload,
                                             std::span<const std::uint8_t> signature) {
  std::vector<std::uint8_t> out;
  out.reserve(48 + protected_bucket.size() + payload.size() + signature.size());
  CborWriter w(out);
  w.tag(kTagCoseSign1);
  w.array(4);
  w.bytes(protected_bucket);
  w.map(0);  // unprotected header: empty
  w.bytes(payload);
  w.bytes(signature);
  return out;
}

Result<CoseSign1> parse_cose_sign1(std::span<const std::uint8_t> message) {
  // libcbor 0.8 refuses the one-byte tag heads 0xC6..0xD4 ("unassigned" in RFC 7049), and COSE_Sign1
  // is tag 18 = 0xD2. So the outer tags (61 for CWT, then 18) are read here, from their heads only;
  // libcbor parses everything inside.
  std::vector<std::uint64_t> tags;
  std::size_t pos = 0;
  while (pos < message.size() && (message[pos] >> 5) == 6 && tags.size() < 2) {
    const std::uint8_t info = message[pos] & 0x1F;
    if (info < 24) {
      tags.push_back(info);
      pos += 1;
    } else if (info == 24 && pos + 1 < message.size()) {
      tags.push_back(message[pos + 1]);
      pos += 2;
    } else if (info == 25 && pos + 2 < message.size()) {
      tags.push_back(std::uint64_t{message[pos + 1]} << 8 | message[pos + 2]);
      pos += 3;
    } else {
      return cose_error("unsupported tag encoding at offset " + std::to_string(pos));
    }
  }
  if (!tags.empty() && tags.front() == kTagCwt) tags.erase(tags.begin());
  if (!tags.empty() && tags.front() != kTagCoseSign1)
    return cose_error("tag " + std::to_string(tags.front()) + " where COSE_Sign1 has tag 18");
  if (tags.size() > 1) return cose_error("unexpected tag " + std::to_string(tags[1]) + " inside the COSE_Sign1 tag");
  std::string error;
  CborPtr root = cbor_load_checked(message.subspan(pos), error);
  if (!root) return cose_error(error);
  const cbor_item_t* item = root.get();
  if (!item || !cbor_isa_array(item) || !cbor_array_is_definite(item) || cbor_array_size(item) != 4)
    return cose_error("expected an array of 4 elements [protected, unprotected, payload, signature]");
  cbor_item_t** el = cbor_array_handle(item);
  CoseSign1 out;
  if (!get_bytes(el[0], out.protected_bucket)) return cose_error("element 0 (protected header) is not a byte string");
  if (!cbor_isa_map(el[1])) return cose_error("element 1 (unprotected header) is not a map");
  if (!get_bytes(el[2], out.payload))
    return cose_error(cbor_is_null(el[2]) ? "the payload is detached (nil); sdc seals carry it"
                                          : "element 2 (payload) is not a byte string");
  if (!get_bytes(el[3], out.signature)) return cose_error("element 3 (signature) is not a byte string");

  std::vector<std::uint8_t> kid_p, kid_u;
  bool has_kid_p = false, has_kid_u = false;
  if (!out.protected_bucket.empty()) {
    CborPtr prot = cbor_load_checked(out.protected_bucket, error);
    if (!prot) return cose_error("protected header: " + error);
    if (!read_header(prot.get(), out.alg, out.alg_text, kid_p, has_kid_p, error))
      return cose_error("protected header: " + error);
  }
  std::optional<std::int64_t> alg_u;
  std::string alg_text_u;
  if (!read_header(el[1], alg_u, alg_text_u, kid_u, has_kid_u, error))
    return cose_error("unprotected header: " + error);
  if (out.alg_text.empty() && !out.alg) out.alg_text = alg_text_u;
  out.alg_unprotected_only = !out.alg && alg_u.has_value();
  if (!out.alg && alg_u) out.alg = alg_u;
  if (has_kid_p) {
    out.kid = std::move(kid_p);
    out.kid_protected = true;
  } else if (has_kid_u) {
    out.kid = std::move(kid_u);
  }
  return out;
}

Result<CwtTimes> parse_cwt_times(std::span<const std::uint8_t> claims) {
  std::string error;
  CborPtr root = cbor_load_checked(claims, error);
  if (!root) return Error(Errc::bad_seal, "the CWT claims are not CBOR: " + error, "the issuer's payload is broken");
  if (!cbor_isa_map(root.get()))
    return Error(Errc::bad_seal, "the CWT claims are not a map", "the issuer's payload is broken");
  CwtTimes t;
  const std::size_t n = cbor_map_size(root.get());
  const cbor_pair* pairs = cbor_map_handle(root.get());
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t label = 0;
    if (!get_int(pairs[i].key, label) || (label != 4 && label != 6)) continue;
    const cbor_item_t* v = pairs[i].value;
    if (cbor_isa_tag(v) && cbor_tag_value(v) == 1) v = cbor_tag_content(v);  // epoch-based date/time tag
    std::int64_t seconds = 0;
    if (!get_int(v, seconds)) {
      if (v && cbor_isa_float_ctrl(v) && !cbor_float_ctrl_is_ctrl(v)) {
        const double d = cbor_float_get_float(v);
        if (!std::isfinite(d) || std::fabs(d) > 1e15)
          return Error(Errc::bad_seal, "CWT time claim out of range", "the issuer's payload is broken");
        seconds = static_cast<std::int64_t>(std::floor(d));
      } else {
        return Error(Errc::bad_seal, std::string("CWT claim ") + (label == 4 ? "exp" : "iat") + " is not a number",
                     "the issuer's payload is broken");
      }
    }
    (label == 4 ? t.exp : t.iat) = seconds;
  }
  return t;
}

}  // namespace sdc::detail
