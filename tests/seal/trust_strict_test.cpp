// Trust files are read strictly: a misspelt or repeated key in revoked.json or a JSON trust list
// is an error naming the file, key and line, never a silently ignored revocation (which would let
// a revoked key or card verify as valid). Uses the fixed SPECIMEN Ed25519 key (assets/keys).
#include "seal/seal_support.hpp"

#include <sdc/seal.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace sdc::test {
namespace {

const std::filesystem::path kKeys = std::filesystem::path(SDC_SOURCE_DIR) / "assets" / "keys" / "specimen-ed25519";
const std::string kKid = "38eac70c80d80898";  // assets/keys/README.md
const std::int64_t kNow = utc(2026, 12, 1);

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class StrictTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy_file(kKeys / "cert.pem", dir_.path / "cert.pem");
    auto signer = load_signer(kKeys / "key.pem", kKeys / "cert.pem");
    ASSERT_TRUE(signer) << signer.error().to_string();
    auto seal = make_seal(specimen_payload(), **signer);
    ASSERT_TRUE(seal) << seal.error().to_string();
    seal_ = *seal;
  }
  Result<TrustStore> with_revocations(const std::string& json) {
    std::ofstream(dir_.path / "revoked.json") << json;
    return TrustStore::load_dir(dir_.path);
  }
  Result<TrustStore> trust_list(const std::string& json) {
    std::ofstream(dir_.path / "trust.json") << json;
    return TrustStore::load_json(dir_.path / "trust.json");
  }
  std::string cert_json() const { return nlohmann::json(read_all(kKeys / "cert.pem")).dump(); }
  TempDir dir_;
  std::string seal_;
};

TEST_F(StrictTrust, WellFormedRevocationsRevoke) {
  auto by_kid = with_revocations(R"({"kids": [")" + kKid + R"("]})");
  ASSERT_TRUE(by_kid) << by_kid.error().to_string();
  EXPECT_EQ(verify_seal(seal_, *by_kid, kNow).reason, SealReason::revoked);
  auto none = with_revocations(R"({"kids": [], "documents": []})");
  ASSERT_TRUE(none) << none.error().to_string();
  EXPECT_TRUE(verify_seal(seal_, *none, kNow).valid());
}

TEST_F(StrictTrust, UnknownKeyInRevokedJsonIsALocatedError) {
  for (const char* key : {"kid", "document", "revoked_kid", "Kids"}) {
    SCOPED_TRACE(key);
    auto s = with_revocations("{\n  \"" + std::string(key) + "\": [\"" + kKid + "\"]\n}\n");
    ASSERT_FALSE(s) << "a misspelt revocation key was ignored, the revoked key would verify";
    const Error& e = s.error();
    EXPECT_EQ(e.code(), Errc::bad_key);
    EXPECT_EQ(e.where().file, (dir_.path / "revoked.json").string());
    EXPECT_EQ(e.where().json_path, "/" + std::string(key));
    EXPECT_EQ(e.where().line, 2);
    EXPECT_NE(e.message().find(key), std::string::npos) << e.to_string();
    EXPECT_NE(e.hint().find("kids"), std::string::npos) << e.to_string();
  }
}

TEST_F(StrictTrust, TheTrustListSpellingInRevokedJsonSaysWhatToWrite) {
  auto s = with_revocations(R"({"revoked_kids": [")" + kKid + R"("]})");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().hint().find("\"kids\""), std::string::npos) << s.error().to_string();
  auto t = trust_list(R"({"certificates": [)" + cert_json() + R"(], "kids": [")" + kKid + R"("]})");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().hint().find("\"revoked_kids\""), std::string::npos) << t.error().to_string();
}

TEST_F(StrictTrust, RepeatedKeyIsALocatedError) {
  auto s = with_revocations("{\n  \"kids\": [\"" + kKid + "\"],\n  \"kids\": []\n}\n");
  ASSERT_FALSE(s) << "the second 'kids' emptied the revocation list";
  EXPECT_EQ(s.error().code(), Errc::bad_key);
  EXPECT_EQ(s.error().where().file, (dir_.path / "revoked.json").string());
  EXPECT_EQ(s.error().where().json_path, "/kids");
  EXPECT_EQ(s.error().where().line, 3);
  EXPECT_NE(s.error().message().find("lines 2 and 3"), std::string::npos) << s.error().to_string();

  auto t = trust_list("{\"certificates\": [" + cert_json() + "],\n\"revoked_kids\": [\"" + kKid +
                      "\"],\n\"revoked_kids\": []}");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().where().json_path, "/revoked_kids");
  EXPECT_EQ(t.error().where().line, 3);
}

TEST_F(StrictTrust, UnknownKeyInTrustListIsALocatedError) {
  auto ok = trust_list(R"({"certificates": [)" + cert_json() + R"(], "revoked_kids": [")" + kKid + R"("]})");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(verify_seal(seal_, *ok, kNow).reason, SealReason::revoked);
  auto t = trust_list("{\"certificates\": [" + cert_json() + "],\n \"revoked_kid\": [\"" + kKid + "\"]}");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().where().json_path, "/revoked_kid");
  EXPECT_EQ(t.error().where().line, 2);
  EXPECT_NE(t.error().hint().find("revoked_kids"), std::string::npos) << t.error().to_string();
}

TEST_F(StrictTrust, RevokedJsonIsAnObject) {
  EXPECT_FALSE(with_revocations("[" + cert_json() + "]"));
  EXPECT_FALSE(with_revocations(R"({"documents": [""]})"));
  EXPECT_FALSE(with_revocations(R"({"documents": [" XA0000417"]})"));
  EXPECT_FALSE(with_revocations(R"({"kids": ["38eac70c80d8089"]})"));
}

TEST_F(StrictTrust, AMisnamedRevocationListIsAnError) {
  for (const char* name : {"revoked.JSON", "Revoked.json", "revocations.json"}) {
    SCOPED_TRACE(name);
    std::filesystem::remove(dir_.path / "revoked.json");
    const auto path = dir_.path / name;
    std::ofstream(path) << R"({"kids": [")" + kKid + R"("]})";
    auto s = TrustStore::load_dir(dir_.path);
    ASSERT_FALSE(s) << "a misnamed revocation list was skipped";
    EXPECT_EQ(s.error().where().file, path.string());
    EXPECT_NE(s.error().hint().find("revoked.json"), std::string::npos);
    std::filesystem::remove(path);
  }
}

// Documented in sdc/seal.hpp: document numbers are compared ignoring ASCII case.
TEST_F(StrictTrust, DocumentRevocationIgnoresCase) {
  auto s = with_revocations(R"({"documents": ["xa0000417"]})");
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_TRUE(s->is_revoked_document("XA0000417"));
  EXPECT_EQ(verify_seal(seal_, *s, kNow).reason, SealReason::revoked);
  TrustStore t;
  t.revoke_document("XA0000417");
  EXPECT_TRUE(t.is_revoked_document("xa0000417"));
  EXPECT_FALSE(t.is_revoked_document("XA0000418"));
  EXPECT_FALSE(t.is_revoked_document("XA0000417 "));
}

}  // namespace
}  // namespace sdc::test
