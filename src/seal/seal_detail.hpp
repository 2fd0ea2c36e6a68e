// Internal interfaces of the seal module. No third-party types: each dependency stays in its
// own *_cbor.cpp / *_ossl.cpp / *_zlib.cpp / *_json.cpp file.
#pragma once

#include "core/civil.hpp"

#include <sdc/seal.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace sdc::detail {

// ---- crypto (crypto_ossl.cpp) ----

/// An opaque public key (an OpenSSL EVP_PKEY inside).
struct PublicKey;
using PublicKeyPtr = std::shared_ptr<const PublicKey>;

struct ParsedCert {
  std::vector<std::uint8_t> der;
  PublicKeyPtr key;
  TrustedKey info;  // kid, subject, key type, validity
};
/// Parses one or more certificates from PEM (several blocks allowed) or one DER certificate.
Result<std::vector<ParsedCert>> parse_certificates(std::span<const std::uint8_t> pem_or_der);
/// Parses a SubjectPublicKeyInfo (DER). `key_type` receives "P-256", "Ed25519", ...
Result<PublicKeyPtr> parse_public_key(std::span<const std::uint8_t> spki_der, std::string& key_type);

enum class SigCheck { ok, bad_signature, wrong_key_type };
/// Verifies a COSE-form signature (ES256: 64-byte r||s; Ed25519: 64 bytes) over `tbs`.
/// wrong_key_type when the key cannot be used with `alg` (e.g. a P-384 key for ES256).
SigCheck verify_signature(SignatureAlg alg, const PublicKey& key, std::span<const std::uint8_t> tbs,
                          std::span<const std::uint8_t> sig);

/// ECDSA DER <-> raw r||s of `half` bytes each (32 for P-256). Empty on malformed input.
std::vector<std::uint8_t> ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t half);
std::vector<std::uint8_t> ecdsa_raw_to_der(std::span<const std::uint8_t> raw);
/// Replaces a P-256 ECDSA s (32 bytes, big-endian) above n/2 by n - s: the canonical low-S form
/// every seal carries (verification accepts both forms; docs/seal.md, "Malleability").
void to_low_s_p256(std::span<std::uint8_t> s);

/// Overwrites `n` bytes at `p` with zeros in a way the compiler cannot drop (OPENSSL_cleanse), for
/// copies of PINs and private keys.
void secure_wipe(void* p, std::size_t n) noexcept;

// Calendar helpers (days_from_civil, unix_from_civil, utc_text, ...): core/civil.hpp.

/// What verify_seal reports when an exception stops it: out_of_memory for std::bad_alloc,
/// internal_error (with the exception's text) for anything else (seal.cpp).
std::pair<SealReason, std::string> seal_failure_from_exception(std::exception_ptr e) noexcept;

// ---- zlib (compress_zlib.cpp) ----

/// zlib stream at the best compression level (deterministic for a given zlib version).
std::vector<std::uint8_t> zlib_compress(std::span<const std::uint8_t> data);
/// False when deflate cannot shrink `data` by 2 bytes or more, by a cheap estimate (a lower bound
/// on the single deflate block plus an allowance for its code tables; docs/seal.md,
/// "Compression"). 0.9 µs for a seal, against 6 µs for deflating it (a quarter of a P-256
/// signature).
bool deflate_might_shrink(std::span<const std::uint8_t> data);
enum class InflateStatus { ok, corrupt, too_large };
/// Inflates a zlib stream, stopping as soon as the output would pass `max_out` bytes.
InflateStatus zlib_inflate(std::span<const std::uint8_t> data, std::size_t max_out, std::vector<std::uint8_t>& out,
                           std::string& message);

// ---- COSE (cose_cbor.cpp) ----

/// Protected header bucket {1: alg, 4: kid} (kid omitted when empty), deterministic.
std::vector<std::uint8_t> cose_protected_header(int alg, std::span<const std::uint8_t> kid);
/// Sig_structure ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4).
std::vector<std::uint8_t> cose_sig_structure(std::span<const std::uint8_t> protected_bucket,
                                             std::span<const std::uint8_t> external_aad,
                                             std::span<const std::uint8_t> payload);
/// Tag 18 [protected, {}, payload, signature].
std::vector<std::uint8_t> cose_sign1_message(std::span<const std::uint8_t> protected_bucket,
                                             std::span<const std::uint8_t> payload,
                                             std::span<const std::uint8_t> signature);

struct CoseSign1 {
  std::vector<std::uint8_t> protected_bucket;  // as carried (signed as is)
  std::vector<std::uint8_t> payload;
  std::vector<std::uint8_t> signature;
  std::optional<std::int64_t> alg;  // protected bucket, else unprotected
  bool alg_unprotected_only = false;
  std::string alg_text;           // an algorithm given by name (none is supported)
  std::vector<std::uint8_t> kid;  // protected wins, else unprotected
  bool kid_protected = false;
};
/// Parses a COSE_Sign1 message: optional tag 61 (CWT) around optional tag 18, then a 4-element
/// array. Error messages say which element is wrong.
Result<CoseSign1> parse_cose_sign1(std::span<const std::uint8_t> message);

struct CwtTimes {
  std::optional<std::int64_t> iat, exp;
};
/// Reads iat (6) and exp (4) from a CWT claims map (RFC 8392); integers or floats.
Result<CwtTimes> parse_cwt_times(std::span<const std::uint8_t> claims);

}  // namespace sdc::detail

namespace sdc {

/// The state of a TrustStore.
struct TrustStore::Impl {
  struct Entry {
    TrustedKey info;
    detail::PublicKeyPtr key;
  };
  std::vector<Entry> entries;
  std::set<std::vector<std::uint8_t>> revoked_kids;
  std::set<std::string, std::less<>> revoked_documents;
};

namespace detail {
/// Which trust file a JSON text is: a folder's revoked.json, or a JSON trust list.
enum class TrustJson { revocations, trust_list };
/// Adds the certificates and revocations of a trust file to `store` (trust_json.cpp). Unknown and
/// repeated keys are errors (Errc::bad_key naming the file, JSON pointer and line).
Status load_trust_json(std::string_view text, const std::string& file, TrustJson kind, TrustStore& store);
}  // namespace detail

}  // namespace sdc
