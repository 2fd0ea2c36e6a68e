// Key hygiene (issue 12, hostile inputs 10, 11, 15 and 19): keygen writes both files or neither,
// never over an existing pair unless asked, never through a symbolic link; loading tells an
// encrypted key without its passphrase from a wrong one, refuses a passphrase for a key stored in
// clear, and warns about a key file others can read and a certificate outside its validity.
#include "seal/seal_support.hpp"

#include "seal/seal_detail.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>

namespace sdc::test {
namespace {

GeneratedKey make_key(SignatureAlg alg = SignatureAlg::ed25519, std::string passphrase = {},
                      std::int64_t not_before = utc(2020, 1, 1), int days = 36500) {
  return generate_test_key(alg, not_before, days, "sdc test signer", std::move(passphrase));
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// Files in `dir`, hidden temporaries included.
std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Keygen, RefusesAFolderHoldingEitherFileAndWritesNothing) {
  TempDir dir;
  std::ofstream(dir.path / "cert.pem") << "an older certificate\n";
  auto st = write_generated_key(make_key(), dir.path);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), Errc::io);
  EXPECT_NE(st.error().to_string().find("cert.pem"), std::string::npos);
  EXPECT_NE(st.error().to_string().find("--force"), std::string::npos);
  EXPECT_EQ(names_in(dir.path), std::vector<std::string>{"cert.pem"});
  EXPECT_EQ(slurp(dir.path / "cert.pem"), "an older certificate\n");
}

TEST(Keygen, ForceReplacesBothAndKeepsTheKeyPrivate) {
  TempDir dir;
  const auto first = make_key(), second = make_key();
  ASSERT_TRUE(write_generated_key(first, dir.path));
  auto again = write_generated_key(second, dir.path);
  ASSERT_FALSE(again);
  EXPECT_EQ(slurp(dir.path / "key.pem"), first.key_pem);
  ASSERT_TRUE(write_generated_key(second, dir.path, /*replace=*/true));
  EXPECT_EQ(slurp(dir.path / "key.pem"), second.key_pem);
  EXPECT_EQ(slurp(dir.path / "cert.pem"), second.cert_pem);
  EXPECT_EQ(mode_of(dir.path / "key.pem"), 0600u);
  EXPECT_EQ(names_in(dir.path), (std::vector<std::string>{"cert.pem", "key.pem"}));
  auto signer = load_signer(dir.path / "key.pem", dir.path / "cert.pem");
  ASSERT_TRUE(signer) << signer.error().to_string();
  EXPECT_EQ((*signer)->key_id(), second.kid);
}

TEST(Keygen, NeverWritesThroughASymbolicLink) {
  TempDir dir, elsewhere;
  const auto victim = elsewhere.path / "precious.txt";
  std::ofstream(victim) << "not a certificate\n";
  std::filesystem::create_directories(dir.path / "keys");
  std::filesystem::create_symlink(victim, dir.path / "keys" / "cert.pem");
  // Without --force the link is an existing cert.pem: refused.
  ASSERT_FALSE(write_generated_key(make_key(), dir.path / "keys"));
  EXPECT_FALSE(std::filesystem::exists(dir.path / "keys" / "key.pem"));
  // With it, the link itself is replaced and its target is left alone.
  const auto g = make_key();
  ASSERT_TRUE(write_generated_key(g, dir.path / "keys", true));
  EXPECT_EQ(slurp(victim), "not a certificate\n");
  EXPECT_FALSE(std::filesystem::is_symlink(dir.path / "keys" / "cert.pem"));
  EXPECT_EQ(slurp(dir.path / "keys" / "cert.pem"), g.cert_pem);
}

TEST(Keygen, RefusesToReplaceAFifoEvenWithForce) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path / "cert.pem").c_str(), 0644), 0);
  auto st = write_generated_key(make_key(), dir.path, true);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().to_string().find("not a regular file"), std::string::npos);
  EXPECT_EQ(names_in(dir.path), std::vector<std::string>{"cert.pem"});  // no key.pem, no temporary
}

// A disk that fills up after the key is written: a file size limit makes the certificate's write
// fail (EFBIG) as a full disk would. Neither half of the pair may remain.
TEST(Keygen, AFailedCertificateWriteLeavesNoKey) {
  TempDir dir;
  const auto g = make_key(SignatureAlg::es256);
  ASSERT_LT(g.key_pem.size(), 400u);
  ASSERT_GT(g.cert_pem.size(), 400u);
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 400;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto st = write_generated_key(g, dir.path);
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), Errc::io);
  EXPECT_TRUE(names_in(dir.path).empty()) << names_in(dir.path).front();
  // The next run works without anything to clean up by hand.
  ASSERT_TRUE(write_generated_key(g, dir.path));
}

TEST(KeyLoading, PassphraseErrorsSayWhatIsWrong) {
  TempDir enc, clear;
  ASSERT_TRUE(write_generated_key(make_key(SignatureAlg::es256, "correct horse battery staple"), enc.path));
  ASSERT_TRUE(write_generated_key(make_key(SignatureAlg::es256), clear.path));

  auto missing = load_signer(enc.path / "key.pem", enc.path / "cert.pem");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::bad_key);
  EXPECT_NE(missing.error().message().find("encrypted and no passphrase"), std::string::npos);

  auto wrong = load_signer(enc.path / "key.pem", enc.path / "cert.pem", "battery horse");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("passphrase is wrong"), std::string::npos);
  EXPECT_EQ(wrong.error().to_string().find("battery horse"), std::string::npos);

  // The operator believes the key is protected; it is not.
  auto needless = load_signer(clear.path / "key.pem", clear.path / "cert.pem", "correct horse battery staple");
  ASSERT_FALSE(needless);
  EXPECT_EQ(needless.error().code(), Errc::bad_key);
  EXPECT_NE(needless.error().message().find("not encrypted"), std::string::npos);
  EXPECT_EQ(needless.error().to_string().find("correct horse"), std::string::npos);

  // Garbage is still "not a key", not a passphrase problem.
  std::ofstream(clear.path / "junk.pem") << "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  auto junk = load_signer(clear.path / "junk.pem", clear.path / "cert.pem");
  ASSERT_FALSE(junk);
  EXPECT_NE(junk.error().message().find("not a PEM or DER private key"), std::string::npos);
}

TEST(KeyLoading, WarnsAboutAKeyOthersCanRead) {
  TempDir dir;
  ASSERT_TRUE(write_generated_key(make_key(), dir.path));
  auto tight = load_signer(dir.path / "key.pem", dir.path / "cert.pem");
  ASSERT_TRUE(tight);
  EXPECT_TRUE((*tight)->warnings().empty());

  ASSERT_EQ(::chmod((dir.path / "key.pem").c_str(), 0640), 0);
  auto group = load_signer(dir.path / "key.pem", dir.path / "cert.pem");
  ASSERT_TRUE(group);
  ASSERT_EQ((*group)->warnings().size(), 1u);
  EXPECT_NE((*group)->warnings()[0].find("readable by its group (mode 0640)"), std::string::npos);

  ASSERT_EQ(::chmod((dir.path / "key.pem").c_str(), 0644), 0);
  auto world = load_signer(dir.path / "key.pem", dir.path / "cert.pem");
  ASSERT_TRUE(world);
  ASSERT_EQ((*world)->warnings().size(), 1u);
  EXPECT_NE((*world)->warnings()[0].find("readable by everyone"), std::string::npos);
  EXPECT_NE((*world)->warnings()[0].find("chmod 600"), std::string::npos);
  // A key that is not in a file has no mode to warn about.
  const auto key = slurp(dir.path / "key.pem"), cert = slurp(dir.path / "cert.pem");
  auto mem = make_signer(std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()),
                         std::span(reinterpret_cast<const std::uint8_t*>(cert.data()), cert.size()));
  ASSERT_TRUE(mem);
  EXPECT_TRUE((*mem)->warnings().empty());
}

TEST(KeyLoading, WarnsAboutACertificateOutsideItsValidity) {
  TempDir expired, future;
  ASSERT_TRUE(write_generated_key(make_key(SignatureAlg::ed25519, {}, utc(2001, 1, 1), 30), expired.path));
  ASSERT_TRUE(write_generated_key(make_key(SignatureAlg::ed25519, {}, utc(2199, 1, 1), 30), future.path));
  auto old = load_signer(expired.path / "key.pem", expired.path / "cert.pem");
  ASSERT_TRUE(old);  // allowed (re-signing history is legitimate), but said
  ASSERT_EQ((*old)->warnings().size(), 1u);
  EXPECT_NE((*old)->warnings()[0].find("expired on 2001-01-31"), std::string::npos) << (*old)->warnings()[0];
  auto early = load_signer(future.path / "key.pem", future.path / "cert.pem");
  ASSERT_TRUE(early);
  ASSERT_EQ((*early)->warnings().size(), 1u);
  EXPECT_NE((*early)->warnings()[0].find("not valid before 2199-01-01"), std::string::npos);
}

// Hostile input 25: (r, s) and (r, n - s) both verify, so a seal text was malleable. Ours carry
// the low form only; both forms still verify (COSE does not require low S).
TEST(Es256, SealsCarryLowSAndHighSStillVerifies) {
  TestKey key(SignatureAlg::es256);
  static constexpr std::uint8_t kHalfOrder[32] = {0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF,
                                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B,
                                                  0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8};
  const std::vector<std::uint8_t> tbs = {1, 2, 3, 4, 5};
  static constexpr std::uint8_t kOrder[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                              0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                              0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
  auto certs = detail::parse_certificates(
      std::span(reinterpret_cast<const std::uint8_t*>(key.generated.cert_pem.data()), key.generated.cert_pem.size()));
  ASSERT_TRUE(certs);
  const detail::PublicKey& pub = *certs->front().key;
  for (int i = 0; i < 64; ++i) {
    auto sig = key.signer->sign(tbs);
    ASSERT_TRUE(sig);
    ASSERT_EQ(sig->size(), 64u);
    // s <= n/2 on every signature (a random s is above half the time: 64 draws all below by
    // chance is 2^-64).
    EXPECT_FALSE(std::lexicographical_compare(kHalfOrder, kHalfOrder + 32, sig->begin() + 32, sig->end()));
    // The high twin n - s, what OpenSSL returns about half of the time, verifies too, and
    // to_low_s_p256 maps it back.
    std::vector<std::uint8_t> high = *sig;
    int borrow = 0;
    for (int b = 31; b >= 0; --b) {
      const int d = kOrder[b] - (*sig)[32 + static_cast<std::size_t>(b)] - borrow;
      borrow = d < 0;
      high[32 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(d + (borrow ? 256 : 0));
    }
    EXPECT_EQ(detail::verify_signature(SignatureAlg::es256, pub, tbs, *sig), detail::SigCheck::ok);
    EXPECT_EQ(detail::verify_signature(SignatureAlg::es256, pub, tbs, high), detail::SigCheck::ok);
    detail::to_low_s_p256(std::span(high).subspan(32));
    EXPECT_EQ(high, *sig);
  }
  // Through the whole seal: a sealed payload verifies.
  auto text = make_seal(specimen_payload(), *key.signer);
  ASSERT_TRUE(text) << text.error().to_string();
  const auto v = verify_seal(*text, key.trust, utc(2027, 1, 15));
  EXPECT_EQ(v.reason, SealReason::valid) << v.message;
}

// Hostile input 25: a card payload without an expiry date would never expire.
TEST(Verify, CardPayloadWithoutExpiryIsRefused) {
  TestKey key(SignatureAlg::ed25519);
  SealPayload p = specimen_payload();
  p.expiry_date.clear();
  auto text = make_seal(p, *key.signer);
  ASSERT_TRUE(text) << text.error().to_string();
  const auto v = verify_seal(*text, key.trust, utc(2027, 1, 15));
  EXPECT_EQ(v.reason, SealReason::malformed_payload);
  EXPECT_NE(v.message.find("no expiry date"), std::string::npos) << v.message;
}

}  // namespace
}  // namespace sdc::test
