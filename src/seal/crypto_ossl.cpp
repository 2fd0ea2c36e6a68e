// Keys, certificates, signing and signature checks with OpenSSL 3: the only seal file that
// includes OpenSSL. Nothing here puts key bytes or passphrases into a message.
#include <sdc/pkcs11.hpp>
#include <sdc/seal.hpp>

#include "core/atomic_file.hpp"
#include "core/civil.hpp"
#include "core/digest.hpp"
#include "seal/seal_detail.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include "core/read_file.hpp"

namespace sdc {
namespace detail {

std::string key_type_of(const EVP_PKEY* pkey);

struct PublicKey {
  EVP_PKEY* pkey = nullptr;
  std::string type;  // "P-256", "Ed25519", ...: looked up once, verify runs often
  explicit PublicKey(EVP_PKEY* k) : pkey(k), type(key_type_of(k)) {}
  ~PublicKey() { EVP_PKEY_free(pkey); }
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;
};

namespace {

template <class T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const noexcept { F(p); }
};
using BioPtr = std::unique_ptr<BIO, Free<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Free<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY, EVP_PKEY_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX, EVP_MD_CTX_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Free<ECDSA_SIG, ECDSA_SIG_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BIGNUM, BN_free>>;

// OpenSSL keeps a per-thread error queue; drop what a failed call left so that it does not
// show up in an unrelated later call. Peeking first costs a fifth of clearing an empty queue,
// which matters on the signing path (bench_seal).
struct ClearErrors {
  ~ClearErrors() {
    if (ERR_peek_error() != 0) ERR_clear_error();
  }
};

BioPtr mem_bio(std::span<const std::uint8_t> data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string bio_string(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  return n > 0 && p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

bool looks_pem(std::span<const std::uint8_t> data) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  const std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  return s.find(kBegin) != std::string_view::npos;
}

}  // namespace

std::string key_type_of(const EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return "RSA-" + std::to_string(EVP_PKEY_get_bits(pkey));
    case EVP_PKEY_EC: {
      char name[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) return "EC";
      const std::string_view n(name, len);
      if (n == "prime256v1" || n == "P-256") return "P-256";
      if (n == "secp384r1" || n == "P-384") return "P-384";
      if (n == "secp521r1" || n == "P-521") return "P-521";
      return "EC " + std::string(n);
    }
    default: return "unknown key type";
  }
}

namespace {

std::int64_t asn1_time_unix(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return unix_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<ParsedCert> describe(X509* cert) {
  ParsedCert pc;
  const int len = i2d_X509(cert, nullptr);
  if (len <= 0) return Error(Errc::bad_key, "cannot re-encode the certificate as DER", "check the certificate file");
  pc.der.resize(static_cast<std::size_t>(len));
  unsigned char* p = pc.der.data();
  i2d_X509(cert, &p);
  EVP_PKEY* pkey = X509_get_pubkey(cert);  // a new reference
  if (!pkey)
    return Error(Errc::bad_key, "the certificate's public key cannot be read (unknown or malformed key)",
                 "use a P-256 or Ed25519 signer certificate");
  pc.key = std::make_shared<const PublicKey>(pkey);
  pc.info.kid = key_id_of_certificate(pc.der);
  pc.info.key_type = key_type_of(pkey);
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  pc.info.subject = bio_string(bio.get());
  pc.info.not_before = asn1_time_unix(X509_get0_notBefore(cert));
  pc.info.not_after = asn1_time_unix(X509_get0_notAfter(cert));
  pc.info.has_validity = true;
  return pc;
}

}  // namespace

Result<std::vector<ParsedCert>> parse_certificates(std::span<const std::uint8_t> data) {
  ClearErrors clear;
  std::vector<ParsedCert> out;
  if (looks_pem(data)) {
    BioPtr bio = mem_bio(data);
    while (true) {
      X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!cert) break;
      SDC_TRY_ASSIGN(auto pc, describe(cert.get()));
      out.push_back(std::move(pc));
    }
    if (out.empty())
      return Error(Errc::bad_key, "no readable X.509 certificate in the PEM text",
                   "the file must hold one or more '-----BEGIN CERTIFICATE-----' blocks");
    return out;
  }
  const unsigned char* p = data.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(data.size())));
  if (!cert)
    return Error(Errc::bad_key, "not an X.509 certificate (neither PEM nor DER)",
                 "give a signer certificate in PEM or DER form");
  SDC_TRY_ASSIGN(auto pc, describe(cert.get()));
  out.push_back(std::move(pc));
  return out;
}

Result<PublicKeyPtr> parse_public_key(std::span<const std::uint8_t> spki_der, std::string& key_type) {
  ClearErrors clear;
  const unsigned char* p = spki_der.data();
  EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size()));
  if (!pkey || p != spki_der.data() + spki_der.size()) {
    EVP_PKEY_free(pkey);
    return Error(Errc::bad_key, "not a DER SubjectPublicKeyInfo public key",
                 "give the public key as DER (openssl pkey -pubout -outform DER)");
  }
  key_type = key_type_of(pkey);
  return PublicKeyPtr(std::make_shared<const PublicKey>(pkey));
}

std::vector<std::uint8_t> ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t half) {
  const unsigned char* p = der.data();
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return {};
  const BIGNUM *r = nullptr, *s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::vector<std::uint8_t> raw(2 * half);
  if (BN_bn2binpad(r, raw.data(), static_cast<int>(half)) < 0 ||
      BN_bn2binpad(s, raw.data() + half, static_cast<int>(half)) < 0)
    return {};
  return raw;
}

// (r, s) and (r, n - s) are both valid ECDSA signatures, so a seal text could be altered and
// still verify. Our seals always carry the low one (s <= n/2, as Bitcoin's BIP 62 and
// libsecp256k1 do), so the seal text an issuer produced is the only one it ever produces.
// Verification still accepts both: COSE (RFC 9053) does not require low S and conformance
// vectors carry high S; see docs/seal.md, "Malleability".
void to_low_s_p256(std::span<std::uint8_t> s) {
  static constexpr std::uint8_t kOrder[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                              0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                              0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
  static constexpr std::uint8_t kHalfOrder[32] = {0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF,
                                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B,
                                                  0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8};
  if (s.size() != 32 || !std::lexicographical_compare(kHalfOrder, kHalfOrder + 32, s.begin(), s.end())) return;
  int borrow = 0;  // s = n - s, big-endian
  for (int i = 31; i >= 0; --i) {
    int d = kOrder[i] - s[static_cast<std::size_t>(i)] - borrow;
    borrow = d < 0;
    s[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(d + (borrow ? 256 : 0));
  }
}

std::vector<std::uint8_t> ecdsa_raw_to_der(std::span<const std::uint8_t> raw) {
  if (raw.empty() || raw.size() % 2 != 0) return {};
  const int half = static_cast<int>(raw.size() / 2);
  BnPtr r(BN_bin2bn(raw.data(), half, nullptr)), s(BN_bin2bn(raw.data() + half, half, nullptr));
  SigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &der);
  if (n <= 0) return {};
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

SigCheck verify_signature(SignatureAlg alg, const PublicKey& key, std::span<const std::uint8_t> tbs,
                          std::span<const std::uint8_t> sig) {
  ClearErrors clear;
  EVP_PKEY* pkey = key.pkey;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  if (alg == SignatureAlg::es256) {
    if (key.type != "P-256") return SigCheck::wrong_key_type;
    if (sig.size() != 64) return SigCheck::bad_signature;
    const auto der = ecdsa_raw_to_der(sig);
    if (der.empty()) return SigCheck::bad_signature;
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1) return SigCheck::wrong_key_type;
    return EVP_DigestVerify(ctx.get(), der.data(), der.size(), tbs.data(), tbs.size()) == 1 ? SigCheck::ok
                                                                                            : SigCheck::bad_signature;
  }
  if (key.type != "Ed25519") return SigCheck::wrong_key_type;
  if (sig.size() != 64) return SigCheck::bad_signature;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1) return SigCheck::wrong_key_type;
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), tbs.data(), tbs.size()) == 1 ? SigCheck::ok
                                                                                          : SigCheck::bad_signature;
}

void secure_wipe(void* p, std::size_t n) noexcept {
  if (p && n) OPENSSL_cleanse(p, n);
}

}  // namespace detail

using namespace detail;

std::vector<std::uint8_t> key_id_of_certificate(std::span<const std::uint8_t> der) {
  const Digest h = digest_sha256(der);
  return std::vector<std::uint8_t>(h.begin(), h.begin() + 8);
}

Signer::~Signer() = default;
std::vector<std::string> Signer::warnings() const {
  return {};
}

namespace {

class OsslSigner final : public Signer {
 public:
  OsslSigner(PkeyPtr key, SignatureAlg alg, std::vector<std::uint8_t> kid, std::vector<std::string> warnings)
      : key_(std::move(key)), alg_(alg), kid_(std::move(kid)), warnings_(std::move(warnings)) {}
  SignatureAlg algorithm() const noexcept override { return alg_; }
  std::vector<std::string> warnings() const override { return warnings_; }
  std::vector<std::uint8_t> key_id() const override { return kid_; }
  Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const override {
    ClearErrors clear;
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw std::bad_alloc();
    const EVP_MD* md = alg_ == SignatureAlg::es256 ? EVP_sha256() : nullptr;
    // EVP_PKEY_get_size is the largest signature (72 bytes of DER for P-256, 64 for Ed25519):
    // no second, size-only pass over the data.
    std::size_t len = static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()));
    if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1 || len == 0)
      return Error(Errc::internal, "OpenSSL could not start a signature", "please report this");
    std::vector<std::uint8_t> sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, tbs.data(), tbs.size()) != 1)
      return Error(Errc::internal, "OpenSSL could not sign the seal", "please report this");
    sig.resize(len);
    if (alg_ == SignatureAlg::ed25519) return sig;
    auto raw = ecdsa_der_to_raw(sig, 32);
    if (raw.empty()) return Error(Errc::internal, "OpenSSL returned a malformed ECDSA signature", "please report this");
    to_low_s_p256(std::span(raw).subspan(32));
    return raw;
  }

 private:
  PkeyPtr key_;
  SignatureAlg alg_;
  std::vector<std::uint8_t> kid_;
  std::vector<std::string> warnings_;
};

Result<std::vector<std::uint8_t>> read_small_file(const std::filesystem::path& path, const char* what) {
  auto data = detail::read_input_bytes(path, 1024 * 1024, std::string(what) + " file");
  if (!data && data.error().code() == Errc::limit_exceeded)
    return Error(Errc::bad_key, std::string("the ") + what + " file is larger than 1 MiB",
                 "give the PEM or DER file itself", Where{.file = path.string()});
  return data;
}

}  // namespace

namespace {

// Hands the decoder our passphrase and records that the key asked for one (it is encrypted).
struct PassphraseAsk {
  std::string_view passphrase;
  bool asked = false;
};

int give_passphrase(char* pass, std::size_t size, std::size_t* len, const OSSL_PARAM*, void* arg) {
  auto* ask = static_cast<PassphraseAsk*>(arg);
  ask->asked = true;
  if (ask->passphrase.empty() || ask->passphrase.size() > size) return 0;
  std::memcpy(pass, ask->passphrase.data(), ask->passphrase.size());
  *len = ask->passphrase.size();
  return 1;
}

// The certificate's validity against the clock now, for Signer::warnings().
std::vector<std::string> validity_warnings(const TrustedKey& cert, const std::filesystem::path& cert_path) {
  std::vector<std::string> out;
  if (!cert.has_validity) return out;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (now > cert.not_after)
    out.push_back("the signer certificate " + cert_path.string() + " expired on " + detail::utc_text(cert.not_after) +
                  ": every card signed with it fails verification; renew the certificate");
  else if (now < cert.not_before)
    out.push_back("the signer certificate " + cert_path.string() + " is not valid before " +
                  detail::utc_text(cert.not_before) + ": cards signed with it fail verification until then");
  return out;
}

// The signer from a key and certificate in memory; `key_path` and `cert_path` name them in errors.
// The key bytes are wiped after decoding when `wipe_key` is set (they are then ours).
Result<std::shared_ptr<const Signer>> signer_from_bytes(std::span<std::uint8_t> key_bytes, bool wipe_key,
                                                        std::span<const std::uint8_t> cert_bytes,
                                                        std::string_view passphrase,
                                                        const std::filesystem::path& key_path,
                                                        const std::filesystem::path& cert_path,
                                                        std::vector<std::string> warnings) {
  ClearErrors clear;
  auto certs = parse_certificates(cert_bytes);
  if (!certs) return std::move(certs).error().in_file(cert_path.string());
  const ParsedCert& cert = certs->front();

  EVP_PKEY* raw_key = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, Free<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>> dctx(
      OSSL_DECODER_CTX_new_for_pkey(&raw_key, nullptr, nullptr, nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr));
  if (!dctx) throw std::bad_alloc();
  PassphraseAsk ask{passphrase};
  OSSL_DECODER_CTX_set_passphrase_cb(dctx.get(), give_passphrase, &ask);
  const unsigned char* p = key_bytes.data();
  std::size_t left = key_bytes.size();
  const int ok = OSSL_DECODER_from_data(dctx.get(), &p, &left);
  if (wipe_key) OPENSSL_cleanse(key_bytes.data(), key_bytes.size());
  PkeyPtr key(raw_key);
  if (ask.asked && passphrase.empty())
    return Error(Errc::bad_key, "the private key is encrypted and no passphrase was given",
                 "give its passphrase (load_signer's passphrase; --passphrase-file, or \"passphrase_file\" in the "
                 "issuer profile)",
                 Where{.file = key_path.string()});
  if (ok != 1 || !key)
    return Error(Errc::bad_key,
                 ask.asked ? "cannot decrypt the private key: the passphrase is wrong"
                           : "cannot read the private key: not a PEM or DER private key",
                 ask.asked ? "check the passphrase file (its first line is the passphrase)"
                           : "give the key.pem written by 'sdc keygen'",
                 Where{.file = key_path.string()});
  if (!ask.asked && !passphrase.empty())
    return Error(Errc::bad_key, "a passphrase was given but the private key is not encrypted",
                 "drop the passphrase, or encrypt the key (KeygenOptions::passphrase; sdc keygen --passphrase-file); "
                 "a key stored in clear is readable by whoever can read the file",
                 Where{.file = key_path.string()});
  const std::string type = key_type_of(key.get());
  SignatureAlg alg;
  if (type == "P-256") {
    alg = SignatureAlg::es256;
  } else if (type == "Ed25519") {
    alg = SignatureAlg::ed25519;
  } else {
    return Error(Errc::bad_key, "the private key is " + type + "; seals are signed with P-256 (ES256) or Ed25519",
                 "generate a P-256 or Ed25519 key (generate_key; sdc keygen --alg es256 or --alg ed25519)",
                 Where{.file = key_path.string()});
  }
  if (EVP_PKEY_eq(key.get(), cert.key->pkey) != 1)
    return Error(Errc::bad_key, "the private key does not belong to the certificate " + cert_path.string(),
                 "give the cert.pem generated together with this key", Where{.file = key_path.string()});
  for (auto& w : validity_warnings(cert.info, cert_path)) warnings.push_back(std::move(w));
  return std::shared_ptr<const Signer>(
      std::make_shared<OsslSigner>(std::move(key), alg, cert.info.kid, std::move(warnings)));
}

}  // namespace

Result<std::shared_ptr<const Signer>> load_signer(const std::filesystem::path& key_path,
                                                  const std::filesystem::path& cert_path, std::string_view passphrase) {
  // A key in a PKCS#11 token (signer_p11kit.cpp); the passphrase is then the token's PIN.
  if (is_pkcs11_uri(key_path.native())) return load_pkcs11_signer(key_path.native(), cert_path, passphrase);
  SDC_TRY_ASSIGN(const auto cert_bytes, read_small_file(cert_path, "signer certificate"));
  SDC_TRY_ASSIGN(auto key_bytes, read_small_file(key_path, "private key"));
  std::vector<std::string> warnings;
  // Read already, so the file is there; a key others can read is no longer only the issuer's.
  struct stat st {};
  if (::stat(key_path.c_str(), &st) == 0 && (st.st_mode & 044) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    warnings.push_back("the private key file " + key_path.string() + " is readable by " +
                       ((st.st_mode & 007) != 0 ? "everyone" : "its group") + " (mode " + mode +
                       "): restrict it with chmod 600 and consider the key exposed");
  }
  return signer_from_bytes(key_bytes, true, cert_bytes, passphrase, key_path, cert_path, std::move(warnings));
}

Result<std::string> read_passphrase_file(const std::filesystem::path& file) {
  SDC_TRY_ASSIGN(std::string pass, detail::read_input_file(file, 4096, "passphrase file"));
  if (const auto nl = pass.find_first_of("\r\n"); nl != std::string::npos) pass.resize(nl);
  if (pass.empty())
    return Error(Errc::invalid_argument, "the passphrase file is empty.", "write the passphrase on its first line.",
                 Where{.file = file.string()});
  return pass;
}

Result<std::shared_ptr<const Signer>> make_signer(std::span<const std::uint8_t> key, std::span<const std::uint8_t> cert,
                                                  std::string_view passphrase) {
  std::vector<std::uint8_t> copy(key.begin(), key.end());  // decoded from our copy, then wiped
  return signer_from_bytes(copy, true, cert, passphrase, "private key (in memory)", "certificate (in memory)", {});
}

Result<GeneratedKey> generate_key(const KeygenOptions& o) {
  ClearErrors clear;
  if (o.valid_days < 1 || o.valid_days > 36500)
    return Error(Errc::invalid_argument, "validity of " + std::to_string(o.valid_days) + " days",
                 "give 1 to 36500 days");
  if (o.serial <= 0) return Error(Errc::invalid_argument, "certificate serial must be positive", "give a serial > 0");
  if (o.subject_cn.empty() || o.subject_cn.size() > 64)
    return Error(Errc::invalid_argument, "certificate subject CN must be 1 to 64 characters",
                 "shorten KeygenOptions::subject_cn (sdc keygen --subject)");
  PkeyPtr key(o.alg == SignatureAlg::es256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Error(Errc::internal, "OpenSSL could not generate a key", "please report this");
  X509Ptr x(X509_new());
  if (!x) throw std::bad_alloc();
  bool ok = X509_set_version(x.get(), 2) == 1 && ASN1_INTEGER_set_int64(X509_get_serialNumber(x.get()), o.serial) == 1;
  ok = ok && ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(o.not_before_unix)) != nullptr;
  ok = ok && ASN1_TIME_set(X509_getm_notAfter(x.get()),
                           static_cast<time_t>(o.not_before_unix + std::int64_t{o.valid_days} * 86400)) != nullptr;
  X509_NAME* name = X509_get_subject_name(x.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                        reinterpret_cast<const unsigned char*>(o.subject_cn.c_str()), -1, -1, 0) == 1;
  ok = ok && X509_set_issuer_name(x.get(), name) == 1 && X509_set_pubkey(x.get(), key.get()) == 1;
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x.get(), x.get(), nullptr, nullptr, 0);
  const std::pair<int, const char*> exts[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                              {NID_key_usage, "critical,digitalSignature"},
                                              {NID_subject_key_identifier, "hash"}};
  for (const auto& [nid, value] : exts) {
    X509_EXTENSION* ext = ok ? X509V3_EXT_conf_nid(nullptr, &v3, nid, value) : nullptr;
    ok = ext && X509_add_ext(x.get(), ext, -1) == 1;
    X509_EXTENSION_free(ext);
  }
  ok = ok && X509_sign(x.get(), key.get(), o.alg == SignatureAlg::es256 ? EVP_sha256() : nullptr) > 0;
  if (!ok) return Error(Errc::internal, "OpenSSL could not build the signer certificate", "please report this");

  GeneratedKey g;
  BioPtr kb(BIO_new(BIO_s_mem())), cb(BIO_new(BIO_s_mem()));
  const EVP_CIPHER* cipher = o.passphrase.empty() ? nullptr : EVP_aes_256_cbc();
  if (PEM_write_bio_PKCS8PrivateKey(kb.get(), key.get(), cipher, nullptr, 0, nullptr,
                                    o.passphrase.empty() ? nullptr : const_cast<char*>(o.passphrase.c_str())) != 1 ||
      PEM_write_bio_X509(cb.get(), x.get()) != 1)
    return Error(Errc::internal, "OpenSSL could not write the key or certificate as PEM", "please report this");
  g.key_pem = bio_string(kb.get());
  g.cert_pem = bio_string(cb.get());
  auto certs =
      parse_certificates(std::span(reinterpret_cast<const std::uint8_t*>(g.cert_pem.data()), g.cert_pem.size()));
  if (!certs) return std::move(certs).error();
  g.kid = certs->front().info.kid;
  return g;
}

namespace {

// What is at `path`, without following a symbolic link: 0 when nothing is there.
mode_t lstat_mode(const std::filesystem::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

}  // namespace

Status write_generated_key(const GeneratedKey& key, const std::filesystem::path& dir, bool replace) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Error(Errc::io, "cannot create the key directory: " + ec.message(), "check the path and permissions",
                 Where{.file = dir.string()});
  const auto key_path = dir / "key.pem";
  const auto cert_path = dir / "cert.pem";
  for (const auto& path : {key_path, cert_path}) {
    const mode_t mode = lstat_mode(path);
    if (mode == 0) continue;
    if (!replace)
      return Error(Errc::io, std::string(path == key_path ? "a private key" : "a certificate") + " already exists here",
                   "move the old key.pem and cert.pem away first, choose another directory, or replace both "
                   "(write_generated_key's replace; sdc keygen --force)",
                   Where{.file = path.string()});
    if (!S_ISREG(mode) && !S_ISLNK(mode))
      return Error(Errc::io, "this is not a regular file; sdc will not replace it",
                   "remove it or choose another directory", Where{.file = path.string()});
  }
  // The key goes to a temporary file first (mkstemp creates it with mode 0600, so it is never
  // readable by others), the certificate into place, and only then the key: a failure in between
  // (a full disk) leaves neither half of a pair.
  std::string tmp = (dir / ".key.pem.tmp-XXXXXX").string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    const int err = errno;
    return Error(Errc::io, "cannot create: " + std::string(std::strerror(err)), "check the directory permissions",
                 Where{.file = key_path.string()});
  }
  std::size_t done = 0;
  bool ok = ::fchmod(fd, 0600) == 0;
  while (ok && done < key.key_pem.size()) {
    const ssize_t n = ::write(fd, key.key_pem.data() + done, key.key_pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    std::filesystem::remove(tmp, ec);
    return Error(Errc::io, "cannot write the private key", "check free space and permissions",
                 Where{.file = key_path.string()});
  }
  // Like every output: temp file + rename, and never over a FIFO, device or folder.
  if (auto st = detail::write_bytes_atomically(
          cert_path, std::span(reinterpret_cast<const std::uint8_t*>(key.cert_pem.data()), key.cert_pem.size()));
      !st) {
    std::filesystem::remove(tmp, ec);
    return st;
  }
  // Without `replace`, never over a key that appeared meanwhile (RENAME_NOREPLACE).
  const int moved = replace ? std::rename(tmp.c_str(), key_path.c_str())
                            : ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, key_path.c_str(), RENAME_NOREPLACE);
  if (moved != 0) {
    const int err = errno;
    std::filesystem::remove(tmp, ec);
    if (!replace) std::filesystem::remove(cert_path, ec);
    return Error(Errc::io, "cannot move the private key into place: " + std::string(std::strerror(err)),
                 "check the directory, then run keygen again", Where{.file = key_path.string()});
  }
  return {};
}

}  // namespace sdc
