// The CLI end to end: `sdc render --format ...` and `sdc sheet`, checked with tools no one here wrote.
#include <gtest/gtest.h>
#include <tiffio.h>
#include <sdc/seal.hpp>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "color/print_support.hpp"

namespace sdc {
namespace {

using test::cli;
using test::run;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(cli())) << cli() << " is missing: build the sdc_cli target first.";
    dir_ = test::fresh_dir("cli");
    auto key = generate_key({.alg = SignatureAlg::ed25519});
    ASSERT_TRUE(key);
    ASSERT_TRUE(write_generated_key(*key, dir_ / "key"));
    src_ = test::source_dir().string();
    keys_ = " --key " + (dir_ / "key" / "key.pem").string() + " --cert " + (dir_ / "key" / "cert.pem").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string src_, keys_;
};

TEST_F(Cli, SheetWritesAnImposedCmykTiff) {
  // Five records: two sheets of 2 x 2 on A4.
  std::ifstream in(test::source_dir() / "assets/records/specimen.json");
  auto rec = nlohmann::json::parse(in);
  rec["photo"] = (test::source_dir() / "assets/records/photos/astronaut.png").string();
  {
    std::ofstream out(dir_ / "records.jsonl");
    for (int i = 0; i < 5; ++i) {
      rec["document_number"] = "XA000041" + std::to_string(i);
      out << rec.dump() << "\n";
    }
  }
  const auto tif = dir_ / "sheet.tif";
  auto r = run(cli().string() + " sheet --template " + src_ + "/assets/templates/specimen.json --records " +
               (dir_ / "records.jsonl").string() + " --layout 2x2 --sheet A4 --dpi 150 --out " + tif.string() + keys_ +
               " --photo-root " + src_ + "/assets");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("CMYK profile: "), std::string::npos) << r.out;
  TIFF* t = TIFFOpen(tif.c_str(), "r");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(TIFFNumberOfDirectories(t), 2);
  std::uint16_t photo = 0;
  TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
  EXPECT_EQ(photo, PHOTOMETRIC_SEPARATED);
  TIFFClose(t);

  auto bad =
      run(cli().string() + " sheet --template " + src_ + "/assets/templates/specimen.json --records " +
          (dir_ / "records.jsonl").string() + " --layout 9x9 --sheet A4 --out " + (dir_ / "x.tif").string() + keys_);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("do not fit"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.tif"));

  auto badprofile = run(cli().string() + " sheet --template " + src_ + "/assets/templates/specimen.json --records " +
                        (dir_ / "records.jsonl").string() + " --profile /usr/share/color/icc/sRGB.icc --out " +
                        (dir_ / "y.tif").string() + keys_);
  EXPECT_NE(badprofile.status, 0);
  EXPECT_NE(badprofile.out.find("not a CMYK profile"), std::string::npos) << badprofile.out;
}

TEST_F(Cli, RenderWritesEveryFormatAndToolsReadThem) {
  const auto out = dir_ / "out";
  auto r = run(cli().string() + " render --template " + src_ + "/assets/templates/specimen.json --record " + src_ +
               "/assets/records/specimen.json --out " + out.string() +
               " --format png,tiff-cmyk --format panels --format pdf --printer zebra-zc-style-300" + keys_);
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* f : {"front.png", "back.png", "card.tif", "proof.pdf", "panels/panels.json", "panels/front_ymc.png",
                        "panels/front_k.png", "panels/front_o.png"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f << "\n" << r.out;
  const auto info = run("tiffinfo " + (out / "card.tif").string()).out;
  EXPECT_NE(info.find("PageName: front"), std::string::npos) << info;
  EXPECT_NE(info.find("PageName: back"), std::string::npos) << info;
  EXPECT_NE(info.find("ICC Profile: <present>"), std::string::npos) << info;
  const auto pdf = run("pdftoppm -r 30 -png " + (out / "proof.pdf").string() + " " + (out / "p").string());
  EXPECT_EQ(pdf.status, 0) << pdf.out;
  EXPECT_TRUE(std::filesystem::exists(out / "p-1.png"));
  std::ifstream in(out / "panels/panels.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["printer"]["id"], "zebra-zc-style-300");
  EXPECT_EQ(j["raster"]["width"], 1006);

  // Only the asked-for formats; a bad format name is a usage error.
  const auto out2 = dir_ / "out2";
  auto t = run(cli().string() + " render --template " + src_ + "/assets/templates/specimen.json --record " + src_ +
               "/assets/records/specimen.json --out " + out2.string() +
               " --side front --format tiff-cmyk --tiff-per-side" + keys_);
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_TRUE(std::filesystem::exists(out2 / "front.tif"));
  EXPECT_FALSE(std::filesystem::exists(out2 / "front.png"));
  auto bad = run(cli().string() + " render --template " + src_ + "/assets/templates/specimen.json --record " + src_ +
                 "/assets/records/specimen.json --out " + out2.string() + " --format jpeg" + keys_);
  EXPECT_NE(bad.status, 0);
}

}  // namespace
}  // namespace sdc
