// A signer from key and certificate bytes in memory signs as the one from files.
#include <sdc/seal.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace sdc {
namespace {

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::filesystem::path kKeys = std::filesystem::path(SDC_SOURCE_DIR) / "assets" / "keys";

TEST(Signer, FromMemorySignsAsFromFiles) {
  const auto dir = kKeys / "specimen-ed25519";  // Ed25519: deterministic signatures
  auto files = load_signer(dir / "key.pem", dir / "cert.pem");
  const auto key = bytes_of(dir / "key.pem"), cert = bytes_of(dir / "cert.pem");
  auto memory = make_signer(key, cert);
  ASSERT_TRUE(files && memory) << (memory ? "" : memory.error().to_string());
  EXPECT_EQ(key, bytes_of(dir / "key.pem")) << "the caller's key bytes are left as they were";
  const std::vector<std::uint8_t> tbs = {1, 2, 3, 4, 5};
  EXPECT_EQ((*files)->sign(tbs).value(), (*memory)->sign(tbs).value());
  EXPECT_EQ((*files)->key_id(), (*memory)->key_id());
}

TEST(Signer, FromMemoryRefusesAMismatchOrJunkWithoutFileNames) {
  const auto ed = kKeys / "specimen-ed25519", es = kKeys / "specimen-es256";
  auto mismatch = make_signer(bytes_of(ed / "key.pem"), bytes_of(es / "cert.pem"));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), Errc::bad_key);
  auto junk = make_signer(std::vector<std::uint8_t>(64, 'x'), bytes_of(ed / "cert.pem"));
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code(), Errc::bad_key);
  EXPECT_NE(junk.error().to_string().find("in memory"), std::string::npos) << junk.error().to_string();
}

}  // namespace
}  // namespace sdc
