// sdc verify-seal with a trust folder whose revoked.json has a misspelt or repeated key: exit 2
// and an error naming the file, line and key, never exit 0 for a seal the file meant to revoke.
#include "cli/cli_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

namespace sdc::test {
namespace {

const std::filesystem::path kSrc = SDC_SOURCE_DIR;
const std::filesystem::path kKeys = kSrc / "assets" / "keys" / "specimen-ed25519";  // kid 38eac70c80d80898

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

class VerifySealTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
    static std::atomic<int> n{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("sdc-cli-trust-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "trust");
    std::filesystem::copy_file(kKeys / "cert.pem", dir_ / "trust" / "cert.pem");
    const auto seal = run_command(quoted(cli()) + " seal --record " + quoted(kSrc / "assets/records/specimen.json") +
                                  " --key " + quoted(kKeys / "key.pem") + " --cert " + quoted(kKeys / "cert.pem") +
                                  " > " + quoted(dir_ / "seal.txt"));
    ASSERT_EQ(seal.status, 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  sdc::test::Run verify(const std::string& revoked_json) const {
    std::ofstream(dir_ / "trust" / "revoked.json") << revoked_json;
    return run(quoted(cli()) + " verify-seal --trust " + quoted(dir_ / "trust") + " --at 2026-12-01 < " +
               quoted(dir_ / "seal.txt"));
  }
  std::filesystem::path dir_;
};

TEST_F(VerifySealTrust, ARevokedKidIsRevoked) {
  const auto r = verify(R"({"kids": ["38eac70c80d80898"]})");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("\"revoked\""), std::string::npos) << r.out;
}

TEST_F(VerifySealTrust, AMisspeltKeyIsRefusedWithItsLine) {
  const auto r = verify("{\n  \"kid\": [\"38eac70c80d80898\"]\n}\n");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find((dir_ / "trust" / "revoked.json").string() + ":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unknown key 'kid'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kids"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"valid\": true"), std::string::npos) << r.out;
}

TEST_F(VerifySealTrust, ARepeatedKeyIsRefusedWithItsLine) {
  const auto r = verify("{\n  \"kids\": [\"38eac70c80d80898\"],\n  \"kids\": []\n}\n");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find((dir_ / "trust" / "revoked.json").string() + ":3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'kids' appears twice"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"valid\": true"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sdc::test
