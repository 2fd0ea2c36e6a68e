// Seal sizes: the specimen and the longest names, measured (docs/seal.md records the output).
#include "seal/seal_support.hpp"

#include <sdc/qr.hpp>

#include <random>

namespace sdc::test {
namespace {

struct Size {
  std::size_t payload = 0, cose = 0, wire = 0, chars = 0;
  bool compressed = false;
  int version = 0;
};

Size measure(const SealPayload& p, const Signer& signer) {
  Size s;
  auto cbor = encode_seal_payload(p);
  EXPECT_TRUE(cbor);
  s.payload = cbor->size();
  auto cose = make_cose_sign1(*cbor, signer);
  s.cose = cose->size();
  SealOptions o;
  o.max_chars = 100000;
  auto seal = make_seal(p, signer, o);
  EXPECT_TRUE(seal) << seal.error().to_string();
  s.chars = seal->size();
  auto wire = base45_decode(seal->substr(5));
  s.wire = wire->size();
  s.compressed = (*wire)[0] == 0x78;
  auto qr = encode_qr(*seal, QrEcLevel::M);
  s.version = qr ? qr->version : 99;
  return s;
}

void print(const char* name, const Size& s) {
  std::printf("[ size ] %-44s payload %3zu B, COSE %3zu B, %s %3zu B, text %3zu chars, QR version %d-M\n", name,
              s.payload, s.cose, s.compressed ? "zlib" : "raw ", s.wire, s.chars, s.version);
}

// The longest surname + given names (equal lengths of `unit` repeated) whose seal still fits
// version 12-M, for the given script; the Latin forms are given separately when `latin`.
// Names are seeded pseudo-random letters, so zlib cannot shrink them as it would repeated ones.
int longest_names(const Signer& signer, const std::vector<std::string>& letters, bool latin) {
  int best = 0;
  for (int n = 1; n <= 120; ++n) {
    std::mt19937 rng(static_cast<unsigned>(n));
    auto name = [&] {
      std::string s;
      for (int i = 0; i < n; ++i) s += letters[rng() % letters.size()];
      return s;
    };
    auto latin_name = [&] {
      std::string s;
      for (int i = 0; i < n; ++i) s += static_cast<char>('A' + rng() % 26);
      return s;
    };
    SealPayload p = specimen_payload();
    p.surname = name();
    p.given_names = name();
    p.surname_latin = latin ? latin_name() : std::string();
    p.given_names_latin = latin ? latin_name() : std::string();
    if (!make_seal(p, signer)) break;
    best = n;
  }
  return best;
}

class SealSize : public ::testing::TestWithParam<SignatureAlg> {};

TEST_P(SealSize, SpecimenFitsVersion12AtLevelM) {
  const auto signer = specimen_signer(GetParam());  // fixed key: the same sizes on every run
  SealPayload as_composed = specimen_payload();     // the record has no Latin form: implied
  as_composed.surname_latin.clear();
  as_composed.given_names_latin.clear();
  const Size a = measure(as_composed, *signer);
  print("specimen (MRZ forms implied)", a);
  EXPECT_LE(a.version, 12);
  EXPECT_LE(a.chars, static_cast<std::size_t>(qr_v12m_alphanumeric_capacity));
  SealPayload carried = specimen_payload();  // Latin forms that differ from the implied ones
  carried.surname_latin = carried.surname;
  carried.given_names_latin = carried.given_names;
  const Size b = measure(carried, *signer);
  print("specimen (MRZ forms carried)", b);
  EXPECT_LE(b.version, 12);
}

TEST_P(SealSize, LongestNamesThatFit) {
  const auto signer = specimen_signer(GetParam());  // fixed key: the same sizes on every run
  std::vector<std::string> ascii_letters, cyrillic_letters;
  for (char c = 'a'; c <= 'z'; ++c) ascii_letters.push_back(std::string(1, c));
  for (int c = 0x430; c < 0x450; ++c)  // a..ya, 2 bytes each in UTF-8
    cyrillic_letters.push_back({static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))});
  const int ascii = longest_names(*signer, ascii_letters, false);
  const int ascii_latin = longest_names(*signer, ascii_letters, true);
  const int cyrillic = longest_names(*signer, cyrillic_letters, true);  // with the MRZ Latin form
  const int greek = longest_names(*signer, cyrillic_letters, false);    // non-Latin, implied form
  std::printf(
      "[ size ] longest surname = given names that fit 12-M: Latin (MRZ form implied) %d+%d chars; Latin "
      "with a different MRZ form %d+%d; Cyrillic + MRZ form %d+%d; Cyrillic alone %d+%d\n",
      ascii, ascii, ascii_latin, ascii_latin, cyrillic, cyrillic, greek, greek);
  // What docs/seal.md promises with the specimen's other fields: 30 + 30 Latin letters, and
  // 10 + 10 Cyrillic ones with their MRZ forms.
  EXPECT_GE(ascii, 30);
  EXPECT_GE(cyrillic, 10);
  // The record schema's limits (80 + 120) do not fit a version 12 code; make_seal says so.
  SealPayload p = specimen_payload();
  std::mt19937 rng(80120);
  p.surname.clear();
  p.given_names.clear();
  for (int i = 0; i < 80; ++i) p.surname += static_cast<char>('a' + rng() % 26);
  for (int i = 0; i < 120; ++i) p.given_names += static_cast<char>('a' + rng() % 26);
  auto r = make_seal(p, *signer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::does_not_fit);
  EXPECT_NE(r.error().message().find("version 12"), std::string::npos);
  SealOptions o;
  o.max_chars = 100000;
  const Size big = measure(p, *signer);
  print("longest record names (80 + 120 chars)", big);
}

INSTANTIATE_TEST_SUITE_P(Algs, SealSize, ::testing::Values(SignatureAlg::es256, SignatureAlg::ed25519),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

}  // namespace
}  // namespace sdc::test
