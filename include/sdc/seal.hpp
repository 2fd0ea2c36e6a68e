/// @file seal.hpp
/// The signed seal: the card's data and a hash of its photo, signed by the issuer as a COSE_Sign1
/// message (RFC 9052), carried in a QR code as `SDC1:` + Base45(zlib?(COSE)).
///
/// The format is specified in docs/seal.md (key table, worked example in hex) so that any COSE
/// verifier can check a seal without this library. In short:
///   1. payload   = CBOR map with small integer keys (SealPayload, keys 0..20);
///   2. protected = CBOR map {1: alg, 4: kid}, alg -7 (ES256) or -8 (EdDSA with Ed25519),
///      kid = the first 8 bytes of SHA-256 over the signer certificate's DER;
///   3. signature over Sig_structure ["Signature1", protected, h'', payload]; ES256 signatures
///      are the 64-byte r || s form;
///   4. message   = tag 18 [protected, {}, payload, signature] (first byte 0xD2);
///   5. zlib-compressed when that is smaller (first byte 0x78), then Base45, then the prefix.
///
/// **Determinism.** Ed25519 signatures are deterministic (RFC 8032), so a seal made with an
/// Ed25519 key is byte-identical for the same payload. OpenSSL 3.0 has no deterministic ECDSA
/// (RFC 6979 arrived in 3.2): ES256 seals differ in their 64 signature bytes each time, and so do
/// the QR codes that carry them; everything else stays byte-identical.
///
/// **Secrets.** No function here writes a private key or passphrase into a message, a log or an
/// error. Errors about keys name the file, never its content.
///
/// **Threads.** `Signer`s returned by `load_signer` and a `TrustStore` that is no longer modified
/// may be used from many threads at once. All free functions are thread-safe.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/image.hpp>
#include <sdc/record.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

// ---------------------------------------------------------------------------------------------
// Payload
// ---------------------------------------------------------------------------------------------

/// The data a seal signs: what is printed on the card, and a hash of its printed photo.
/// Strings are UTF-8. Dates are "YYYY-MM-DD" (encoded as RFC 8943 day counts, tag 100).
/// An empty string is "absent" and is not encoded. Limits: every string at most 200 bytes; the
/// whole seal must also fit its QR code (see make_seal).
struct SealPayload {
  int version = 1;                   ///< payload format version: 1
  std::string issuer;                ///< issuing authority code (e.g. ISO 3166 alpha-3 "UTO")
  std::string office;                ///< issuing office code
  std::string document_number;       ///< card number as printed
  std::string registration_number;   ///< personal registration number
  std::string docket_number;         ///< docket (file) number
  std::string surname, given_names;  ///< as printed on the card (any script)
  /// MRZ Latin form (ICAO 9303 transliteration, e.g. "MUELLER", "SPECIMEN<EXAMPLE"). Not encoded
  /// when empty or equal to the implied form: for an ASCII printed name, letters upper-cased,
  /// digits kept, any other character '<'; for a name with non-ASCII characters, the printed name.
  /// Decoding fills the implied form back in, so a decoded payload always has it.
  std::string surname_latin, given_names_latin;
  std::string date_of_birth;  ///< YYYY-MM-DD
  std::string sex;            ///< "F", "M" or "X"
  std::string nationality;    ///< ISO 3166-1 alpha-3 or ICAO code ("UTO")
  std::string issue_date;     ///< YYYY-MM-DD
  std::string expiry_date;    ///< YYYY-MM-DD; the seal is rejected after this day
  std::string card_variant;   ///< "temporary" or "permanent"
  /// The guilloché pattern id as lower-case hex (an even number of digits, at most 64), encoded
  /// as a CBOR byte string.
  std::string pattern_id;
  /// Perceptual hash of the printed photo (see photo_hash): 8 bytes, or empty when no photo.
  std::vector<std::uint8_t> photo_hash;
  /// The template the card was composed from, as lower-case hex (an even number of digits, at
  /// most 64), encoded as a CBOR byte string (key 18): compose() writes the first 8 bytes of
  /// `Template::content_id()` (16 hex digits), so a checker holding several templates picks the
  /// card's layout. Empty (not encoded) in payloads made before it existed.
  std::string template_id;

  bool operator==(const SealPayload&) const = default;
};

/// Encodes a payload as its CBOR map (docs/seal.md, "Payload"). Deterministic: the same payload
/// gives the same bytes (keys in ascending order, shortest integer forms).
/// Errors: Errc::invalid_field naming the field (`Where::field`) for a date that is not
/// YYYY-MM-DD, an unknown sex or card variant, a pattern id that is not hex, a string over 200
/// bytes or not UTF-8, or a version other than 1.
/// The payload for a card made from `record` (the mapping compose() uses; docs/seal.md, "Payload"):
/// the docket fields, the office as `issuing_office_code` when the record has one (else the office
/// name), and the MRZ (Latin) form of the names, transliterated from `surname_latin` /
/// `given_names_latin` or the printed names (empty when a name cannot be transliterated).
/// `photo_hash` is left empty: hash the portrait as printed with `photo_hash()`. `template_id` is
/// the first 8 hex digits of `template_content_id` (a `Template::content_id()`; empty: none).
SDC_EXPORT SealPayload seal_payload_from_record(const Record& record, std::string issuer_code, std::string pattern_id,
                                                std::string_view template_content_id = {});

SDC_EXPORT Result<std::vector<std::uint8_t>> encode_seal_payload(const SealPayload& payload);

/// Decodes a payload CBOR map. Unknown integer keys are ignored (forward compatibility); known
/// keys with the wrong type, a date out of range, or bytes after the map are errors
/// (Errc::bad_seal).
SDC_EXPORT Result<SealPayload> decode_seal_payload(std::span<const std::uint8_t> cbor);

// ---------------------------------------------------------------------------------------------
// Keys and signing
// ---------------------------------------------------------------------------------------------

/// Signature algorithms a seal can carry. COSE numbers: ES256 = -7, EdDSA = -8.
enum class SignatureAlg {
  es256,    ///< ECDSA with P-256 and SHA-256; randomised signatures (OpenSSL 3.0); the default
  ed25519,  ///< EdDSA with Ed25519 (COSE "EdDSA"); deterministic signatures
};

/// "ES256" or "EdDSA".
SDC_EXPORT const char* to_string(SignatureAlg alg) noexcept;
/// The COSE algorithm number: -7 or -8.
SDC_EXPORT int cose_algorithm(SignatureAlg alg) noexcept;

/// Signs seals. Implement it to sign with a hardware module or a remote service; load_signer()
/// gives the software implementation. Implementations must be safe to call from several threads
/// if the caller signs cards in parallel (load_signer's is).
class SDC_EXPORT Signer {
 public:
  virtual ~Signer();
  /// The algorithm of the key.
  virtual SignatureAlg algorithm() const noexcept = 0;
  /// The COSE key id: the first 8 bytes of SHA-256 over the DER of the signer certificate
  /// (see key_id_of_certificate).
  virtual std::vector<std::uint8_t> key_id() const = 0;
  /// Signs `tbs` (the COSE Sig_structure bytes; the signer hashes them itself). Returns the
  /// signature in COSE form: 64 bytes r || s (big-endian, zero-padded) for ES256, the 64-byte
  /// RFC 8032 signature for Ed25519. Errors must not include key material.
  virtual Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const = 0;
  /// What the operator should know before signing with this key, one sentence each, found when
  /// it was loaded: a private key file readable by group or others, a certificate that has
  /// expired or is not yet valid (every card signed with it would then fail verification).
  /// Callers print them; they never contain key material. The default has none.
  virtual std::vector<std::string> warnings() const;
};

/// Loads a private key (PEM or DER; PKCS#8, encrypted PKCS#8 with `passphrase`, or traditional
/// EC) and its certificate (PEM or DER X.509), checks that they belong together and that the key
/// is P-256 or Ed25519. The returned signer keeps the key in memory; it is immutable and
/// thread-safe. Errors: Errc::io (file missing or unreadable, naming the file), Errc::bad_key
/// (not a key/certificate, wrong passphrase, key and certificate do not match, unsupported key
/// type). A passphrase for a key that is not encrypted is refused (Errc::bad_key: the operator
/// believes the key is protected when it is not); an encrypted key without its passphrase says
/// so. Messages never contain key bytes or the passphrase. See Signer::warnings() for what is
/// allowed but worth telling (key file mode, certificate validity at load time).
SDC_EXPORT Result<std::shared_ptr<const Signer>> load_signer(const std::filesystem::path& key,
                                                             const std::filesystem::path& cert,
                                                             std::string_view passphrase = {});

/// Reads a key's passphrase: the first line of `file` (without its line end). Only a regular file
/// of at most 4 KiB is read (a FIFO or device is refused without blocking). Errors: Errc::io and
/// Errc::limit_exceeded naming the file, Errc::invalid_argument for an empty first line. The
/// passphrase is never part of an error message.
SDC_EXPORT Result<std::string> read_passphrase_file(const std::filesystem::path& file);

/// The same from a key and certificate held in memory (a vendor's key store): PEM or DER bytes as
/// in the files. The key bytes are copied for decoding and the copy is wiped; the caller's bytes
/// are not touched. Errors as `load_signer` without Errc::io; messages name "private key (in
/// memory)" or "certificate (in memory)".
SDC_EXPORT Result<std::shared_ptr<const Signer>> make_signer(std::span<const std::uint8_t> key,
                                                             std::span<const std::uint8_t> cert,
                                                             std::string_view passphrase = {});

/// Lower-case hexadecimal of bytes ("d919375fc1e7b6b2"), as kids are printed.
SDC_EXPORT std::string to_hex(std::span<const std::uint8_t> bytes);

/// The COSE kid for a certificate given as DER: SHA-256(der)[0..8).
SDC_EXPORT std::vector<std::uint8_t> key_id_of_certificate(std::span<const std::uint8_t> der);

/// What keygen makes.
struct KeygenOptions {
  SignatureAlg alg = SignatureAlg::es256;
  std::string subject_cn = "sdc seal signer";  ///< certificate subject and issuer common name
  int valid_days = 1825;                       ///< 1 .. 36500 days from `not_before_unix`
  std::int64_t not_before_unix = 0;            ///< validity start (seconds since 1970, UTC)
  std::int64_t serial = 1;                     ///< certificate serial number, > 0
  /// Encrypts the PKCS#8 key with AES-256-CBC (PBKDF2) when not empty.
  std::string passphrase;
};

/// A new key pair and its self-signed certificate, as PEM text.
struct GeneratedKey {
  std::string key_pem;   ///< PKCS#8 private key (encrypted if a passphrase was given): a secret
  std::string cert_pem;  ///< X.509 certificate (v3, self-signed, digitalSignature key usage)
  std::vector<std::uint8_t> kid;
};

/// Generates a key and a self-signed signer certificate. Errors: Errc::invalid_argument for
/// out-of-range options; Errc::internal if OpenSSL fails.
SDC_EXPORT Result<GeneratedKey> generate_key(const KeygenOptions& options);

/// Writes DIR/key.pem (mode 0600, created with that mode, never world-readable even for a
/// moment) and DIR/cert.pem (0644), creating DIR if needed. Both or neither: the key is written
/// to a temporary file, the certificate is put in place, then the key is renamed; a failure
/// (a full disk) removes what this call wrote. Unless `replace` is set, a folder that already
/// holds key.pem or cert.pem (of any kind: a symbolic link is never followed) is refused with
/// Errc::io; with `replace` both are replaced, and a target that is not a regular file (a FIFO,
/// a device, a folder) is still refused.
SDC_EXPORT Status write_generated_key(const GeneratedKey& key, const std::filesystem::path& dir, bool replace = false);

// ---------------------------------------------------------------------------------------------
// Sealing
// ---------------------------------------------------------------------------------------------

/// Options for make_seal.
struct SealOptions {
  std::string prefix = "SDC1:";  ///< version prefix, QR alphanumeric characters only
  /// zlib when that makes the message smaller; deflate is tried only when a cheap estimate says it
  /// might win, or when the raw seal would be over max_chars (docs/seal.md, "Compression").
  bool compress = true;
  /// Refuse seals longer than this many characters (prefix included). The default keeps the QR
  /// code at version 12 or below at level M.
  std::size_t max_chars = 419;
};

/// Builds the seal text: prefix + Base45(zlib-if-smaller(COSE_Sign1(payload))).
/// Errors: those of encode_seal_payload; the signer's errors; Errc::does_not_fit when the text is
/// longer than options.max_chars (shorten names, or raise the limit together with the QR box);
/// Errc::invalid_argument for a prefix with characters outside the QR alphanumeric set.
SDC_EXPORT Result<std::string> make_seal(const SealPayload& payload, const Signer& signer,
                                         const SealOptions& options = {});

/// Signs arbitrary payload bytes as a tagged COSE_Sign1 message (the layer under make_seal),
/// e.g. for a payload of another format. Errors: the signer's.
SDC_EXPORT Result<std::vector<std::uint8_t>> make_cose_sign1(std::span<const std::uint8_t> payload,
                                                             const Signer& signer);

// ---------------------------------------------------------------------------------------------
// Trust
// ---------------------------------------------------------------------------------------------

/// A trusted signer key as the verifier sees it.
struct TrustedKey {
  std::vector<std::uint8_t> kid;
  std::string subject;          ///< certificate subject in RFC 2253 form, or the label of a bare key
  std::string key_type;         ///< "P-256", "Ed25519", "P-384", "RSA-2048", ...
  std::int64_t not_before = 0;  ///< validity (Unix seconds, UTC); bare keys: always valid
  std::int64_t not_after = 0;
  bool has_validity = false;  ///< false for bare public keys
};

/// The keys a verifier trusts and what it has revoked. A value: copy it, fill it, then share it
/// read-only between threads (const methods are thread-safe; modifying methods are not).
class SDC_EXPORT TrustStore {
 public:
  TrustStore();
  ~TrustStore();
  TrustStore(const TrustStore&);
  TrustStore& operator=(const TrustStore&);
  TrustStore(TrustStore&&) noexcept;
  TrustStore& operator=(TrustStore&&) noexcept;

  /// Reads every *.pem, *.crt, *.cer and *.der certificate in `dir` (not recursive), and the
  /// revocation list `revoked.json` if present: an object with only the keys "kids" (array of
  /// hex kids) and "documents" (array of document numbers). A PEM file may hold several
  /// certificates. Revocation files are read strictly, so that a typo cannot un-revoke anything:
  /// an unknown key, a key repeated in one object, a kid that is not hex or an empty document
  /// number is an error (Errc::bad_key naming the file, JSON pointer and line), and so is any
  /// other *.json file in `dir` (a misnamed revocation list would revoke nothing). Other errors
  /// name the file: Errc::io, Errc::bad_key.
  static Result<TrustStore> load_dir(const std::filesystem::path& dir);
  /// Reads a JSON trust list: either an array of certificates, or an object with only the keys
  /// "certificates" ([...]), "revoked_kids" ([hex...]) and "revoked_documents" ([...]); each
  /// certificate is PEM text or base64 DER. Strict like revoked.json (unknown or repeated keys
  /// are errors). Errors: Errc::io, Errc::bad_key, naming the file, JSON pointer and line.
  static Result<TrustStore> load_json(const std::filesystem::path& file);
  /// load_dir for a folder (or a symbolic link to one), else load_json. Errors as theirs, and
  /// Errc::io naming the entry for a path that does not exist, a symbolic link loop or a dangling
  /// link inside the folder. Never throws.
  static Result<TrustStore> load(const std::filesystem::path& path);

  /// Adds a certificate (PEM or DER). Its kid is SHA-256(DER)[0..8). Errors: Errc::bad_key.
  Status add_certificate(std::span<const std::uint8_t> pem_or_der);
  /// Adds a bare public key (SubjectPublicKeyInfo DER) under an explicit kid, with no validity
  /// period; `label` is reported as the signer. Errors: Errc::bad_key.
  Status add_public_key(std::span<const std::uint8_t> kid, std::span<const std::uint8_t> spki_der,
                        std::string label = {});
  /// Revokes every key with this kid: seals signed by it verify as SealReason::revoked.
  void revoke_kid(std::span<const std::uint8_t> kid);
  /// Revokes one card: seals whose payload has this document number verify as revoked. Numbers
  /// are compared ignoring ASCII case ("xa0000417" revokes "XA0000417"), otherwise byte for byte
  /// (no trimming, no MRZ filler folding). An empty number revokes nothing.
  void revoke_document(std::string document_number);

  /// The keys with this kid (several certificates may share a kid prefix).
  std::vector<TrustedKey> find(std::span<const std::uint8_t> kid) const;
  bool is_revoked_kid(std::span<const std::uint8_t> kid) const;
  bool is_revoked_document(std::string_view document_number) const;
  std::size_t size() const noexcept;

  struct Impl;  ///< internal
  const Impl& impl() const noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/// Why a seal is not valid (or `valid`). Ordered by the step that finds it.
enum class SealReason {
  valid,
  bad_prefix,             ///< the text does not start with the expected prefix
  bad_base45,             ///< not Base45
  bad_compression,        ///< zlib stream broken, or required compression missing
  too_large,              ///< text or inflated data over the size limit (zip bomb refused)
  malformed_cose,         ///< not a COSE_Sign1 message (CBOR or structure)
  unsupported_algorithm,  ///< algorithm other than ES256/EdDSA-Ed25519, or a key that does not fit it
  unknown_kid,            ///< no kid, or no trusted key with that kid
  bad_signature,          ///< the signature does not verify
  certificate_not_valid,  ///< the signer certificate is not valid at `now`
  revoked,                ///< the kid or the document number is revoked
  malformed_payload,      ///< the signed payload is not a valid payload of the expected format
  not_yet_valid,          ///< (CWT payloads) issued after `now`
  expired,                ///< the card (or CWT) expired before `now`
  /// The verifier ran out of memory (std::bad_alloc). Not a verdict about the seal: retry with
  /// more memory. (Inputs over the size limits are `too_large`.)
  out_of_memory,
  /// A bug in sdc or a library it uses raised an exception. Not a verdict about the seal: please
  /// report it with the seal text.
  internal_error,
};

/// "valid", "bad_prefix", ... (the enumerator name).
SDC_EXPORT const char* to_string(SealReason reason) noexcept;

/// How to read the signed payload.
enum class PayloadFormat {
  sdc_card,  ///< a SealPayload (decoded, document revocation and expiry checked)
  cwt,       ///< an RFC 8392 CWT claims map: exp (4) and iat (6) checked, claims kept as bytes
  opaque,    ///< any bytes: only the signature is checked
};

/// Options for verify_seal.
struct VerifyOptions {
  std::string prefix = "SDC1:";  ///< expected prefix ("HC1:" for EU DCC); empty: no prefix
  PayloadFormat payload_format = PayloadFormat::sdc_card;
  std::size_t max_text_chars = 8192;       ///< longer text is refused (too_large)
  std::size_t max_inflated_bytes = 65536;  ///< inflation stops past this (too_large)
  bool require_compression = false;        ///< DCC requires zlib; sdc does not
  std::vector<std::uint8_t> external_aad;  ///< COSE external AAD (sdc seals: empty)
};

/// The outcome of verifying a seal. A value, never an error: a forged seal is an answer.
struct SealVerification {
  SealReason reason = SealReason::malformed_cose;
  std::string message;  ///< for people: what failed and where (byte offsets, kid, dates)
  bool valid() const noexcept { return reason == SealReason::valid; }

  /// Filled as far as verification got: the kid once the header is read, the signer once the
  /// signature verified, the payload once decoded.
  std::vector<std::uint8_t> kid;
  int cose_alg = 0;                       ///< COSE algorithm number from the header (0 if none)
  std::optional<SignatureAlg> algorithm;  ///< when supported
  std::optional<TrustedKey> signer;       ///< the key whose signature verified
  bool compressed = false;
  std::vector<std::uint8_t> payload_bytes;            ///< the signed payload as carried
  std::optional<SealPayload> payload;                 ///< for PayloadFormat::sdc_card
  std::optional<std::int64_t> issued_at, expires_at;  ///< CWT iat / exp (PayloadFormat::cwt)
};

/// Verifies a seal text against a trust store at time `now_unix` (seconds since 1970, UTC).
/// Steps, each with its reason: prefix, Base45, size limit, zlib (first byte 0x78) with an
/// inflation cap, COSE_Sign1 structure (tag 18 optional, also under CWT tag 61), algorithm (from
/// the protected header), kid (protected header, else unprotected), signature with each trusted
/// key of that kid, certificate validity at `now`, kid revocation, payload, document revocation,
/// card expiry (valid through the whole expiry day, UTC).
/// When the signature verifies but the payload is not of the expected format, the reason is
/// `malformed_payload` with `signer` and `payload_bytes` filled and a message that says the
/// signature is valid.
/// Never throws for any input (it is fuzz-tested); thread-safe. Memory exhaustion gives
/// `out_of_memory` and any other exception `internal_error`: neither is a verdict about the seal.
SDC_EXPORT SealVerification verify_seal(std::string_view text, const TrustStore& trust, std::int64_t now_unix,
                                        const VerifyOptions& options = {});

/// Verifies a COSE_Sign1 message given as bytes (the layer under verify_seal, after prefix,
/// Base45 and zlib).
SDC_EXPORT SealVerification verify_cose_sign1(std::span<const std::uint8_t> cose, const TrustStore& trust,
                                              std::int64_t now_unix, const VerifyOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Photo binding
// ---------------------------------------------------------------------------------------------

/// The perceptual hash of a portrait as printed: 8 bytes (64 bits). Algorithm (docs/seal.md):
/// convert to grey (BT.601 luma; cmyk8 through the reflectance of its inks), then OpenCV
/// img_hash's PHash: resize the whole image to 32 x 32, 2-D DCT, and set one bit for each of the
/// 8 x 8 lowest frequencies whose coefficient is above their mean. Hash the photo exactly as it is
/// printed (after cropping), so a checker can recompute it from the scanned photo area.
/// Measured (tests/seal/photo_hash_test.cpp): blur, JPEG, resizing, greyscale and a print-scan
/// simulation stay within 3 bits; crop shifts of 2, 3, 5 % give 5, 12, 17 bits; other faces 30+.
/// Errors: Errc::bad_image for an image under 16 x 16 pixels. Thread-safe, deterministic.
SDC_EXPORT Result<std::vector<std::uint8_t>> photo_hash(const ImageView& photo);

/// Hamming distance between two hashes (number of differing bits, 0..64 for photo hashes);
/// -1 when the lengths differ or a hash is empty. A checker accepts distances up to
/// `photo_hash_threshold`.
SDC_EXPORT int photo_hash_distance(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

/// The largest distance at which a scanned photo is taken to be the printed one: between the
/// worst degraded copy measured (17, a 5 % crop shift) and the closest other face (30).
inline constexpr int photo_hash_threshold = 20;

}  // namespace sdc
