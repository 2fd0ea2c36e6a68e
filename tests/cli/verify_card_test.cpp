// sdc verify FRONT [BACK]: the card rendered by `sdc render` checked from its two PNGs, with the
// template picked from a folder by the seal's template id; exit codes by verdict; bad usage and
// hostile files (a truncated JPEG, a PNG header claiming 30000 x 30000 pixels) are clear errors.
#include "cli/cli_support.hpp"

#include <gtest/gtest.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>

namespace sdc::test {
namespace {

const std::string kSrc = SDC_SOURCE_DIR;

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

class VerifyCard : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("sdc-verify-card-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const auto keys = std::filesystem::path(kSrc) / "assets/keys/specimen-ed25519";
    render_ = run(quoted(cli()) + " render -t " + kSrc + "/assets/templates/specimen.json -r " + kSrc +
                  "/assets/records/specimen.json --out " + quoted(dir_ / "card") + " --key " +
                  quoted(keys / "key.pem") + " --cert " + quoted(keys / "cert.pem"));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
    ASSERT_EQ(render_.status, 0) << render_.out;
  }
  static std::string sdc(const std::string& args) { return quoted(cli()) + " " + args; }
  static std::string trust() { return " --trust " + kSrc + "/assets/keys/specimen-ed25519 --at 2026-12-01"; }
  static inline std::filesystem::path dir_;
  static inline sdc::test::Run render_;
};

TEST_F(VerifyCard, BothSidesWithTheTemplatesFolderAreGenuine) {
  const auto r = run(sdc("verify " + quoted(dir_ / "card/front.png") + " " + quoted(dir_ / "card/back.png") + trust() +
                         " --templates " + kSrc + "/assets/templates --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "genuine");
  EXPECT_EQ(j["sides"].size(), 2u);
  EXPECT_EQ(j["sides"][1]["side"], "back");
  EXPECT_TRUE(j["sides"][0]["corners"].contains("top_left"));
  EXPECT_TRUE(j["timings_ms"].contains("total"));
  // The short text form: the summary first.
  const auto t = run(sdc("verify " + quoted(dir_ / "card/back.png") + " " + quoted(dir_ / "card/front.png") + trust() +
                         " --template " + kSrc + "/assets/templates/specimen.json"));
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_EQ(t.out.rfind("genuine", 0), 0u) << t.out;
  // The sealed data, for the officer to compare with the name and dates printed for people,
  // which no check reads.
  EXPECT_NE(t.out.find("sealed data"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("surname Specimen-Example; given names Alexandra Maria"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("valid until 20"), std::string::npos) << t.out;
}

TEST_F(VerifyCard, TheBackAloneIsNotGenuineAndSaysWhy) {
  const auto r = run(
      sdc("verify " + quoted(dir_ / "card/back.png") + trust() + " --templates " + kSrc + "/assets/templates --json"));
  EXPECT_EQ(r.status, 5) << r.out;  // exit code by verdict: 5 suspicious
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "suspicious") << r.out;
}

TEST_F(VerifyCard, TheFrontAloneHasNoSealAndIsUnreadable) {
  const auto r = run(
      sdc("verify " + quoted(dir_ / "card/front.png") + trust() + " --templates " + kSrc + "/assets/templates --json"));
  EXPECT_EQ(r.status, 6) << r.out;  // exit code by verdict: 6 unreadable
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "unreadable") << r.out;
}

// --retake: another capture of FRONT, checked with BACK; the captures' checks are combined and the
// report says so. --retake-back needs the BACK it retakes; 8 captures at most.
TEST_F(VerifyCard, ARetakeIsCheckedWithTheOtherSideAndCombined) {
  const std::string front = quoted(dir_ / "card/front.png"), back = quoted(dir_ / "card/back.png");
  const auto r = run(sdc("verify " + front + " " + back + " --retake " + front + trust() + " --templates " + kSrc +
                         "/assets/templates --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "genuine") << r.out;
  bool combined = false;
  for (const auto& f : j["findings"])
    if (f["check"] == "captures")
      combined = f["reason"].get<std::string>().find("2 captures of one card combined") != std::string::npos;
  EXPECT_TRUE(combined) << r.out;
  EXPECT_EQ(j["sides"].size(), 4u) << r.out;
  const auto bad = run(sdc("verify " + front + " --retake-back " + back + trust()));
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("--retake-back needs the BACK image"), std::string::npos) << bad.out;
  std::string many;
  for (int i = 0; i < 8; ++i) many += " --retake " + front;
  const auto too_many = run(sdc("verify " + front + " " + back + many + trust()));
  EXPECT_EQ(too_many.status, 2) << too_many.out;
  EXPECT_NE(too_many.out.find("up to 8 captures"), std::string::npos) << too_many.out;
}

TEST_F(VerifyCard, AnotherIssuersTrustIsInvalid) {
  const auto r = run(sdc("verify " + quoted(dir_ / "card/front.png") + " " + quoted(dir_ / "card/back.png") +
                         " --trust " + kSrc + "/assets/keys/specimen-es256 --at 2026-12-01 --json"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "invalid") << r.out;
}

// The thresholds a deployment sets reach the checks (the report gives each finding's threshold);
// values out of range are bad usage, with the Checker's message.
TEST_F(VerifyCard, ThresholdOptionsReachTheChecksAndAreRangeChecked) {
  const std::string both = " " + quoted(dir_ / "card/front.png") + " " + quoted(dir_ / "card/back.png");
  const std::string tmpl = " --template " + kSrc + "/assets/templates/specimen.json";
  const auto r = run(sdc("verify" + both + trust() + tmpl + " --photo-threshold 12 --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  bool seen = false;
  for (const auto& f : j["findings"])
    if (f["check"] == "photo") {
      EXPECT_EQ(f["threshold"], 12) << f.dump();
      seen = true;
    }
  EXPECT_TRUE(seen) << r.out;
  const auto photo = run(sdc("verify" + both + trust() + tmpl + " --photo-threshold 65"));
  EXPECT_EQ(photo.status, 2) << photo.out;
  EXPECT_NE(photo.out.find("outside 0..64"), std::string::npos) << photo.out;
  const auto copy = run(sdc("verify" + both + trust() + tmpl + " --copy-threshold 1.5"));
  EXPECT_EQ(copy.status, 2) << copy.out;
  EXPECT_NE(copy.out.find("outside -1..1"), std::string::npos) << copy.out;
  const auto dpi = run(sdc("verify" + both + trust() + tmpl + " --min-copy-dpi 5000"));
  EXPECT_EQ(dpi.status, 2) << dpi.out;
  EXPECT_NE(dpi.out.find("outside 0..2400"), std::string::npos) << dpi.out;
}

// The card images may follow --issuer, which takes one profile per use (repeated for several):
// before, `--issuer I front.png back.png` took the images as two more profiles and failed with
// "give the card image(s)". The card is rendered with the same profile, so its personal guilloché
// matches (at 300 dpi, to keep the test short: the copy check then asks for a closer capture).
TEST_F(VerifyCard, TheImagesMayFollowAnIssuerProfile) {
  const auto profile = dir_ / "issuer";
  std::filesystem::create_directories(profile);
  {
    std::ofstream(profile / "seed.hex") << "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
    const auto keys = std::filesystem::path(kSrc) / "assets/keys/specimen-ed25519";
    std::ofstream(profile / "issuer.json")
        << R"({"sdc_issuer": 1, "code": "XXA", "name": "Specimen Issuing Authority", "key": ")" +
               (keys / "key.pem").string() + R"(", "cert": ")" + (keys / "cert.pem").string() +
               R"(", "pattern_seed_file": "seed.hex"})";
  }
  std::filesystem::permissions(profile / "seed.hex",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string issuer = " --issuer " + quoted(profile / "issuer.json");
  const auto made = run(sdc("render -t " + kSrc + "/assets/templates/specimen.json -r " + kSrc +
                            "/assets/records/specimen.json --dpi 300 --out " + quoted(dir_ / "issued") + issuer));
  ASSERT_EQ(made.status, 0) << made.out;
  const std::string both = " " + quoted(dir_ / "issued/front.png") + " " + quoted(dir_ / "issued/back.png");
  const std::string tmpl = " --template " + kSrc + "/assets/templates/specimen.json";
  for (const std::string& issuers : {issuer, issuer + issuer}) {
    const auto r = run(sdc("verify --json" + trust() + tmpl + issuers + both));
    ASSERT_NE(r.status, 2) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["sides"].size(), 2u) << r.out;
    bool pattern = false;
    for (const auto& f : j["findings"])
      if (f["check"] == "pattern") {
        EXPECT_EQ(f["outcome"], "pass") << f.dump();
        pattern = true;
      }
    EXPECT_TRUE(pattern) << r.out;
    // At 300 dpi the copy check asks for a closer capture: suspicious, the pattern compared.
    EXPECT_EQ(j["verdict"], "suspicious") << r.out;
  }
}

TEST_F(VerifyCard, BadUsageIsExitTwo) {
  const std::string img = " " + quoted(dir_ / "card/back.png");
  EXPECT_EQ(run(sdc("verify" + img + trust() + " --template " + kSrc + "/assets/templates/specimen.json --templates " +
                    kSrc + "/assets/templates"))
                .status,
            2);
  EXPECT_EQ(run(sdc("verify" + img + " --image" + img + trust())).status, 2);
  EXPECT_EQ(run(sdc("verify" + trust())).status, 2);
  EXPECT_EQ(run(sdc("verify" + img + img + img + trust())).status, 2);
  EXPECT_EQ(run(sdc("verify" + img + trust() + " --templates " + quoted(dir_ / "nowhere"))).status, 2);
}

TEST_F(VerifyCard, HostileFilesAreClearErrors) {
  // A JPEG cut after its first kilobytes.
  std::ifstream in(dir_ / "card/back.png", std::ios::binary);
  const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir_ / "cut.png", std::ios::binary) << png.substr(0, png.size() / 3);
  const auto cut = run(sdc("verify " + quoted(dir_ / "cut.png") + trust()));
  EXPECT_EQ(cut.status, 2) << cut.out;
  EXPECT_NE(cut.out.find("cut.png"), std::string::npos) << cut.out;

  // A PNG whose header claims 30000 x 30000 pixels: refused before decoding.
  std::string big = "\x89PNG\r\n\x1a\n";
  std::string ihdr = "IHDR";
  for (std::uint32_t v : {30000u, 30000u}) {
    for (int s = 24; s >= 0; s -= 8) ihdr += static_cast<char>((v >> s) & 0xff);
  }
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  auto put32 = [](std::string& s, std::uint32_t v) {
    for (int k = 24; k >= 0; k -= 8) s += static_cast<char>((v >> k) & 0xff);
  };
  put32(big, 13);
  big += ihdr;
  put32(big, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), static_cast<uInt>(ihdr.size()))));
  std::ofstream(dir_ / "huge.png", std::ios::binary) << big;
  const auto huge = run(sdc("verify " + quoted(dir_ / "huge.png") + trust()));
  EXPECT_EQ(huge.status, 2) << huge.out;
  EXPECT_NE(huge.out.find("huge.png"), std::string::npos) << huge.out;
}

}  // namespace
}  // namespace sdc::test
