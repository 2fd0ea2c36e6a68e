// Issuer profiles: code, name, key and certificate, and an owner-only pattern seed file.
#include <sdc/compose.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "compose/card_support.hpp"

namespace sdc::test {
namespace {

struct ProfileDir {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sdc-issuer-test-" + std::to_string(::getpid()));
  ProfileDir() { std::filesystem::create_directories(dir); }
  ~ProfileDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    ::chmod(p.c_str(), mode);
    return p;
  }
  std::filesystem::path profile(const std::string& extra = "") const {
    const auto keys = source_dir() / "assets/keys/specimen-ed25519";
    return write("issuer.json", R"({"sdc_issuer": 1, "code": "XXB", "name": "Second Specimen Authority", "key": ")" +
                                    (keys / "key.pem").string() + R"(", "cert": ")" + (keys / "cert.pem").string() +
                                    R"(", "pattern_seed_file": "seed.hex")" + extra + "}");
  }
};

TEST(IssuerProfile, LoadsCodeNameKeyAndSeed) {
  ProfileDir d;
  d.write("seed.hex", "00112233445566778899aabbccddeeff0011223344556677\n");
  auto issuer = load_issuer(d.profile());
  ASSERT_TRUE(issuer) << issuer.error().to_string();
  EXPECT_EQ(issuer->code, "XXB");
  EXPECT_EQ(issuer->name, "Second Specimen Authority");
  ASSERT_TRUE(issuer->signer);
  ASSERT_EQ(issuer->pattern_seed.size(), 24u);
  EXPECT_EQ(issuer->pattern_seed[1], 0x11);

  // The seed changes the card's static patterns (and so its static key), the code its MRZ.
  auto mine = env().composer.compose(env().specimen, env().records.at(0), *issuer, {.dpi = Dpi{150}});
  auto specimen = env().composer.compose(env().specimen, env().records.at(0), env().issuer, {.dpi = Dpi{150}});
  ASSERT_TRUE(mine && specimen) << (mine ? specimen.error().to_string() : mine.error().to_string());
  EXPECT_NE(mine->display(Side::front).static_key, specimen->display(Side::front).static_key);
  EXPECT_NE(mine->pattern_id(), specimen->pattern_id());
  ASSERT_EQ(mine->mrz_lines().size(), 3u);
  EXPECT_EQ(mine->mrz_lines()[0].substr(2, 3), "XXB");
}

TEST(IssuerProfile, RefusesASeedOthersCanRead) {
  ProfileDir d;
  d.write("seed.hex", "00112233445566778899aabbccddeeff", 0644);
  auto issuer = load_issuer(d.profile());
  ASSERT_FALSE(issuer);
  EXPECT_EQ(issuer.error().code(), Errc::bad_key);
  EXPECT_NE(issuer.error().hint().find("chmod 600"), std::string::npos) << issuer.error().to_string();
  EXPECT_NE(issuer.error().where().file.find("seed.hex"), std::string::npos);
}

TEST(IssuerProfile, RefusesShortOrNonHexSeedsAndUnknownKeys) {
  ProfileDir d;
  d.write("seed.hex", "0011");
  auto short_seed = load_issuer(d.profile());
  ASSERT_FALSE(short_seed);
  EXPECT_NE(short_seed.error().message().find("at least 16"), std::string::npos);

  d.write("seed.hex", "not hex at all, not hex at all!!");
  EXPECT_FALSE(load_issuer(d.profile()));

  d.write("seed.hex", "00112233445566778899aabbccddeeff");
  auto typo = load_issuer(d.profile(R"(, "pattern_sed_file": "x")"));
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().to_string().find("pattern_sed_file"), std::string::npos) << typo.error().to_string();

  EXPECT_FALSE(load_issuer(d.dir / "missing.json"));
  EXPECT_FALSE(load_issuer(d.dir));  // a folder
}

}  // namespace
}  // namespace sdc::test
