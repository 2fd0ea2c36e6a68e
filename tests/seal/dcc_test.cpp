// EU Digital COVID Certificate test data through the seal layer: HC1 prefix, each test's
// certificate in the trust store, verified at the test's validation clock.
#include "seal/seal_support.hpp"

#include <sdc/qr.hpp>

#include <sdc/image.hpp>

#include <map>

namespace sdc::test {
namespace {

std::int64_t parse_clock(const std::string& s) {
  // "2021-05-06T18:00:00Z" or with an offset / fraction: the date and time fields are enough here.
  if (s.size() < 19) return 0;
  const int y = std::stoi(s.substr(0, 4)), mo = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  const int h = std::stoi(s.substr(11, 2)), mi = std::stoi(s.substr(14, 2)), se = std::stoi(s.substr(17, 2));
  std::int64_t t = utc(y, mo, d) + h * 3600 + mi * 60 + se;
  const auto tz = s.find_first_of("+-", 19);
  if (tz != std::string::npos && s.size() >= tz + 6) {
    const int off = std::stoi(s.substr(tz + 1, 2)) * 3600 + std::stoi(s.substr(tz + 4, 2)) * 60;
    t += s[tz] == '+' ? -off : off;
  }
  return t;
}

std::string alg_of(const nlohmann::json& c) {
  return c.contains("alg") && c.at("alg").is_string() ? c.at("alg").get<std::string>() : std::string();
}

bool flag(const nlohmann::json& e, const char* name, bool& value) {
  if (!e.contains(name)) return false;
  value = e.at(name).get<bool>();
  return true;
}

TEST(Dcc, TestDataVerifiesAndNegativesFailForTheExpectedReason) {
  const auto j = read_json(data_dir() / "dcc" / "dcc_cases.json");
  std::map<std::string, int> count;
  VerifyOptions o;
  o.prefix = "HC1:";
  o.payload_format = PayloadFormat::cwt;
  o.require_compression = true;
  for (const auto& c : j.at("cases")) {
    const std::string file = c.at("file");
    SCOPED_TRACE(file);
    if (!c.contains("PREFIX") || !c.contains("CERTIFICATE")) {
      ++count["skipped: no PREFIX or no certificate (schema/JSON-only tests)"];
      continue;
    }
    TrustStore trust;
    const auto der = b64url(c.at("CERTIFICATE").get<std::string>());
    auto added = trust.add_certificate(der);
    if (!added) {
      ADD_FAILURE() << "certificate not readable: " << added.error().message();
      continue;
    }
    const std::int64_t now = c.contains("VALIDATIONCLOCK") ? parse_clock(c.at("VALIDATIONCLOCK")) : utc(2021, 6, 1);
    const auto& e = c.at("EXPECTEDRESULTS");
    const auto v = verify_seal(c.at("PREFIX").get<std::string>(), trust, now, o);
    bool b = true;
    SealReason expected = SealReason::valid;
    std::string why = "valid";
    if (flag(e, "EXPECTEDUNPREFIX", b) && !b) {
      expected = SealReason::bad_prefix, why = "UNPREFIX false";
    } else if (flag(e, "EXPECTEDB45DECODE", b) && !b) {
      expected = SealReason::bad_base45, why = "B45DECODE false";
    } else if (flag(e, "EXPECTEDCOMPRESSION", b) && !b) {
      expected = SealReason::bad_compression, why = "COMPRESSION false";
    } else if (flag(e, "EXPECTEDVERIFY", b) && !b) {
      expected = SealReason::bad_signature, why = "VERIFY false";
    } else if (flag(e, "EXPECTEDEXPIRATIONCHECK", b) && !b) {
      expected = SealReason::expired, why = "EXPIRATIONCHECK false";
    }
    const std::string alg = alg_of(c);
    if (alg == "PS256") {
      // RSA-PSS is not an sdc seal algorithm: reported as unsupported, counted apart.
      EXPECT_EQ(v.reason, SealReason::unsupported_algorithm) << v.message;
      ++count["PS256 (RSA-PSS): reported unsupported_algorithm"];
      continue;
    }
    if (expected == SealReason::valid) {
      EXPECT_TRUE(v.valid()) << to_string(v.reason) << ": " << v.message;
      bool other_negative = false;  // KEYUSAGE, SCHEMAVALIDATION, DECODE of the CBOR field: not seal-layer checks
      for (const auto& [k, val] : e.items()) other_negative |= val.is_boolean() && !val.get<bool>();
      ++count[std::string(other_negative ? "DCC-rule negative (key usage / schema), seal valid: " : "valid: ") +
              (v.valid() ? "verified" : "NOT verified")];
    } else if (expected == SealReason::bad_signature) {
      // DCC's VERIFY covers the kid rules too: a wrong kid is unknown_kid to a kid-indexed store.
      const bool ok = v.reason == SealReason::bad_signature || v.reason == SealReason::unknown_kid ||
                      v.reason == SealReason::malformed_cose;
      EXPECT_TRUE(ok) << to_string(v.reason) << ": " << v.message;
      ++count[std::string("negative ") + why + (ok ? ": rejected as " + std::string(to_string(v.reason)) : ": WRONG")];
    } else if (expected == SealReason::expired) {
      // A clock outside the certificate's validity is found first (PL 10: clock before notBefore).
      const bool ok = v.reason == SealReason::expired || v.reason == SealReason::not_yet_valid ||
                      v.reason == SealReason::certificate_not_valid;
      EXPECT_TRUE(ok) << to_string(v.reason) << ": " << v.message;
      ++count[std::string("negative ") + why + (ok ? ": rejected as " + std::string(to_string(v.reason)) : ": WRONG")];
    } else {
      EXPECT_EQ(v.reason, expected) << v.message;
      ++count[std::string("negative ") + why + (v.reason == expected ? ": rejected as expected" : ": WRONG")];
    }
  }
  for (const auto& [what, n] : count) std::printf("[ DCC ] %3d  %s\n", n, what.c_str());
}

TEST(Dcc, QrImagesDecodeToThePrefixText) {
  const auto j = read_json(data_dir() / "dcc" / "dcc_cases.json");
  int read = 0, unreadable_as_expected = 0, total = 0, verified = 0;
  for (const auto& c : j.at("cases")) {
    if (!c.contains("png")) continue;
    const std::string file = c.at("file");
    SCOPED_TRACE(file);
    ++total;
    const auto img = load_image(data_dir() / "dcc" / c.at("png").get<std::string>());
    bool picture_ok = true;
    flag(c.at("EXPECTEDRESULTS"), "EXPECTEDPICTUREDECODE", picture_ok);
    if (!img) {
      EXPECT_FALSE(picture_ok) << "the PNG does not load";
      std::printf("[ DCC ] %s: expected unreadable, and the PNG does not even decode as an image\n", file.c_str());
      ++unreadable_as_expected;
      continue;
    }
    const ImageView view = img->view();
    const auto texts = decode_qr(view);
    if (!picture_ok) {
      // common/Q1 is meant to be unreadable; zxing-cpp 1.4.0 reads it all the same. Counted apart.
      const bool read_anyway = !texts.empty() && c.contains("PREFIX") && texts[0] == c.at("PREFIX").get<std::string>();
      std::printf("[ DCC ] %s: expected unreadable, zxing-cpp %s\n", file.c_str(),
                  read_anyway ? "reads it (to the PREFIX text)" : "finds no code");
      ++unreadable_as_expected;
      continue;
    }
    ASSERT_EQ(texts.size(), 1u);
    EXPECT_EQ(texts[0], c.at("PREFIX").get<std::string>());
    read += texts[0] == c.at("PREFIX").get<std::string>();
    // The text read from the picture verifies exactly like the PREFIX field.
    if (c.contains("CERTIFICATE")) {
      TrustStore trust;
      ASSERT_TRUE(trust.add_certificate(b64url(c.at("CERTIFICATE").get<std::string>())));
      VerifyOptions o;
      o.prefix = "HC1:";
      o.payload_format = PayloadFormat::cwt;
      const auto now = parse_clock(c.value("VALIDATIONCLOCK", "2021-06-01T00:00:00Z"));
      const auto from_picture = verify_seal(texts[0], trust, now, o);
      const auto from_text = verify_seal(c.at("PREFIX").get<std::string>(), trust, now, o);
      EXPECT_EQ(from_picture.reason, from_text.reason);
      verified += from_picture.valid();
    }
  }
  std::printf("[ DCC ] QR images: %d of %d read to the exact PREFIX text (%d of them verify as valid)\n", read,
              total - unreadable_as_expected, verified);
}

}  // namespace
}  // namespace sdc::test
