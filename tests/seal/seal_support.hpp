// Helpers shared by the seal tests: test data paths, hex, JSON files, throw-away keys.
#pragma once

#include <sdc/seal.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace sdc::test {

inline std::filesystem::path data_dir() {
  return std::filesystem::path(SDC_SOURCE_DIR) / "tests" / "data" / "seal";
}

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot open test data " + p.string());
  return nlohmann::json::parse(in);
}

inline std::vector<std::uint8_t> unhex(std::string_view s) {
  std::vector<std::uint8_t> out;
  auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(v(s[i]) * 16 + v(s[i + 1])));
  return out;
}

inline std::string tohex(std::span<const std::uint8_t> b) {
  std::string s;
  for (auto c : b) {
    s.push_back("0123456789abcdef"[c >> 4]);
    s.push_back("0123456789abcdef"[c & 15]);
  }
  return s;
}

inline std::vector<std::uint8_t> b64url(std::string_view s) {
  std::vector<std::uint8_t> out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-' || c == '+' ? 62
            : c == '_' || c == '/' ? 63
                                   : -1;
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

/// A fresh temporary directory, removed by the destructor.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("sdc-seal-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

/// Unix time of a civil UTC date.
inline std::int64_t utc(int y, int m, int d) {
  const int yy = y - (m <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (std::int64_t{era} * 146097 + doe - 719468) * 86400;
}

/// A key pair in a temp dir, its signer and a trust store holding its certificate.
/// A fresh key and self-signed certificate with the given validity (throws on failure).
inline GeneratedKey generate_test_key(SignatureAlg alg, std::int64_t not_before = utc(2020, 1, 1), int days = 36500,
                                      std::string cn = "sdc test signer", std::string passphrase = {}) {
  KeygenOptions o;
  o.alg = alg;
  o.not_before_unix = not_before;
  o.valid_days = days;
  o.subject_cn = std::move(cn);
  o.passphrase = std::move(passphrase);
  auto g = generate_key(o);
  if (!g) throw std::runtime_error(g.error().to_string());
  return std::move(*g);
}

struct TestKey {
  TempDir dir;
  GeneratedKey generated;
  std::shared_ptr<const Signer> signer;
  TrustStore trust;
  explicit TestKey(SignatureAlg alg, std::int64_t not_before = utc(2020, 1, 1), int days = 36500,
                   std::string cn = "sdc test signer") {
    generated = generate_test_key(alg, not_before, days, std::move(cn));
    auto w = write_generated_key(generated, dir.path);
    if (!w) throw std::runtime_error(w.error().to_string());
    auto s = load_signer(dir.path / "key.pem", dir.path / "cert.pem");
    if (!s) throw std::runtime_error(s.error().to_string());
    signer = *s;
    auto t = trust.add_certificate(
        std::span(reinterpret_cast<const std::uint8_t*>(generated.cert_pem.data()), generated.cert_pem.size()));
    if (!t) throw std::runtime_error(t.error().to_string());
  }
};

/// The SPECIMEN signer of assets/keys (Ed25519 or ES256): a fixed key, so that a result that
/// depends on the kid or, for Ed25519, on the signature bytes (whether deflate pays, the seal's
/// length) is the same on every run. Use TestKey only where any key gives the same result.
inline std::shared_ptr<const Signer> specimen_signer(SignatureAlg alg) {
  const auto dir = std::filesystem::path(SDC_SOURCE_DIR) / "assets" / "keys" /
                   (alg == SignatureAlg::ed25519 ? "specimen-ed25519" : "specimen-es256");
  auto s = load_signer(dir / "key.pem", dir / "cert.pem");
  if (!s) throw std::runtime_error(s.error().to_string());
  return *s;
}

/// A trust store holding the SPECIMEN signer's certificate (Ed25519 or ES256).
inline TrustStore specimen_trust(SignatureAlg alg) {
  const auto path = std::filesystem::path(SDC_SOURCE_DIR) / "assets" / "keys" /
                    (alg == SignatureAlg::ed25519 ? "specimen-ed25519" : "specimen-es256") / "cert.pem";
  std::ifstream in(path);
  const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TrustStore trust;
  auto t = trust.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
  if (!t) throw std::runtime_error(path.string() + ": " + t.error().to_string());
  return trust;
}

/// The specimen card's data (assets/records/specimen.json) as a seal payload.
inline SealPayload specimen_payload() {
  SealPayload p;
  p.issuer = "XXA";
  p.office = "Specimen City Field Office";
  p.document_number = "XA0000417";
  p.registration_number = "204518736";
  p.docket_number = "CR-2026-004217";
  p.surname = "Specimen-Example";
  p.given_names = "Alexandra Maria";
  p.surname_latin = "SPECIMEN<EXAMPLE";
  p.given_names_latin = "ALEXANDRA<MARIA";
  p.date_of_birth = "1984-07-15";
  p.sex = "F";
  p.nationality = "XXA";
  p.issue_date = "2026-11-02";
  p.expiry_date = "2027-11-01";
  p.card_variant = "temporary";
  p.pattern_id = "3f9a0c12b7e45d60";
  p.photo_hash = {0x94, 0x6b, 0x31, 0xc6, 0x2d, 0x9a, 0x5e, 0x17};
  return p;
}

}  // namespace sdc::test
