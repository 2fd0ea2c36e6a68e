// Seal round trips and every rejection reason.
#include "seal/seal_support.hpp"

#include <sdc/qr.hpp>

#include "seal/seal_detail.hpp"

#include <sys/stat.h>
#include <fstream>
#include <map>
#include <random>

namespace sdc::test {
namespace {

const std::int64_t kNow = utc(2027, 1, 15);

TEST(Payload, RoundTripAndDeterministic) {
  const SealPayload p = specimen_payload();
  auto a = encode_seal_payload(p), b = encode_seal_payload(p);
  ASSERT_TRUE(a) << a.error().to_string();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ((*a)[0], 0xB0);  // a definite map of 16 pairs: the MRZ forms are implied
  EXPECT_EQ((*a)[1], 0x00);  // key 0 first: keys ascend
  auto back = decode_seal_payload(*a);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, p);
}

TEST(Payload, LatinFormOmittedWhenImpliedAndRestored) {
  SealPayload p = specimen_payload();
  p.given_names_latin.clear();  // empty: the implied form
  auto implied = encode_seal_payload(p);
  ASSERT_TRUE(implied);
  p.surname_latin = "SPECIMEN<EXEMPLUM";  // differs from the implied form: carried
  p.given_names_latin = p.given_names;    // "Alexandra Maria" as is: carried
  auto carried = encode_seal_payload(p);
  ASSERT_TRUE(carried);
  EXPECT_EQ(carried->size(), implied->size() + 2 + 17 + 2 + 15);
  auto back = decode_seal_payload(*implied);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->surname_latin, "SPECIMEN<EXAMPLE");
  EXPECT_EQ(back->given_names_latin, "ALEXANDRA<MARIA");
  auto back2 = decode_seal_payload(*carried);
  ASSERT_TRUE(back2);
  EXPECT_EQ(back2->surname_latin, "SPECIMEN<EXEMPLUM");
  EXPECT_EQ(back2->given_names_latin, "Alexandra Maria");
  // Non-ASCII names imply themselves.
  SealPayload g;
  g.surname = "\xCE\xA9\xCE\xA1";
  auto gb = encode_seal_payload(g);
  ASSERT_TRUE(gb);
  EXPECT_EQ(decode_seal_payload(*gb)->surname_latin, g.surname);
}

TEST(Payload, DatesAreTag100DayCounts) {
  SealPayload p;
  p.date_of_birth = "1969-12-31";  // day -1
  p.expiry_date = "2000-02-29";
  auto bytes = encode_seal_payload(p);
  ASSERT_TRUE(bytes);
  // {0: 1, 10: 100(-1), 14: 100(11016)}
  EXPECT_EQ(tohex(*bytes), "a300010ad864200ed864192b08");
}

TEST(Payload, InvalidFieldsNamed) {
  struct Case {
    void (*edit)(SealPayload&);
    const char* field;
  };
  const Case cases[] = {
      {[](SealPayload& p) { p.date_of_birth = "1984-02-30"; }, "date_of_birth"},
      {[](SealPayload& p) { p.expiry_date = "2027/11/01"; }, "expiry_date"},
      {[](SealPayload& p) { p.sex = "female"; }, "sex"},
      {[](SealPayload& p) { p.card_variant = "provisional"; }, "card_variant"},
      {[](SealPayload& p) { p.pattern_id = "xyz0"; }, "pattern_id"},
      {[](SealPayload& p) { p.surname = std::string(201, 'A'); }, "surname"},
      {[](SealPayload& p) { p.given_names = "\xC3\x28"; }, "given_names"},
      {[](SealPayload& p) { p.version = 2; }, "version"},
  };
  for (const auto& c : cases) {
    SealPayload p = specimen_payload();
    c.edit(p);
    auto r = encode_seal_payload(p);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code(), Errc::invalid_field);
    EXPECT_EQ(r.error().where().field, c.field);
  }
}

TEST(Payload, DecodeRejectsWrongTypesAndTrailingBytes) {
  auto good = encode_seal_payload(specimen_payload());
  ASSERT_TRUE(good);
  auto trailing = *good;
  trailing.push_back(0x00);
  EXPECT_FALSE(decode_seal_payload(trailing));
  EXPECT_FALSE(decode_seal_payload(unhex("a10002")));        // version 2
  EXPECT_FALSE(decode_seal_payload(unhex("a1060c")));        // no version, surname an int
  EXPECT_FALSE(decode_seal_payload(unhex("a200010a6131")));  // date as text
  EXPECT_FALSE(decode_seal_payload(unhex("80")));            // not a map
  // Unknown keys are ignored.
  auto future = decode_seal_payload(unhex("a20001181e6378797a"));
  ASSERT_TRUE(future) << future.error().message();
}

TEST(Keys, KeygenWritesPrivateKeyReadableByOwnerOnly) {
  TestKey k(SignatureAlg::ed25519);
  struct stat st {};
  ASSERT_EQ(::stat((k.dir.path / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_NE(k.generated.key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);  // PKCS#8
  EXPECT_EQ(k.signer->key_id(), k.generated.kid);
  EXPECT_EQ(k.generated.kid.size(), 8u);
  // Never overwrites an existing key.
  auto again = write_generated_key(k.generated, k.dir.path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), Errc::io);
}

TEST(Keys, PassphraseProtectedKey) {
  TempDir dir;
  KeygenOptions o;
  o.alg = SignatureAlg::es256;
  o.passphrase = "correct horse battery staple";
  auto g = generate_key(o);
  ASSERT_TRUE(g);
  EXPECT_NE(g->key_pem.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  ASSERT_TRUE(write_generated_key(*g, dir.path));
  auto ok = load_signer(dir.path / "key.pem", dir.path / "cert.pem", o.passphrase);
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ((*ok)->algorithm(), SignatureAlg::es256);
  for (std::string_view pass : {std::string_view{}, std::string_view{"wrong"}}) {
    auto bad = load_signer(dir.path / "key.pem", dir.path / "cert.pem", pass);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code(), Errc::bad_key);
    // The error names the file and never repeats the passphrase or key material.
    EXPECT_NE(bad.error().to_string().find("key.pem"), std::string::npos);
    EXPECT_EQ(bad.error().to_string().find("correct horse"), std::string::npos);
    EXPECT_EQ(bad.error().to_string().find("MII"), std::string::npos);
  }
}

TEST(Keys, MismatchedKeyAndCertificateAndMissingFiles) {
  TestKey a(SignatureAlg::es256), b(SignatureAlg::es256);
  auto mixed = load_signer(a.dir.path / "key.pem", b.dir.path / "cert.pem");
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().message().find("does not belong"), std::string::npos);
  auto missing = load_signer(a.dir.path / "nope.pem", a.dir.path / "cert.pem");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
  EXPECT_EQ(missing.error().where().file, (a.dir.path / "nope.pem").string());
  auto not_a_key = load_signer(a.dir.path / "cert.pem", a.dir.path / "cert.pem");
  ASSERT_FALSE(not_a_key);
  EXPECT_EQ(not_a_key.error().code(), Errc::bad_key);
}

TEST(Keys, DerKeyAndCertificateLoad) {
  // Convert the PEM files to DER with the same library the CLI ships, through OpenSSL's own
  // command line if present; otherwise this test is not meaningful.
  TestKey k(SignatureAlg::es256);
  const auto key_der = k.dir.path / "key.der", cert_der = k.dir.path / "cert.der";
  const std::string cmd = "openssl pkey -in " + (k.dir.path / "key.pem").string() + " -outform DER -out " +
                          key_der.string() + " 2>/dev/null && openssl x509 -in " + (k.dir.path / "cert.pem").string() +
                          " -outform DER -out " + cert_der.string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl command line tool not available";
  auto s = load_signer(key_der, cert_der);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ((*s)->key_id(), k.generated.kid);
}

class SealRoundTrip : public ::testing::TestWithParam<SignatureAlg> {};

TEST_P(SealRoundTrip, SignedSealVerifies) {
  TestKey k(GetParam());
  auto seal = make_seal(specimen_payload(), *k.signer);
  ASSERT_TRUE(seal) << seal.error().to_string();
  EXPECT_EQ(seal->rfind("SDC1:", 0), 0u);
  const auto v = verify_seal(*seal, k.trust, kNow);
  EXPECT_TRUE(v.valid()) << to_string(v.reason) << ": " << v.message;
  ASSERT_TRUE(v.payload);
  EXPECT_EQ(*v.payload, specimen_payload());
  EXPECT_EQ(v.kid, k.generated.kid);
  ASSERT_TRUE(v.signer);
  EXPECT_EQ(v.signer->subject, "CN=sdc test signer");
  EXPECT_EQ(v.algorithm, GetParam());
  EXPECT_EQ(v.cose_alg, GetParam() == SignatureAlg::es256 ? -7 : -8);
  // The whole seal fits QR version 12 at level M, in alphanumeric mode.
  auto qr = encode_qr(*seal, QrEcLevel::M);
  ASSERT_TRUE(qr);
  EXPECT_LE(qr->version, 12);
}

TEST_P(SealRoundTrip, DeterminismMatchesTheAlgorithm) {
  TestKey k(GetParam());
  auto a = make_seal(specimen_payload(), *k.signer), b = make_seal(specimen_payload(), *k.signer);
  ASSERT_TRUE(a && b);
  if (GetParam() == SignatureAlg::ed25519) {
    EXPECT_EQ(*a, *b);  // RFC 8032 signatures are deterministic
  } else {
    EXPECT_NE(*a, *b);  // OpenSSL 3.0 ECDSA draws a random nonce: only the signature differs
    const auto ca = base45_decode(a->substr(5)), cb = base45_decode(b->substr(5));
    ASSERT_TRUE(ca && cb);
  }
}

TEST_P(SealRoundTrip, EveryChangedCharacterIsRejected) {
  TestKey k(GetParam());
  SealOptions o;
  o.compress = false;  // so every payload byte sits in the text as is
  auto seal = make_seal(specimen_payload(), *k.signer, o);
  ASSERT_TRUE(seal);
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  std::map<SealReason, int> reasons;
  for (std::size_t i = 0; i < seal->size(); ++i) {
    std::string t = *seal;
    const auto pos = kAlphabet.find(t[i]);
    t[i] = kAlphabet[(pos == std::string_view::npos ? 0 : pos + 1) % kAlphabet.size()];
    const auto v = verify_seal(t, k.trust, kNow);
    EXPECT_FALSE(v.valid()) << "character " << i << " changed, still valid";
    ++reasons[v.reason];
  }
  EXPECT_GT(reasons[SealReason::bad_signature], 100);
  EXPECT_GT(reasons[SealReason::bad_prefix], 0);
}

TEST_P(SealRoundTrip, EveryChangedBitOfTheCoseMessageIsRejected) {
  TestKey k(GetParam());
  auto cbor = encode_seal_payload(specimen_payload());
  auto cose = make_cose_sign1(*cbor, *k.signer);
  ASSERT_TRUE(cose);
  ASSERT_TRUE(verify_cose_sign1(*cose, k.trust, kNow).valid());
  for (std::size_t i = 0; i < cose->size(); ++i) {
    for (int bit : {0, 7}) {
      auto m = *cose;
      m[i] = static_cast<std::uint8_t>(m[i] ^ (1u << bit));
      EXPECT_FALSE(verify_cose_sign1(m, k.trust, kNow).valid()) << "byte " << i << " bit " << bit;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Algs, SealRoundTrip, ::testing::Values(SignatureAlg::es256, SignatureAlg::ed25519),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(Verify, AnotherKeyIsUnknownOrBadSignature) {
  TestKey mine(SignatureAlg::es256), other(SignatureAlg::es256);
  auto seal = make_seal(specimen_payload(), *other.signer);
  ASSERT_TRUE(seal);
  EXPECT_EQ(verify_seal(*seal, mine.trust, kNow).reason, SealReason::unknown_kid);
  // A forger who copies our kid into his seal still fails on the signature.
  class KidThief final : public Signer {
   public:
    KidThief(const Signer& real, std::vector<std::uint8_t> kid) : real_(real), kid_(std::move(kid)) {}
    SignatureAlg algorithm() const noexcept override { return real_.algorithm(); }
    std::vector<std::uint8_t> key_id() const override { return kid_; }
    Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const override { return real_.sign(tbs); }

   private:
    const Signer& real_;
    std::vector<std::uint8_t> kid_;
  };
  KidThief thief(*other.signer, mine.generated.kid);
  auto forged = make_seal(specimen_payload(), thief);
  ASSERT_TRUE(forged);
  const auto v = verify_seal(*forged, mine.trust, kNow);
  EXPECT_EQ(v.reason, SealReason::bad_signature) << v.message;
  // An Ed25519 seal under the kid of a P-256 certificate: the key cannot verify that algorithm.
  TestKey ed(SignatureAlg::ed25519);
  KidThief cross(*ed.signer, mine.generated.kid);
  auto crossed = make_seal(specimen_payload(), cross);
  ASSERT_TRUE(crossed);
  EXPECT_EQ(verify_seal(*crossed, mine.trust, kNow).reason, SealReason::unsupported_algorithm);
}

TEST(Verify, RevokedKidAndRevokedDocument) {
  TestKey k(SignatureAlg::ed25519);
  auto seal = make_seal(specimen_payload(), *k.signer);
  ASSERT_TRUE(seal);
  TrustStore by_kid = k.trust;
  by_kid.revoke_kid(k.generated.kid);
  auto v = verify_seal(*seal, by_kid, kNow);
  EXPECT_EQ(v.reason, SealReason::revoked);
  EXPECT_NE(v.message.find(tohex(k.generated.kid)), std::string::npos) << v.message;
  TrustStore by_doc = k.trust;
  by_doc.revoke_document("XA0000417");
  v = verify_seal(*seal, by_doc, kNow);
  EXPECT_EQ(v.reason, SealReason::revoked);
  EXPECT_NE(v.message.find("XA0000417"), std::string::npos);
  by_doc.revoke_document("XA0000418");
  EXPECT_TRUE(verify_seal(*seal, k.trust, kNow).valid());  // the original store is untouched
}

TEST(Verify, CardExpiryIsInclusiveOfTheLastDay) {
  TestKey k(SignatureAlg::ed25519);
  auto seal = make_seal(specimen_payload(), *k.signer);  // expires 2027-11-01
  ASSERT_TRUE(seal);
  EXPECT_TRUE(verify_seal(*seal, k.trust, utc(2027, 11, 1) + 86399).valid());
  const auto v = verify_seal(*seal, k.trust, utc(2027, 11, 2));
  EXPECT_EQ(v.reason, SealReason::expired);
  EXPECT_NE(v.message.find("2027-11-01"), std::string::npos);
}

TEST(Verify, CertificateNotValidAtThatTime) {
  TestKey k(SignatureAlg::es256, utc(2026, 1, 1), 365);
  auto seal = make_seal(specimen_payload(), *k.signer);
  ASSERT_TRUE(seal);
  EXPECT_TRUE(verify_seal(*seal, k.trust, utc(2026, 6, 1)).valid());
  auto v = verify_seal(*seal, k.trust, utc(2027, 6, 1));
  EXPECT_EQ(v.reason, SealReason::certificate_not_valid);
  EXPECT_NE(v.message.find("2027-01-01T00:00:00Z"), std::string::npos) << v.message;
  EXPECT_EQ(verify_seal(*seal, k.trust, utc(2025, 6, 1)).reason, SealReason::certificate_not_valid);
}

TEST(Verify, PrefixBase45AndSizeReasons) {
  TestKey k(SignatureAlg::ed25519);
  auto seal = make_seal(specimen_payload(), *k.signer);
  ASSERT_TRUE(seal);
  EXPECT_EQ(verify_seal("HC1:" + seal->substr(5), k.trust, kNow).reason, SealReason::bad_prefix);
  EXPECT_EQ(verify_seal(seal->substr(5), k.trust, kNow).reason, SealReason::bad_prefix);
  EXPECT_EQ(verify_seal("SDC1:abc", k.trust, kNow).reason, SealReason::bad_base45);
  EXPECT_EQ(verify_seal("SDC1:" + std::string(9000, '0'), k.trust, kNow).reason, SealReason::too_large);
  // Another issuer's prefix is configurable.
  SealOptions so;
  so.prefix = "HC1:";
  auto hc1 = make_seal(specimen_payload(), *k.signer, so);
  ASSERT_TRUE(hc1);
  VerifyOptions vo;
  vo.prefix = "HC1:";
  EXPECT_TRUE(verify_seal(*hc1, k.trust, kNow, vo).valid());
  so.prefix = "sdc1:";
  EXPECT_EQ(make_seal(specimen_payload(), *k.signer, so).error().code(), Errc::invalid_argument);
}

TEST(Verify, ZipBombIsRefusedAndBrokenZlibReported) {
  TrustStore empty;
  // 1 MiB of zeros compresses to about 1 KiB: inflation must stop at the 64 KiB cap.
  const std::vector<std::uint8_t> zeros(1 << 20, 0);
  const auto bomb = detail::zlib_compress(zeros);
  ASSERT_EQ(bomb[0], 0x78);
  auto v = verify_seal("SDC1:" + base45_encode(bomb), empty, kNow);
  EXPECT_EQ(v.reason, SealReason::too_large) << v.message;
  auto broken = bomb;
  broken.resize(20);
  EXPECT_EQ(verify_seal("SDC1:" + base45_encode(broken), empty, kNow).reason, SealReason::bad_compression);
  broken[5] ^= 0xFF;
  EXPECT_EQ(verify_seal("SDC1:" + base45_encode(broken), empty, kNow).reason, SealReason::bad_compression);
}

TEST(Verify, MalformedCoseAndPayload) {
  TestKey k(SignatureAlg::ed25519);
  auto wrap = [](std::vector<std::uint8_t> b) { return "SDC1:" + base45_encode(b); };
  EXPECT_EQ(verify_seal(wrap(unhex("d28443a10127a0")), k.trust, kNow).reason, SealReason::malformed_cose);
  EXPECT_EQ(verify_seal(wrap(unhex("d9039a84")), k.trust, kNow).reason, SealReason::malformed_cose);  // truncated
  // A container claiming 2^32 items in 9 bytes is refused before any allocation.
  EXPECT_EQ(verify_seal(wrap(unhex("d2849b00000000ffffffff")), k.trust, kNow).reason, SealReason::malformed_cose);
  // Deep nesting is refused (libcbor frees recursively).
  EXPECT_EQ(verify_seal(wrap(std::vector<std::uint8_t>(5000, 0x81)), k.trust, kNow).reason, SealReason::malformed_cose);
  // A well-signed message whose payload is not an sdc payload.
  const std::vector<std::uint8_t> not_ours = {0x63, 'a', 'b', 'c'};
  auto cose = make_cose_sign1(not_ours, *k.signer);
  ASSERT_TRUE(cose);
  auto v = verify_seal(wrap(*cose), k.trust, kNow);
  EXPECT_EQ(v.reason, SealReason::malformed_payload);
  VerifyOptions opaque;
  opaque.payload_format = PayloadFormat::opaque;
  v = verify_seal(wrap(*cose), k.trust, kNow, opaque);
  EXPECT_TRUE(v.valid()) << v.message;
  EXPECT_EQ(v.payload_bytes, not_ours);
}

TEST(Verify, UnsupportedAlgorithmInHeader) {
  TestKey k(SignatureAlg::es256);
  // Protected header {1: -35 (ES384), 4: kid}: refused before the kid is looked up.
  const auto prot = detail::cose_protected_header(-35, k.generated.kid);
  const auto msg = detail::cose_sign1_message(prot, unhex("a0"), std::vector<std::uint8_t>(96, 1));
  const auto v = verify_cose_sign1(msg, k.trust, kNow);
  EXPECT_EQ(v.reason, SealReason::unsupported_algorithm);
  EXPECT_NE(v.message.find("ES384"), std::string::npos) << v.message;
}

TEST(Fuzz, RandomAndTruncatedSealsNeverCrash) {
  // The SPECIMEN Ed25519 key, whose signatures are deterministic: the same two seals are fuzzed on
  // every run. (With a key made afresh and ES256's random signatures the seals differed per run,
  // and on one run in many an edit verified: one that leaves the signed message as it was, the
  // last deflate byte's unused bits; see the next test and docs/seal.md, "Malleability".)
  const auto signer = specimen_signer(SignatureAlg::ed25519);
  const TrustStore trust = specimen_trust(SignatureAlg::ed25519);
  auto seal = make_seal(specimen_payload(), *signer);
  ASSERT_TRUE(seal);
  auto raw = make_seal(specimen_payload(), *signer, SealOptions{.compress = false});
  ASSERT_TRUE(raw);
  const auto signed_payload = verify_seal(*seal, trust, kNow).payload_bytes;
  ASSERT_FALSE(signed_payload.empty());
  std::mt19937 rng(20261123);
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  int valid = 0, forged = 0;
  for (const std::string* base : {&*seal, &*raw}) {
    for (std::size_t n = 0; n <= base->size(); ++n) valid += verify_seal(base->substr(0, n), trust, kNow).valid();
    for (int i = 0; i < 3000; ++i) {
      std::string t = *base;
      const int edits = 1 + static_cast<int>(rng() % 8);
      for (int e = 0; e < edits; ++e) t[5 + rng() % (t.size() - 5)] = kAlphabet[rng() % kAlphabet.size()];
      if (rng() % 4 == 0) t.resize(5 + rng() % (t.size() - 5));
      const auto v = verify_seal(t, trust, kNow);
      // An edit that still verifies must carry the very payload that was signed (a deflate
      // stream's unused last bits, say); another payload would be a forgery.
      forged += v.valid() && v.payload_bytes != signed_payload;
    }
  }
  EXPECT_EQ(valid, 2);  // of the truncations, only the two untruncated originals
  EXPECT_EQ(forged, 0);
  // Random CBOR-ish bytes, compressed and not, straight into the COSE layer.
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::uint8_t> b(rng() % 200);
    for (auto& c : b) c = static_cast<std::uint8_t>(rng());
    if (!b.empty() && rng() % 2) b[0] = 0xD2;
    if (b.size() > 1 && rng() % 2) b[1] = 0x84;
    EXPECT_FALSE(verify_cose_sign1(b, trust, kNow).valid());
    EXPECT_FALSE(verify_seal("SDC1:" + base45_encode(detail::zlib_compress(b)), trust, kNow).valid());
  }
}

TEST(Fuzz, TheLastDeflateBytesUnusedBitsAreOutsideTheSignature) {
  // The compression is not signed: a zlib stream whose last deflate byte differs in the bits that
  // follow the end-of-block code inflates to the same COSE message, and verifies. Such a text is
  // another text of the same seal, never another payload (docs/seal.md, "Malleability").
  const auto signer = specimen_signer(SignatureAlg::ed25519);
  const TrustStore trust = specimen_trust(SignatureAlg::ed25519);
  SealPayload p = specimen_payload();
  p.office = "Specimen City Field Office, Specimen City Field Office Annex, Specimen City Field Office";
  const auto seal = make_seal(p, *signer);
  ASSERT_TRUE(seal);
  const auto original = verify_seal(*seal, trust, kNow);
  ASSERT_TRUE(original.valid()) << original.message;
  ASSERT_TRUE(original.compressed) << "the payload must be long enough for deflate to pay";
  const auto bytes = base45_decode(std::string_view(*seal).substr(5));
  ASSERT_TRUE(bytes);
  const std::size_t last = bytes->size() - 5;  // the last deflate byte, before the Adler-32
  int same = 0, failed = 0;
  for (int bit = 0; bit < 8; ++bit) {
    auto edited = *bytes;
    edited[last] ^= static_cast<std::uint8_t>(1u << bit);
    const auto v = verify_seal("SDC1:" + base45_encode(edited), trust, kNow);
    if (v.valid()) {
      EXPECT_EQ(v.payload_bytes, original.payload_bytes) << "bit " << bit;
      ++same;
    } else {
      EXPECT_EQ(v.reason, SealReason::bad_compression) << "bit " << bit << ": " << v.message;
      ++failed;
    }
  }
  EXPECT_GE(same, 1);    // the end-of-block code ends before the byte does
  EXPECT_GE(failed, 1);  // and a flip inside it breaks the stream
}

TEST(TrustStoreFiles, DirectoryJsonAndRevocations) {
  TestKey a(SignatureAlg::es256), b(SignatureAlg::ed25519);
  TempDir dir;
  std::ofstream(dir.path / "a.pem") << a.generated.cert_pem;
  std::ofstream(dir.path / "b.crt") << b.generated.cert_pem;
  std::ofstream(dir.path / "notes.txt") << "not a certificate";
  std::ofstream(dir.path / "revoked.json")
      << R"({"kids": [")" << tohex(b.generated.kid) << R"("], "documents": ["XA0000001"]})";
  auto store = TrustStore::load_dir(dir.path);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(store->find(a.generated.kid).size(), 1u);
  EXPECT_EQ(store->find(a.generated.kid)[0].key_type, "P-256");
  EXPECT_EQ(store->find(b.generated.kid)[0].key_type, "Ed25519");
  EXPECT_TRUE(store->is_revoked_kid(b.generated.kid));
  EXPECT_TRUE(store->is_revoked_document("XA0000001"));
  EXPECT_FALSE(store->is_revoked_document(""));
  auto seal_a = make_seal(specimen_payload(), *a.signer), seal_b = make_seal(specimen_payload(), *b.signer);
  EXPECT_TRUE(verify_seal(*seal_a, *store, kNow).valid());
  EXPECT_EQ(verify_seal(*seal_b, *store, kNow).reason, SealReason::revoked);

  nlohmann::json list = {{"certificates", {a.generated.cert_pem}}, {"revoked_documents", {"XA0000417"}}};
  std::ofstream(dir.path / "trust.json") << list.dump();
  auto js = TrustStore::load_json(dir.path / "trust.json");
  ASSERT_TRUE(js) << js.error().to_string();
  EXPECT_EQ(js->size(), 1u);
  EXPECT_EQ(verify_seal(*seal_a, *js, kNow).reason, SealReason::revoked);

  std::ofstream(dir.path / "bad.json") << R"({"certificates": ["bm90IGEgY2VydA=="]})";
  auto bad = TrustStore::load_json(dir.path / "bad.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().json_path, "/certificates/0");
  EXPECT_FALSE(TrustStore::load_dir(dir.path / "missing"));
}

// Shows how a vendor plugs in a hardware module: implement Signer; the seal layer needs only
// the algorithm, the kid and a signature in COSE form. Here the "module" is a software key.
TEST(CustomSigner, HardwareModuleStyleSignerProducesVerifiableSeals) {
  TestKey k(SignatureAlg::es256);
  class HsmSigner final : public Signer {
   public:
    explicit HsmSigner(std::shared_ptr<const Signer> slot) : slot_(std::move(slot)) {}
    SignatureAlg algorithm() const noexcept override { return SignatureAlg::es256; }
    std::vector<std::uint8_t> key_id() const override { return slot_->key_id(); }
    Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const override {
      ++calls;
      return slot_->sign(tbs);  // a real module would be called over PKCS#11 here
    }
    mutable int calls = 0;

   private:
    std::shared_ptr<const Signer> slot_;
  };
  HsmSigner hsm(k.signer);
  auto seal = make_seal(specimen_payload(), hsm);
  ASSERT_TRUE(seal);
  EXPECT_EQ(hsm.calls, 1);
  EXPECT_TRUE(verify_seal(*seal, k.trust, kNow).valid());

  // A module that returns DER instead of r||s is caught with a clear error.
  class DerSigner final : public Signer {
   public:
    SignatureAlg algorithm() const noexcept override { return SignatureAlg::es256; }
    std::vector<std::uint8_t> key_id() const override { return {1, 2, 3, 4, 5, 6, 7, 8}; }
    Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t>) const override {
      return std::vector<std::uint8_t>(71, 0x30);
    }
  };
  auto der = make_seal(specimen_payload(), DerSigner{});
  ASSERT_FALSE(der);
  EXPECT_NE(der.error().hint().find("r||s"), std::string::npos);
}

}  // namespace
}  // namespace sdc::test
