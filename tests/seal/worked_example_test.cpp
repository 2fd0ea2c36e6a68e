// docs/seal.md's worked example is a test vector: every block there must be what sdc produces for
// the specimen record with the SPECIMEN Ed25519 key (deterministic), and the seal text must verify.
// On a mismatch the test prints the block as it should read, to paste into the page.
#include "seal/seal_support.hpp"

#include "seal/seal_detail.hpp"

#include <sdc/qr.hpp>
#include <sdc/record.hpp>

#include <sstream>

namespace sdc::test {
namespace {

struct Example {
  std::string text;                 // the section, "## Worked example" up to the next "## "
  std::vector<std::string> blocks;  // its fenced code blocks, whitespace removed
};

Example worked_example() {
  std::ifstream in(std::filesystem::path(SDC_SOURCE_DIR) / "docs" / "seal.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto start = doc.find("## Worked example");
  if (start == std::string::npos) throw std::runtime_error("docs/seal.md has no '## Worked example'");
  const auto end = doc.find("\n## ", start + 3);
  Example e;
  e.text = doc.substr(start, end - start);
  for (std::size_t pos = 0;;) {
    const auto open = e.text.find("```\n", pos);
    if (open == std::string::npos) break;
    const auto close = e.text.find("```", open + 4);
    std::string block;
    for (char c : e.text.substr(open + 4, close - open - 4))
      if (c != '\n' && c != '\r') block += c;
    // Hex blocks are wrapped with spaces; the seal text keeps its own spaces (Base45 has ' ').
    if (block.find_first_not_of("0123456789abcdef ") == std::string::npos)
      block.erase(std::remove(block.begin(), block.end(), ' '), block.end());
    e.blocks.push_back(block);
    pos = close + 3;
  }
  return e;
}

std::string wrap(const std::string& hex, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += width) out += hex.substr(i, width) + "\n";
  return out;
}

TEST(WorkedExample, EveryBlockIsWhatSdcProducesAndTheSealVerifies) {
  const auto root = std::filesystem::path(SDC_SOURCE_DIR);
  auto records = load_records(root / "assets/records/specimen.json");
  ASSERT_TRUE(records) << records.error().to_string();
  auto payload = seal_payload_from_record(records->front(), "XXA", "3f9a0c12b7e45d60");
  payload.photo_hash = unhex("f00b84215ea10e41");
  const auto keys = root / "assets/keys/specimen-ed25519";
  auto signer = load_signer(keys / "key.pem", keys / "cert.pem");
  ASSERT_TRUE(signer) << signer.error().to_string();

  const auto cbor = *encode_seal_payload(payload);
  const auto prot = detail::cose_protected_header(-8, (*signer)->key_id());
  const auto tbs = detail::cose_sig_structure(prot, {}, cbor);
  const auto sig = *(*signer)->sign(tbs);
  const auto cose = detail::cose_sign1_message(prot, cbor, sig);
  const auto seal = *make_seal(payload, **signer);
  const auto zlib = detail::zlib_compress(cose);

  const Example e = worked_example();
  ASSERT_EQ(e.blocks.size(), 5u) << "payload, Sig_structure, signature, COSE_Sign1, seal text";
  EXPECT_EQ(e.blocks[0], tohex(cbor)) << "payload block should read:\n" << wrap(tohex(cbor), 96);
  EXPECT_EQ(e.blocks[1], tohex(tbs)) << "Sig_structure block should read:\n" << wrap(tohex(tbs), 96);
  EXPECT_EQ(e.blocks[2], tohex(sig)) << "signature block should read:\n" << wrap(tohex(sig), 64);
  EXPECT_EQ(e.blocks[3], tohex(cose)) << "COSE_Sign1 block should read:\n" << wrap(tohex(cose), 96);
  EXPECT_EQ(e.blocks[4], seal) << "seal text block should read:\n" << seal;
  // The sizes the prose gives.
  auto says = [&](const std::string& phrase) {
    return e.text.find(phrase) != std::string::npos ? ::testing::AssertionSuccess()
                                                    : ::testing::AssertionFailure() << "no '" << phrase << "'";
  };
  EXPECT_TRUE(says("Payload, " + std::to_string(cbor.size()) + " bytes"));
  EXPECT_TRUE(says("Sig_structure, " + std::to_string(tbs.size()) + " bytes"));
  EXPECT_TRUE(says("COSE_Sign1, " + std::to_string(cose.size()) + " bytes"));
  EXPECT_TRUE(says("zlib makes it " + std::to_string(zlib.size()) + " bytes"));
  EXPECT_TRUE(says(std::to_string(seal.size()) + " characters"));
  EXPECT_TRUE(says("Protected header, " + std::to_string(prot.size()) + " bytes: `a2 01 27 04 48 " +
                   tohex((*signer)->key_id()) + "`"));
  auto qr = encode_qr(seal);
  ASSERT_TRUE(qr);
  EXPECT_TRUE(says("a version " + std::to_string(qr->version) + " QR code at level M"));
  const bool compressed = zlib.size() < cose.size();
  EXPECT_EQ(seal.size(), 5 + base45_encode(compressed ? zlib : cose).size());

  // And it verifies, with nothing but the certificate.
  auto trust = TrustStore::load_dir(keys);
  ASSERT_TRUE(trust) << trust.error().to_string();
  const auto v = verify_seal(e.blocks[4], *trust, utc(2027, 1, 15));
  EXPECT_TRUE(v.valid()) << v.message;
  ASSERT_TRUE(v.payload);
  EXPECT_EQ(v.payload->document_number, "XA0000417");
}

}  // namespace
}  // namespace sdc::test
