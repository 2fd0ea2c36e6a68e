// The deflate trial and the estimate that skips it (src/seal/compress_zlib.cpp; docs/seal.md,
// "Compression"). The estimate must never skip a message that deflate would shrink, and must
// skip the trial for most real seals, or sealing costs more than the signature (issue 4).
#include "seal/seal_support.hpp"

#include "seal/seal_detail.hpp"

#include <sdc/qr.hpp>
#include <sdc/record.hpp>

#include <random>

namespace sdc::test {
namespace {

// Letters of the scripts names are written in (UTF-8), for generated names.
const std::vector<std::vector<std::string>>& scripts() {
  static const auto s = [] {
    auto split = [](std::string_view text) {
      std::vector<std::string> out;
      for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
        out.emplace_back(text.substr(i, n));
        i += n;
      }
      return out;
    };
    return std::vector<std::vector<std::string>>{
        split("abcdefghijklmnopqrstuvwxyz"),
        split("abcdefghijklmnopqrstuvwxyzáéíóúñçäöüøåłšžčćđ"),
        split("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
        split("αβγδεζηθικλμνξοπρστυφχψω"),
        split("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
        split("अआइईउऊएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौं"),
        split("欧阳李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"),
        split("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ"),
    };
  }();
  return s;
}

struct Corpus {
  std::mt19937 rng;
  explicit Corpus(unsigned seed) : rng(seed) {}

  std::string name(const std::vector<std::string>& letters, std::size_t length) {
    std::string s;
    std::size_t n = 0, word = 0;
    while (n < length) {
      if (word > 1 && rng() % 7 == 0 && n + 1 < length) {
        s += ' ';
        word = 0;
      } else {
        s += letters[rng() % letters.size()];
        ++word;
      }
      ++n;
    }
    return s;
  }
  std::string digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  }
  // A COSE_Sign1 message as make_seal builds it, with 64 random bytes for the signature.
  std::vector<std::uint8_t> message(std::size_t script) {
    SealPayload p = specimen_payload();
    const auto& letters = scripts()[script];
    p.surname = name(letters, 2 + rng() % 38);
    p.given_names = name(letters, 2 + rng() % 38);
    p.surname_latin = script > 1 && rng() % 5 ? name(scripts()[0], 2 + rng() % 30) : std::string();
    p.given_names_latin = p.surname_latin.empty() ? std::string() : name(scripts()[0], 2 + rng() % 30);
    p.document_number = "XA" + digits(7);
    p.registration_number = digits(9);
    p.docket_number = "CR-20" + digits(2) + "-" + digits(6);
    p.office = std::string(1, static_cast<char>('A' + rng() % 26)) + "CF";
    for (auto& b : p.photo_hash) b = static_cast<std::uint8_t>(rng());
    auto cbor = encode_seal_payload(p);
    EXPECT_TRUE(cbor) << cbor.error().to_string();
    std::vector<std::uint8_t> kid(8), sig(64);
    for (auto& b : kid) b = static_cast<std::uint8_t>(rng());
    for (auto& b : sig) b = static_cast<std::uint8_t>(rng());
    return detail::cose_sign1_message(detail::cose_protected_header(-8, kid), *cbor, sig);
  }
};

// The estimate is a lower bound plus an allowance (see compress_zlib.cpp), not a proof, and a
// 1-byte saving is not tried for: over 64 000 generated messages (seeds 100-119) it skipped 2 that
// deflate shrinks, by 1 byte each. Here: no more than 1 in 1000, and never by more than 2 bytes.
TEST(DeflateEstimate, RarelySkipsAMessageThatDeflateWouldShrinkAndOnlyByAByte) {
  int total = 0, wins = 0, skipped = 0, latin = 0, latin_skipped = 0, missed = 0;
  std::size_t worst = 0;
  const int per_script = 400;
  for (unsigned seed : {1u, 2u}) {
    Corpus corpus(seed);
    for (std::size_t script = 0; script < scripts().size(); ++script)
      for (int i = 0; i < per_script; ++i) {
        const auto msg = corpus.message(script);
        const bool might = detail::deflate_might_shrink(msg);
        const auto z = detail::zlib_compress(msg);
        ++total;
        wins += z.size() < msg.size();
        skipped += !might;
        if (script < 2) latin += 1, latin_skipped += !might;
        if (!might && z.size() < msg.size()) {
          ++missed;
          worst = std::max(worst, msg.size() - z.size());
          std::printf("[ deflate ] skipped a message deflate shrinks by %zu B: %s\n", msg.size() - z.size(),
                      tohex(msg).c_str());
        }
      }
  }
  std::printf(
      "[ deflate ] %d of %d messages shrink; the trial is skipped for %d (%d shrinkable); Latin: %d of %d "
      "skipped\n",
      wins, total, skipped, missed, latin_skipped, latin);
  EXPECT_LE(missed * 1000, total);
  EXPECT_LE(worst, 2u);
  // The corpus holds messages that compress (so the check is not vacuous), and the estimate saves
  // the trial for most of the others, Latin names above all.
  EXPECT_GT(wins, 200);
  EXPECT_GT(skipped, total * 3 / 8);
  EXPECT_GT(latin_skipped, latin * 9 / 10);
}

TEST(DeflateEstimate, RepeatedTextIsAlwaysTried) {
  std::vector<std::uint8_t> msg(300, 'A');
  EXPECT_TRUE(detail::deflate_might_shrink(msg));
  EXPECT_LT(detail::zlib_compress(msg).size(), 20u);
  std::string text;
  while (text.size() < 250) text += "Константинопольский ";
  EXPECT_TRUE(detail::deflate_might_shrink(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), 250)));
  // Too short to ever shrink: the zlib header and checksum alone take 6 bytes.
  EXPECT_FALSE(detail::deflate_might_shrink(std::vector<std::uint8_t>(6, 0)));
  // Larger than one block of ours: always tried.
  std::mt19937 rng(3);
  std::vector<std::uint8_t> noise(600);
  for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
  EXPECT_TRUE(detail::deflate_might_shrink(noise));
  EXPECT_FALSE(detail::deflate_might_shrink(std::span(noise).first(400)));
}

TEST(DeflateEstimate, SkipsTheTrialForMostSpecimenRecords) {
  auto records = load_records(std::filesystem::path(SDC_SOURCE_DIR) / "assets/records/specimen.csv");
  ASSERT_TRUE(records) << records.error().to_string();
  // A fixed key with deterministic signatures: whether deflate pays depends on the kid and the
  // signature bytes, so a key made afresh made this test pass on some runs only (issue 9).
  const auto signer = specimen_signer(SignatureAlg::ed25519);
  int skipped = 0;
  for (const auto& r : *records) {
    auto p = seal_payload_from_record(r, "XXA", "3f9a0c12b7e45d60");
    p.photo_hash = {0x94, 0x6b, 0x31, 0xc6, 0x2d, 0x9a, 0x5e, 0x17};
    auto cose = make_cose_sign1(*encode_seal_payload(p), *signer);
    ASSERT_TRUE(cose);
    const bool might = detail::deflate_might_shrink(*cose);
    skipped += !might;
    if (!might) {
      EXPECT_GE(detail::zlib_compress(*cose).size(), cose->size()) << r.get("surname").value_or("");
    }
    // make_seal sends the smaller form either way.
    auto seal = make_seal(p, *signer);
    ASSERT_TRUE(seal) << seal.error().to_string();
    auto wire = base45_decode(std::string_view(*seal).substr(5));
    ASSERT_TRUE(wire);
    EXPECT_LE(wire->size(), cose->size());
    EXPECT_EQ((*wire)[0] == 0x78, wire->size() < cose->size());
  }
  EXPECT_GE(skipped, 10) << "of " << records->size();
}

TEST(DeflateEstimate, ARawSealTooLongIsStillDeflated) {
  // A payload the estimate misjudges (the first among ~255 000 generated ones): with the
  // SPECIMEN Ed25519 key its COSE message is 260 bytes and deflate makes it 259. make_seal sends it
  // raw by default (one byte lost), but deflates it when the raw text would be over max_chars.
  SealPayload p = specimen_payload();
  p.surname = "冯徐徐周孙马杨孙许彭欧王马孙许";
  p.given_names = "马林孙";
  p.surname_latin = "cwavtrwy";
  p.given_names_latin = "sjj j";
  p.document_number = "XA8184280";
  p.registration_number = "758787335";
  p.docket_number = "CR-2042-659962";
  p.office = "GCF";
  p.photo_hash = unhex("a9fdd96c1138928a");
  const auto keys = std::filesystem::path(SDC_SOURCE_DIR) / "assets/keys/specimen-ed25519";
  auto signer = load_signer(keys / "key.pem", keys / "cert.pem");
  ASSERT_TRUE(signer) << signer.error().to_string();
  const auto cose = *make_cose_sign1(*encode_seal_payload(p), **signer);
  const auto z = detail::zlib_compress(cose);
  ASSERT_LT(z.size(), cose.size()) << "deflate no longer shrinks this message; pick another";
  const std::size_t raw_chars = 5 + base45_encode(cose).size(), zlib_chars = 5 + base45_encode(z).size();
  auto by_default = make_seal(p, **signer);
  ASSERT_TRUE(by_default);
  EXPECT_TRUE(by_default->size() == raw_chars || by_default->size() == zlib_chars);
  SealOptions tight;
  tight.max_chars = raw_chars - 1;
  auto squeezed = make_seal(p, **signer, tight);
  ASSERT_TRUE(squeezed) << squeezed.error().to_string();
  EXPECT_EQ(squeezed->size(), zlib_chars);
  auto trust = TrustStore::load_dir(keys);
  ASSERT_TRUE(trust);
  const auto v = verify_seal(*squeezed, *trust, utc(2027, 1, 15));
  EXPECT_TRUE(v.valid()) << v.message;
  EXPECT_TRUE(v.compressed);
  tight.max_chars = zlib_chars - 1;  // too long either way: refused, naming the limit
  auto refused = make_seal(p, **signer, tight);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), Errc::does_not_fit);
}

}  // namespace
}  // namespace sdc::test
