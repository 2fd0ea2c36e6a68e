// sdc mrz --image: the lines read, the check digits, and the exit code (0 all hold, 1 some fail,
// 2 no zone / bad input); sdc mrz --record keeps making zones.
#include <gtest/gtest.h>
#include <unistd.h>
#include <sdc/export.hpp>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "mrz/read_support.hpp"

namespace sdc::test {
namespace {

class MrzCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
    dir_ = std::filesystem::temp_directory_path() / ("sdc-mrz-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const Image& img) {
    const auto p = dir_ / name;
    EXPECT_TRUE(write_png(img.view(), p));
    return "'" + p.string() + "'";
  }
  std::filesystem::path dir_;
};

const std::vector<std::string> kTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

TEST_F(MrzCli, ReadsAZoneAndSaysWhichChecksHold) {
  const auto img = write("td3.png", zone_image(kTd3, {.cap_px = 22, .angle_deg = 2, .seed = 11}));
  auto r = run(cli().string() + " mrz --image " + img);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("TD3\n" + kTd3[0] + "\n" + kTd3[1] + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("composite"), std::string::npos);
  EXPECT_EQ(r.out.find("FAILS"), std::string::npos);

  auto j = run_command(cli().string() + " mrz --json --image " + img);
  ASSERT_EQ(j.status, 0);
  const auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["format"], "TD3");
  EXPECT_EQ(doc["lines"][1], kTd3[1]);
  EXPECT_EQ(doc["fields"]["primary_identifier"], "ERIKSSON");
  EXPECT_EQ(doc["checks"].size(), 5u);
  EXPECT_TRUE(doc["all_checks_ok"].get<bool>());
}

TEST_F(MrzCli, AFailedCheckDigitExitsOne) {
  auto lines = kTd3;
  lines[1][14] = '5';
  const auto img = write("bad.png", zone_image(lines, {.cap_px = 22, .seed = 12}));
  auto r = run(cli().string() + " mrz --image " + img);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("date_of_birth"), std::string::npos);
  EXPECT_NE(r.out.find("FAILS"), std::string::npos);
}

TEST_F(MrzCli, NoZoneOrNoArgumentExitsTwo) {
  Image blank(400, 300, PixelFormat::gray8);
  std::fill(blank.data(), blank.data() + blank.size_bytes(), 240);
  const auto img = write("blank.png", blank);
  auto r = run(cli().string() + " mrz --image " + img);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("blank.png"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no machine-readable zone"), std::string::npos) << r.out;
  EXPECT_EQ(run(cli().string() + " mrz").status, 2);
  // Making a zone from a record still works.
  auto m = run(cli().string() + " mrz -r '" + std::string(SDC_SOURCE_DIR) + "/assets/records/specimen.json'");
  EXPECT_EQ(m.status, 0) << m.out;
}

}  // namespace
}  // namespace sdc::test
