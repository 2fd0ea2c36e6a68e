// Base45 against the RFC 9285 vectors (tests/data/qr/base45_rfc9285.json).
#include <sdc/qr.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>

namespace {

nlohmann::json vectors() {
  std::ifstream in(std::string(SDC_SOURCE_DIR) + "/tests/data/qr/base45_rfc9285.json");
  return nlohmann::json::parse(in);
}

std::vector<std::uint8_t> unhex(const std::string& s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(Base45, RfcValidVectorsEncodeAndDecode) {
  const auto j = vectors();
  int n = 0;
  for (const auto& v : j.at("valid")) {
    const auto bytes = unhex(v.at("hex").get<std::string>());
    const auto text = v.at("base45").get<std::string>();
    EXPECT_EQ(sdc::base45_encode(bytes), text) << v.dump();
    auto back = sdc::base45_decode(text);
    ASSERT_TRUE(back.has_value()) << v.dump() << ": " << back.error().message();
    EXPECT_EQ(*back, bytes) << v.dump();
    ++n;
  }
  EXPECT_EQ(n, 11);
}

TEST(Base45, RfcInvalidVectorsAreRejected) {
  const auto j = vectors();
  int n = 0;
  for (const auto& v : j.at("invalid")) {
    auto r = sdc::base45_decode(v.at("base45").get<std::string>());
    EXPECT_FALSE(r.has_value()) << v.dump();
    if (!r) {
      EXPECT_EQ(r.error().code(), sdc::Errc::bad_seal);
      EXPECT_FALSE(r.error().hint().empty());
    }
    ++n;
  }
  EXPECT_EQ(n, 10);
}

TEST(Base45, RfcExamplesSpelledOut) {
  const std::string hello = "Hello!!";
  EXPECT_EQ(sdc::base45_encode(std::span(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size())),
            "%69 VD92EX0");
  auto ietf = sdc::base45_decode("QED8WEX0");
  ASSERT_TRUE(ietf);
  EXPECT_EQ(std::string(ietf->begin(), ietf->end()), "ietf!");
  auto err = sdc::base45_decode("GGW");
  ASSERT_FALSE(err);
  EXPECT_NE(err.error().message().find("65535"), std::string::npos) << err.error().message();
}

TEST(Base45, AppendKeepsWhatIsAlreadyThere) {
  const std::string hello = "Hello!!";
  const std::span bytes(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size());
  std::string text = "SDC1:";
  sdc::base45_append(bytes, text);
  EXPECT_EQ(text, "SDC1:%69 VD92EX0");
  sdc::base45_append({}, text);
  EXPECT_EQ(text, "SDC1:%69 VD92EX0");
  sdc::base45_append(bytes.first(1), text);  // one odd byte: two characters
  EXPECT_EQ(text, "SDC1:%69 VD92EX0" + sdc::base45_encode(bytes.first(1)));
  EXPECT_EQ(sdc::base45_encode(bytes.first(1)).size(), 2u);
}

TEST(Base45, RandomRoundTripSeeded) {
  std::mt19937 rng(45);
  for (int i = 0; i < 500; ++i) {
    std::vector<std::uint8_t> b(rng() % 300);
    for (auto& c : b) c = static_cast<std::uint8_t>(rng());
    const auto text = sdc::base45_encode(b);
    EXPECT_EQ(text.size(), b.size() / 2 * 3 + b.size() % 2 * 2);
    EXPECT_EQ(sdc::base45_length(b.size()), text.size());
    auto back = sdc::base45_decode(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, b);
  }
}

}  // namespace
