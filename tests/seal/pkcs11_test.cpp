// Seals signed by a key inside a PKCS#11 token: a throw-away SoftHSM2 token per run, keys generated
// in it through the PKCS#11 API, certificates issued by a software test CA, seals verified against
// them; then the same through the CLI (sdc render / sdc seal with a pkcs11: URI, sdc verify-seal).
// Skipped only when SoftHSM2 is not installed (scripts/packages.txt installs it for the suite).
#include <sdc/pkcs11.hpp>
#include <sdc/seal.hpp>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_support.hpp"

#if defined(__SANITIZE_ADDRESS__) && __has_include(<sanitizer/lsan_interface.h>)
#include <sanitizer/lsan_interface.h>
#define SDC_IGNORE_LEAKS_OF_THIS_SCOPE const __lsan::ScopedDisabler sdc_lsan_disabled_
#else
#define SDC_IGNORE_LEAKS_OF_THIS_SCOPE static_cast<void>(0)
#endif

namespace sdc::test {
namespace {

namespace fs = std::filesystem;

const std::string kSrc = SDC_SOURCE_DIR;
constexpr const char* kPin = "1234";
// 2026-12-01T00:00:00Z: inside the test certificates' validity and before the specimen's expiry.
constexpr std::int64_t kNow = 1796083200;

fs::path softhsm_module() {
  for (const char* p : {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"})
    if (fs::exists(p)) return p;
  return {};
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

// ---- the token: made once for the whole suite ----

struct TokenKeys {
  fs::path dir;     // temp dir: softhsm2.conf, tokens/, certificates
  fs::path module;  // libsofthsm2.so
  bool ed25519 = false;
  std::string error;  // set when the token could not be prepared
};

std::vector<std::uint8_t> unwrap_octet_string(std::vector<std::uint8_t> v) {
  // CKA_EC_POINT is the DER OCTET STRING around the point (SoftHSM, PKCS#11 2.40).
  if (v.size() >= 2 && v[0] == 0x04 && static_cast<std::size_t>(v[1]) == v.size() - 2)
    v.erase(v.begin(), v.begin() + 2);
  return v;
}

EVP_PKEY* public_key_from_point(bool ed, const std::vector<std::uint8_t>& point) {
  if (ed) return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, point.data(), point.size());
  OSSL_PARAM_BLD* b = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(b);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(b);
  return key;
}

// A signer certificate for a token public key, issued by the (software) test CA: the key never
// leaves the token, as in the ceremony of docs/keys.md.
std::string issue_certificate(EVP_PKEY* subject_key, EVP_PKEY* ca, const std::string& cn, long serial) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  ASN1_TIME_set(X509_getm_notBefore(x), 1704067200);  // 2024-01-01
  ASN1_TIME_set(X509_getm_notAfter(x), 2082758400);   // 2036-01-01
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_NAME* issuer = X509_NAME_new();
  X509_NAME_add_entry_by_txt(issuer, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("sdc test CA"), -1, -1,
                             0);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(issuer);
  X509_set_pubkey(x, subject_key);
  X509_sign(x, ca, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  std::string pem(p, static_cast<std::size_t>(n));
  BIO_free(bio);
  X509_free(x);
  return pem;
}

// The certificate's DER and its subject's DER (SoftHSM requires CKA_SUBJECT on certificates).
std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> pem_to_der(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  std::vector<std::uint8_t> out(der, der + n);
  OPENSSL_free(der);
  der = nullptr;
  const int m = i2d_X509_NAME(X509_get_subject_name(x), &der);
  std::vector<std::uint8_t> subject(der, der + m);
  OPENSSL_free(der);
  X509_free(x);
  BIO_free(bio);
  return {out, subject};
}

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

struct P11 {
  CK_FUNCTION_LIST* f = nullptr;
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;

  CK_RV generate(CK_MECHANISM_TYPE mech, std::vector<std::uint8_t> params, std::uint8_t id, const std::string& label,
                 CK_OBJECT_HANDLE& pub, CK_OBJECT_HANDLE& priv) {
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_MECHANISM m{mech, nullptr, 0};
    std::string lab = label;
    CK_ATTRIBUTE pub_t[] = {{CKA_EC_PARAMS, params.data(), params.size()},
                            {CKA_TOKEN, &yes, sizeof yes},
                            {CKA_VERIFY, &yes, sizeof yes},
                            {CKA_ID, &id, 1},
                            {CKA_LABEL, lab.data(), lab.size()}};
    CK_ATTRIBUTE priv_t[] = {{CKA_TOKEN, &yes, sizeof yes},      {CKA_PRIVATE, &yes, sizeof yes},
                             {CKA_SENSITIVE, &yes, sizeof yes},  {CKA_EXTRACTABLE, &no, sizeof no},
                             {CKA_SIGN, &yes, sizeof yes},       {CKA_ID, &id, 1},
                             {CKA_LABEL, lab.data(), lab.size()}};
    return f->C_GenerateKeyPair(s, &m, pub_t, 5, priv_t, 7, &pub, &priv);
  }
  std::vector<std::uint8_t> ec_point(CK_OBJECT_HANDLE pub) {
    CK_ATTRIBUTE a{CKA_EC_POINT, nullptr, 0};
    if (f->C_GetAttributeValue(s, pub, &a, 1) != CKR_OK) return {};
    std::vector<std::uint8_t> v(a.ulValueLen);
    a.pValue = v.data();
    f->C_GetAttributeValue(s, pub, &a, 1);
    return unwrap_octet_string(v);
  }
  CK_RV store_certificate(const std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>& cert, std::uint8_t id,
                          const std::string& label) {
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE type = CKC_X_509;
    CK_BBOOL yes = CK_TRUE;
    std::vector<std::uint8_t> value = cert.first, subject = cert.second;
    std::string lab = label;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls},          {CKA_CERTIFICATE_TYPE, &type, sizeof type},
                        {CKA_TOKEN, &yes, sizeof yes},          {CKA_ID, &id, 1},
                        {CKA_LABEL, lab.data(), lab.size()},    {CKA_SUBJECT, subject.data(), subject.size()},
                        {CKA_VALUE, value.data(), value.size()}};
    CK_OBJECT_HANDLE h;
    return f->C_CreateObject(s, t, 7, &h);
  }
};

const std::vector<std::uint8_t> kP256 = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
const std::vector<std::uint8_t> kP384 = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
const std::vector<std::uint8_t> kEd25519 = {0x06, 0x03, 0x2B, 0x65, 0x70};

// Keys in the token: id 1 "seal-es256" (its certificate also stored in the token), id 2
// "seal-ed25519", id 3 "seal-p384" (a curve seals do not use), id 4 "seal-other" (a P-256 key
// with no certificate of its own).
TokenKeys make_token() {
  TokenKeys t;
  t.module = softhsm_module();
  if (t.module.empty() || std::system("command -v softhsm2-util > /dev/null 2>&1") != 0) return t;
  t.dir = fs::temp_directory_path() / ("sdc-pkcs11-test-" + std::to_string(::getpid()));
  fs::remove_all(t.dir);
  fs::create_directories(t.dir / "tokens");
  write_file(t.dir / "softhsm2.conf", "directories.tokendir = " + (t.dir / "tokens").string() +
                                          "\nobjectstore.backend = file\nlog.level = ERROR\n");
  ::setenv("SOFTHSM2_CONF", (t.dir / "softhsm2.conf").c_str(), 1);
  write_file(t.dir / "pin.txt", std::string(kPin) + "\n");
  const auto init = run("softhsm2-util --init-token --free --label sdc-test --pin 1234 --so-pin 5678");
  if (init.status != 0) {
    t.error = "softhsm2-util --init-token failed: " + init.out;
    return t;
  }
  P11 p;
  p.f = p11_kit_module_load(t.module.c_str(), 0);
  if (!p.f || p11_kit_module_initialize(p.f) != CKR_OK) {
    t.error = "cannot load " + t.module.string();
    return t;
  }
  CK_ULONG n = 0;
  p.f->C_GetSlotList(CK_TRUE, nullptr, &n);
  std::vector<CK_SLOT_ID> slots(n);
  p.f->C_GetSlotList(CK_TRUE, slots.data(), &n);
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO ti{};
    p.f->C_GetTokenInfo(slot, &ti);
    if (std::string(reinterpret_cast<char*>(ti.label), 8) == "sdc-test")
      p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &p.s);
  }
  if (p.s == CK_INVALID_HANDLE ||
      p.f->C_Login(p.s, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(kPin)), 4) != CKR_OK) {
    t.error = "cannot open the sdc-test token";
    return t;
  }
  EVP_PKEY* ca = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  if (const CK_RV rv = p.generate(CKM_EC_KEY_PAIR_GEN, kP256, 1, "seal-es256", pub, priv); rv != CKR_OK) {
    t.error = "P-256 key generation failed: " + std::string(p11_kit_strerror(rv));
  } else {
    EVP_PKEY* k = public_key_from_point(false, p.ec_point(pub));
    const std::string pem = issue_certificate(k, ca, "sdc test token ES256 seal signer", 1);
    EVP_PKEY_free(k);
    write_file(t.dir / "es256" / "cert.pem", pem);
    if (const CK_RV crv = p.store_certificate(pem_to_der(pem), 1, "seal-es256"); crv != CKR_OK)
      t.error = "storing the certificate in the token failed: " + std::string(p11_kit_strerror(crv));
  }
  if (p.generate(CKM_EC_EDWARDS_KEY_PAIR_GEN, kEd25519, 2, "seal-ed25519", pub, priv) == CKR_OK) {
    EVP_PKEY* k = public_key_from_point(true, p.ec_point(pub));
    write_file(t.dir / "ed25519" / "cert.pem", issue_certificate(k, ca, "sdc test token Ed25519 seal signer", 2));
    EVP_PKEY_free(k);
    t.ed25519 = true;
  }
  p.generate(CKM_EC_KEY_PAIR_GEN, kP384, 3, "seal-p384", pub, priv);
  p.generate(CKM_EC_KEY_PAIR_GEN, kP256, 4, "seal-other", pub, priv);
  EVP_PKEY_free(ca);
  p.f->C_Logout(p.s);
  p.f->C_CloseSession(p.s);
  p11_kit_module_finalize(p.f);
  p11_kit_module_release(p.f);
  return t;
}

const TokenKeys& token() {
  static const TokenKeys t = make_token();
  return t;
}

class Pkcs11 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (softhsm_module().empty()) GTEST_SKIP() << "SoftHSM2 is not installed (apt-get install softhsm2)";
    ASSERT_TRUE(token().error.empty()) << token().error;
  }
  static void TearDownTestSuite() {
    if (!token().dir.empty()) fs::remove_all(token().dir);
  }
  // A URI for a key of the test token, with the module and the PIN file.
  static std::string uri(const std::string& path_part, const std::string& extra = "") {
    return "pkcs11:token=sdc-test;" + path_part + "?module-path=" + token().module.string() +
           "&pin-source=file:" + (token().dir / "pin.txt").string() + extra;
  }
  static fs::path cert(const char* alg) { return token().dir / alg / "cert.pem"; }
  static SealPayload payload() {
    SealPayload p;
    p.issuer = "XXA";
    p.document_number = "XA0000417";
    p.surname = "Specimen";
    p.given_names = "Alexandra";
    p.date_of_birth = "1984-07-15";
    p.expiry_date = "2031-01-01";
    return p;
  }
  static SealVerification verify(const std::string& seal, const char* alg) {
    auto trust = TrustStore::load(token().dir / alg);
    EXPECT_TRUE(trust) << trust.error().to_string();
    return verify_seal(seal, *trust, kNow);
  }
};

TEST_F(Pkcs11, RecognisesTheScheme) {
  EXPECT_TRUE(is_pkcs11_uri("pkcs11:token=a"));
  EXPECT_TRUE(is_pkcs11_uri("PKCS11:token=a"));
  EXPECT_FALSE(is_pkcs11_uri("keys/key.pem"));
  EXPECT_FALSE(is_pkcs11_uri("pkcs11"));
}

TEST_F(Pkcs11, Es256SealFromTheTokenVerifies) {
  auto signer = load_signer(uri("object=seal-es256"), cert("es256"));
  ASSERT_TRUE(signer) << signer.error().to_string();
  EXPECT_EQ((*signer)->algorithm(), SignatureAlg::es256);
  auto certs = TrustStore::load(token().dir / "es256");
  ASSERT_TRUE(certs);
  EXPECT_EQ(certs->find((*signer)->key_id()).size(), 1u);
  auto seal = make_seal(payload(), **signer);
  ASSERT_TRUE(seal) << seal.error().to_string();
  const auto v = verify(*seal, "es256");
  EXPECT_TRUE(v.valid()) << v.message;
  EXPECT_EQ(v.cose_alg, -7);
  ASSERT_TRUE(v.payload);
  EXPECT_EQ(v.payload->document_number, "XA0000417");
  // The same card under the Ed25519 key's trust list: not this signer.
  if (token().ed25519) {
    EXPECT_EQ(verify(*seal, "ed25519").reason, SealReason::unknown_kid);
  }
}

TEST_F(Pkcs11, Ed25519SealFromTheTokenVerifiesAndIsDeterministic) {
  if (!token().ed25519) GTEST_SKIP() << "this SoftHSM2 has no Ed25519 (CKM_EC_EDWARDS_KEY_PAIR_GEN)";
  // SoftHSM 2.6.1 leaks 37 bytes of decoded curve parameters in every Ed25519 C_SignInit. LSan's
  // fast unwinder stops inside libcrypto (no frame pointers), so the libsofthsm2.so entry of
  // tests/lsan.supp cannot match: ignore this thread's allocations while SoftHSM signs.
  SDC_IGNORE_LEAKS_OF_THIS_SCOPE;
  auto signer = load_signer(uri("id=%02"), cert("ed25519"));
  ASSERT_TRUE(signer) << signer.error().to_string();
  EXPECT_EQ((*signer)->algorithm(), SignatureAlg::ed25519);
  auto a = make_seal(payload(), **signer);
  auto b = make_seal(payload(), **signer);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  const auto v = verify(*a, "ed25519");
  EXPECT_TRUE(v.valid()) << v.message;
  EXPECT_EQ(v.cose_alg, -8);
}

TEST_F(Pkcs11, CertificateReadFromTheToken) {
  auto from_file = load_signer(uri("object=seal-es256"), cert("es256"));
  auto from_token = load_pkcs11_signer(uri("id=%01"));
  auto by_uri = load_signer(uri("id=%01"), "pkcs11:token=sdc-test;object=seal-es256;type=cert");
  ASSERT_TRUE(from_file && from_token) << (from_token ? "" : from_token.error().to_string());
  EXPECT_EQ((*from_token)->key_id(), (*from_file)->key_id());
  // A certificate URI of its own: its object= selects the certificate on the key's token.
  ASSERT_TRUE(by_uri) << by_uri.error().to_string();
  EXPECT_EQ((*by_uri)->key_id(), (*from_file)->key_id());
  // A key without a certificate of its own in the token.
  auto none = load_pkcs11_signer(uri("object=seal-other"));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no certificate"), std::string::npos) << none.error().to_string();
}

TEST_F(Pkcs11, PinFromThePassphraseArgumentOrTheUri) {
  const std::string bare = "pkcs11:token=sdc-test;object=seal-es256?module-path=" + token().module.string();
  auto no_pin = load_signer(bare, cert("es256"));
  ASSERT_FALSE(no_pin);
  EXPECT_EQ(no_pin.error().code(), Errc::bad_key);
  EXPECT_NE(no_pin.error().message().find("needs its user PIN"), std::string::npos) << no_pin.error().to_string();
  EXPECT_TRUE(load_signer(bare, cert("es256"), kPin)) << "the passphrase is the PIN";
  EXPECT_TRUE(load_signer(bare + "&pin-value=1234", cert("es256")));
}

TEST_F(Pkcs11, WrongPinIsRefusedWithoutShowingIt) {
  const std::string u =
      "pkcs11:token=sdc-test;object=seal-es256?module-path=" + token().module.string() + "&pin-value=98765";
  auto s = load_signer(u, cert("es256"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), Errc::bad_key);
  const std::string text = s.error().to_string();
  EXPECT_NE(text.find("PIN"), std::string::npos) << text;
  EXPECT_EQ(text.find("98765"), std::string::npos) << text;
  // An error that quotes the URI hides the pin-value.
  auto missing =
      load_signer("pkcs11:token=sdc-test;object=no-such-key?module-path=" + token().module.string() + "&pin-value=1234",
                  cert("es256"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("no private key"), std::string::npos) << missing.error().to_string();
  EXPECT_NE(missing.error().message().find("pin-value=(hidden)"), std::string::npos) << missing.error().to_string();
  EXPECT_EQ(missing.error().to_string().find("1234"), std::string::npos) << missing.error().to_string();
  // Nor does a misspelt pin attribute show its value (refused as unknown, or no PIN given).
  auto typo =
      load_signer("pkcs11:token=sdc-test;object=seal-es256?module-path=" + token().module.string() + "&pin-valeu=24680",
                  cert("es256"));
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().to_string().find("24680"), std::string::npos) << typo.error().to_string();
}

TEST_F(Pkcs11, KeyAndCertificateThatDoNotMatchAreRefused) {
  auto s = load_signer(uri("object=seal-other"), cert("es256"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), Errc::bad_key);
  EXPECT_NE(s.error().message().find("does not belong to the certificate"), std::string::npos) << s.error().to_string();
  if (token().ed25519) {
    auto cross = load_signer(uri("object=seal-es256"), cert("ed25519"));
    ASSERT_FALSE(cross);
    EXPECT_NE(cross.error().message().find("Ed25519"), std::string::npos) << cross.error().to_string();
  }
}

TEST_F(Pkcs11, OtherCurvesAndBadUrisAreRefused) {
  auto p384 = load_signer(uri("object=seal-p384"), cert("es256"));
  ASSERT_FALSE(p384);
  EXPECT_NE(p384.error().message().find("curve other than P-256"), std::string::npos) << p384.error().to_string();
  auto typo = load_signer(uri("objekt=seal-es256"), cert("es256"));
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code(), Errc::invalid_argument) << typo.error().to_string();
  auto no_key = load_signer(uri("type=private"), cert("es256"));
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().code(), Errc::invalid_argument) << no_key.error().to_string();
  auto no_token =
      load_signer("pkcs11:token=absent;object=seal-es256?module-path=" + token().module.string(), cert("es256"), kPin);
  ASSERT_FALSE(no_token);
  EXPECT_NE(no_token.error().message().find("no PKCS#11 token matches"), std::string::npos)
      << no_token.error().to_string();
  auto no_module =
      load_signer("pkcs11:token=sdc-test;object=seal-es256?module-path=/nonexistent/module.so", cert("es256"), kPin);
  ASSERT_FALSE(no_module);
  EXPECT_EQ(no_module.error().code(), Errc::io) << no_module.error().to_string();
}

TEST_F(Pkcs11, OneSignerSharedByThreads) {
  auto signer = load_signer(uri("object=seal-es256"), cert("es256"));
  ASSERT_TRUE(signer) << signer.error().to_string();
  std::vector<std::string> seals(4 * 8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 8; ++i) {
        SealPayload p = payload();
        p.document_number = "XA" + std::to_string(1000 + t * 8 + i);
        auto s = make_seal(p, **signer);
        seals[static_cast<std::size_t>(t * 8 + i)] = s ? *s : "error: " + s.error().to_string();
      }
    });
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < seals.size(); ++i) {
    const auto v = verify(seals[i], "es256");
    EXPECT_TRUE(v.valid()) << i << ": " << seals[i] << " " << v.message;
    if (v.payload) {
      EXPECT_EQ(v.payload->document_number, "XA" + std::to_string(1000 + i));
    }
  }
}

// ---- the CLI: every command that takes --key takes the URI ----

TEST_F(Pkcs11, CliRendersAndSealsWithTheTokenKey) {
  ASSERT_TRUE(fs::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
  const std::string sdc = quoted(cli().string());
  const fs::path out = token().dir / "card";
  // The PIN from --passphrase-file, the module from the URI.
  const std::string key = "pkcs11:token=sdc-test;object=seal-es256?module-path=" + token().module.string();
  const auto render = run(sdc + " render -t " + kSrc + "/assets/templates/specimen.json -r " + kSrc +
                          "/assets/records/specimen.json --side back --out " + quoted(out.string()) + " --key " +
                          quoted(key) + " --cert " + quoted(cert("es256").string()) + " --passphrase-file " +
                          quoted((token().dir / "pin.txt").string()));
  ASSERT_EQ(render.status, 0) << render.out;
  const auto v = run(sdc + " verify --image " + quoted((out / "back.png").string()) + " --trust " +
                     quoted((token().dir / "es256").string()) + " --at 2026-12-01");
  ASSERT_EQ(v.status, 0) << v.out;
  const auto j = nlohmann::json::parse(v.out.substr(v.out.find('{')));
  ASSERT_EQ(j["seals"].size(), 1u) << v.out;
  EXPECT_TRUE(j["seals"][0]["valid"].get<bool>()) << v.out;

  // sdc seal | sdc verify-seal, the certificate read from the token this time.
  const fs::path seal_file = token().dir / "seal.txt";
  const auto seal =
      run_command(sdc + " seal --record " + kSrc + "/assets/records/specimen.json --key " + quoted(uri("id=%01")) +
                  " --cert " + quoted("pkcs11:token=sdc-test;id=%01") + " > " + quoted(seal_file.string()));
  ASSERT_EQ(seal.status, 0);
  const auto check = run(sdc + " verify-seal --at 2026-12-01 --trust " + quoted((token().dir / "es256").string()) +
                         " < " + quoted(seal_file.string()));
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("\"valid\""), std::string::npos) << check.out;

  // A wrong PIN: a clear error, exit status not 0, and the PIN is not printed.
  const auto bad = run(sdc + " seal --record " + kSrc + "/assets/records/specimen.json --key " +
                       quoted(key + "&pin-value=55555") + " --cert " + quoted(cert("es256").string()));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("PIN"), std::string::npos) << bad.out;
  EXPECT_EQ(bad.out.find("55555"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace sdc::test
