// Sealing and verification: the steps of docs/seal.md, built on the cbor/ossl/zlib files.
#include <sdc/seal.hpp>

#include <sdc/qr.hpp>

#include "core/digest.hpp"
#include "seal/seal_detail.hpp"

#include <algorithm>
#include <bit>

namespace sdc {
namespace detail {

std::pair<SealReason, std::string> seal_failure_from_exception(std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(std::move(e));
  } catch (const std::bad_alloc&) {
    return {SealReason::out_of_memory, "out of memory while verifying the seal (not a verdict about the seal)"};
  } catch (const std::exception& ex) {
    try {
      return {SealReason::internal_error, std::string("internal error while verifying the seal (not a verdict about "
                                                      "the seal; please report it): ") +
                                              ex.what()};
    } catch (...) {
    }
  } catch (...) {
  }
  return {SealReason::internal_error, {}};
}

}  // namespace detail

using namespace detail;

std::string to_hex(std::span<const std::uint8_t> b) {
  return detail::to_hex(b);
}

const char* to_string(SignatureAlg alg) noexcept {
  return alg == SignatureAlg::es256 ? "ES256" : "EdDSA";
}
int cose_algorithm(SignatureAlg alg) noexcept {
  return alg == SignatureAlg::es256 ? -7 : -8;
}

const char* to_string(SealReason r) noexcept {
  switch (r) {
    case SealReason::valid: return "valid";
    case SealReason::bad_prefix: return "bad_prefix";
    case SealReason::bad_base45: return "bad_base45";
    case SealReason::bad_compression: return "bad_compression";
    case SealReason::too_large: return "too_large";
    case SealReason::malformed_cose: return "malformed_cose";
    case SealReason::unsupported_algorithm: return "unsupported_algorithm";
    case SealReason::unknown_kid: return "unknown_kid";
    case SealReason::bad_signature: return "bad_signature";
    case SealReason::certificate_not_valid: return "certificate_not_valid";
    case SealReason::revoked: return "revoked";
    case SealReason::malformed_payload: return "malformed_payload";
    case SealReason::not_yet_valid: return "not_yet_valid";
    case SealReason::expired: return "expired";
    case SealReason::out_of_memory: return "out_of_memory";
    case SealReason::internal_error: return "internal_error";
  }
  return "unknown";
}

namespace {

bool qr_alphanumeric(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           std::string_view(" $%*+-./:").find(c) != std::string_view::npos;
  });
}

std::string hex(std::span<const std::uint8_t> b) {
  return detail::to_hex(b);
}

SealVerification fail(SealVerification& v, SealReason reason, std::string message) {
  v.reason = reason;
  v.message = std::move(message);
  return std::move(v);
}

}  // namespace

Result<std::vector<std::uint8_t>> make_cose_sign1(std::span<const std::uint8_t> payload, const Signer& signer) {
  const auto kid = signer.key_id();
  const auto prot = cose_protected_header(cose_algorithm(signer.algorithm()), kid);
  const auto tbs = cose_sig_structure(prot, {}, payload);
  SDC_TRY_ASSIGN(auto sig, signer.sign(tbs));
  if (sig.size() != 64)
    return Error(Errc::bad_key,
                 "the signer returned a " + std::to_string(sig.size()) + "-byte signature; COSE " +
                     to_string(signer.algorithm()) + " needs 64 bytes",
                 "a custom Signer must return ES256 signatures as raw r||s (not DER)");
  return cose_sign1_message(prot, payload, sig);
}

Result<std::string> make_seal(const SealPayload& payload, const Signer& signer, const SealOptions& options) {
  if (!qr_alphanumeric(options.prefix))
    return Error(Errc::invalid_argument,
                 "seal prefix '" + options.prefix + "' has characters outside the QR alphanumeric set",
                 "use upper-case letters, digits and ' $%*+-./:' only, e.g. SDC1:");
  SDC_TRY_ASSIGN(auto cbor, encode_seal_payload(payload));
  SDC_TRY_ASSIGN(auto cose, make_cose_sign1(cbor, signer));
  std::vector<std::uint8_t> wire = std::move(cose);
  // Deflate only when it might shrink the message, or when the raw seal would be too long: a
  // skipped trial can then cost a few bytes at most, never a refusal.
  if (options.compress &&
      (deflate_might_shrink(wire) || options.prefix.size() + base45_length(wire.size()) > options.max_chars)) {
    auto z = zlib_compress(wire);
    if (z.size() < wire.size()) wire = std::move(z);
  }
  std::string text;
  text.reserve(options.prefix.size() + base45_length(wire.size()));
  text = options.prefix;
  base45_append(wire, text);
  if (text.size() > options.max_chars)
    return Error(Errc::does_not_fit,
                 "the seal is " + std::to_string(text.size()) + " characters (payload " + std::to_string(cbor.size()) +
                     " bytes), over the limit of " + std::to_string(options.max_chars) +
                     " that keeps its QR code within version 12 at level M",
                 "shorten the longest fields (names, numbers), or raise SealOptions::max_chars together with the "
                 "QR box size");
  return text;
}

namespace {

SealVerification verify_cose(std::span<const std::uint8_t> cose, const TrustStore& trust, std::int64_t now,
                             const VerifyOptions& options) {
  SealVerification v;
  auto parsed = parse_cose_sign1(cose);
  if (!parsed) return fail(v, SealReason::malformed_cose, parsed.error().message());
  CoseSign1& msg = *parsed;
  v.kid = msg.kid;
  v.cose_alg = static_cast<int>(msg.alg.value_or(0));
  if (!msg.alg)
    return fail(v, SealReason::unsupported_algorithm,
                msg.alg_text.empty() ? "the COSE header names no algorithm"
                                     : "algorithm '" + msg.alg_text + "' (given by name) is not supported");
  if (*msg.alg == -7) {
    v.algorithm = SignatureAlg::es256;
  } else if (*msg.alg == -8) {
    v.algorithm = SignatureAlg::ed25519;
  } else {
    static constexpr std::pair<int, const char*> kKnown[] = {{-35, "ES384"}, {-36, "ES512"}, {-37, "PS256"},
                                                             {-38, "PS384"}, {-39, "PS512"}, {-257, "RS256"}};
    std::string name = "COSE algorithm " + std::to_string(*msg.alg);
    for (auto [n, s] : kKnown)
      if (n == *msg.alg) name = std::string(s) + " (" + std::to_string(n) + ")";
    return fail(v, SealReason::unsupported_algorithm,
                name +
                    " is not supported; sdc verifies ES256 (-7) and EdDSA "
                    "with Ed25519 (-8)");
  }
  if (msg.kid.empty()) return fail(v, SealReason::unknown_kid, "the COSE header has no kid");
  const auto& entries = trust.impl().entries;
  const auto tbs = cose_sig_structure(msg.protected_bucket, options.external_aad, msg.payload);
  bool any_kid = false, any_fit = false;
  std::string wrong_types;
  const TrustStore::Impl::Entry* signer = nullptr;
  for (const auto& e : entries) {
    if (e.info.kid != msg.kid) continue;
    any_kid = true;
    const SigCheck c = verify_signature(*v.algorithm, *e.key, tbs, msg.signature);
    if (c == SigCheck::wrong_key_type) {
      wrong_types += (wrong_types.empty() ? "" : ", ") + e.info.key_type;
      continue;
    }
    any_fit = true;
    if (c == SigCheck::ok) {
      signer = &e;
      break;
    }
  }
  if (!any_kid) return fail(v, SealReason::unknown_kid, "no trusted key has kid " + hex(msg.kid));
  if (!any_fit)
    return fail(v, SealReason::unsupported_algorithm,
                "the trusted key for kid " + hex(msg.kid) + " is " + wrong_types + ", which cannot verify " +
                    to_string(*v.algorithm) +
                    (*v.algorithm == SignatureAlg::es256 ? " (needs P-256)" : " (needs Ed25519)"));
  if (!signer)
    return fail(v, SealReason::bad_signature,
                "the " + std::string(to_string(*v.algorithm)) + " signature does not verify with the trusted key " +
                    hex(msg.kid) + ": the data or the signature were changed, or another key signed it");
  v.signer = signer->info;
  v.payload_bytes = msg.payload;
  if (signer->info.has_validity && (now < signer->info.not_before || now > signer->info.not_after))
    return fail(v, SealReason::certificate_not_valid,
                "the signer certificate (" + signer->info.subject + ") is valid from " +
                    utc_text(signer->info.not_before) + " to " + utc_text(signer->info.not_after) + ", not at " +
                    utc_text(now));
  if (trust.is_revoked_kid(msg.kid))
    return fail(v, SealReason::revoked, "the signer key " + hex(msg.kid) + " is revoked");

  if (options.payload_format == PayloadFormat::cwt) {
    auto t = parse_cwt_times(msg.payload);
    if (!t)
      return fail(v, SealReason::malformed_payload,
                  "the signature is valid (signed by " + signer->info.subject + ", kid " + hex(msg.kid) +
                      "), but the payload is not CWT claims: " + t.error().message());
    v.issued_at = t->iat;
    v.expires_at = t->exp;
    if (t->iat && now < *t->iat)
      return fail(v, SealReason::not_yet_valid, "issued at " + utc_text(*t->iat) + ", after " + utc_text(now));
    if (t->exp && now > *t->exp)
      return fail(v, SealReason::expired, "expired at " + utc_text(*t->exp) + ", before " + utc_text(now));
  } else if (options.payload_format == PayloadFormat::sdc_card) {
    auto p = decode_seal_payload(msg.payload);
    if (!p)
      return fail(v, SealReason::malformed_payload,
                  "the signature is valid (signed by " + signer->info.subject + ", kid " + hex(msg.kid) +
                      "), but the payload is not a valid sdc card payload: " + p.error().message());
    v.payload = std::move(*p);
    if (trust.is_revoked_document(v.payload->document_number))
      return fail(v, SealReason::revoked, "document " + v.payload->document_number + " is revoked");
    // Every sdc card expires: a payload without an expiry date would make a card valid forever
    // (sdc never writes one; a forger or a foreign encoder might).
    if (v.payload->expiry_date.empty())
      return fail(v, SealReason::malformed_payload,
                  "the signature is valid (signed by " + signer->info.subject + ", kid " + hex(msg.kid) +
                      "), but the card payload has no expiry date, so the card would never expire");
    {
      // decode_seal_payload produced a valid YYYY-MM-DD; the card is valid through that whole day (UTC).
      const auto& e = v.payload->expiry_date;
      const int y = std::stoi(e.substr(0, 4)), m = std::stoi(e.substr(5, 2)), d = std::stoi(e.substr(8, 2));
      if (now >= (days_from_civil(y, m, d) + 1) * 86400)
        return fail(v, SealReason::expired, "the card expired on " + e + " (checked at " + utc_text(now) + ")");
    }
  }
  v.reason = SealReason::valid;
  v.message =
      "valid: signed by " + signer->info.subject + " (kid " + hex(msg.kid) + ", " + to_string(*v.algorithm) + ")";
  return v;
}

}  // namespace

SealVerification verify_cose_sign1(std::span<const std::uint8_t> cose, const TrustStore& trust, std::int64_t now,
                                   const VerifyOptions& options) {
  SealVerification v;
  try {
    if (cose.size() > options.max_inflated_bytes)
      return fail(v, SealReason::too_large,
                  "the COSE message has " + std::to_string(cose.size()) + " bytes, over the limit of " +
                      std::to_string(options.max_inflated_bytes));
    return verify_cose(cose, trust, now, options);
  } catch (...) {
    // Not a verdict about the seal: the verifier could not finish (error.hpp, exception policy).
    auto [reason, message] = seal_failure_from_exception(std::current_exception());
    v.reason = reason;
    v.message.swap(message);
    return v;
  }
}

SealVerification verify_seal(std::string_view text, const TrustStore& trust, std::int64_t now,
                             const VerifyOptions& options) {
  SealVerification v;
  try {
    if (text.size() > options.max_text_chars)
      return fail(v, SealReason::too_large,
                  "the seal text has " + std::to_string(text.size()) + " characters, over the limit of " +
                      std::to_string(options.max_text_chars));
    if (text.substr(0, options.prefix.size()) != options.prefix) {
      const auto colon = text.find(':');
      return fail(v, SealReason::bad_prefix,
                  "the text does not start with '" + options.prefix + "'" +
                      (colon != std::string_view::npos && colon < 8
                           ? " (it starts with '" + std::string(text.substr(0, colon + 1)) + "')"
                           : std::string()));
    }
    auto bytes = base45_decode(text.substr(options.prefix.size()));
    if (!bytes) return fail(v, SealReason::bad_base45, bytes.error().message());
    std::vector<std::uint8_t> cose;
    if (!bytes->empty() && (*bytes)[0] == 0x78) {
      std::string message;
      switch (zlib_inflate(*bytes, options.max_inflated_bytes, cose, message)) {
        case InflateStatus::ok: break;
        case InflateStatus::too_large: return fail(v, SealReason::too_large, message);
        case InflateStatus::corrupt: return fail(v, SealReason::bad_compression, message);
      }
      v.compressed = true;
    } else {
      if (options.require_compression)
        return fail(v, SealReason::bad_compression, "the data is not zlib-compressed (first byte is not 0x78)");
      cose = std::move(*bytes);
    }
    const bool compressed = v.compressed;
    v = verify_cose_sign1(cose, trust, now, options);
    v.compressed = compressed;
    return v;
  } catch (...) {
    // Not a verdict about the seal: the verifier could not finish (error.hpp, exception policy).
    auto [reason, message] = seal_failure_from_exception(std::current_exception());
    v.reason = reason;
    v.message.swap(message);
    return v;
  }
}

int photo_hash_distance(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.empty() || a.size() != b.size()) return -1;
  int d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += std::popcount(static_cast<unsigned>(a[i] ^ b[i]));
  return d;
}

}  // namespace sdc
