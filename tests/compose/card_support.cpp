#include "compose/card_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace sdc::test {

std::filesystem::path source_dir() {
  return SDC_SOURCE_DIR;
}

const Env& env() {
  static const std::unique_ptr<Env> e = [] {
    auto out = std::make_unique<Env>();
    auto t = Template::load(source_dir() / "assets/templates/specimen.json");
    if (!t) throw std::runtime_error(t.error().to_string());
    out->specimen = *t;
    auto r = load_records(source_dir() / "assets/records/specimen.csv");
    if (!r) throw std::runtime_error(r.error().to_string());
    out->records = *r;
    auto c = Composer::create({.fonts_dir = source_dir() / "fonts"});
    if (!c) throw std::runtime_error(c.error().to_string());
    out->composer = *c;
    auto rr = Renderer::create(out->composer.fonts());
    out->renderer = *rr;
    KeygenOptions ko;
    ko.alg = SignatureAlg::ed25519;
    ko.not_before_unix = 1767225600;  // 2026-01-01
    ko.valid_days = 3650;
    auto key = generate_key(ko);
    if (!key) throw std::runtime_error(key.error().to_string());
    out->key_dir = std::filesystem::temp_directory_path() / ("sdc-test-key-" + std::to_string(::getpid()));
    std::filesystem::create_directories(out->key_dir);
    if (auto st = write_generated_key(*key, out->key_dir); !st) throw std::runtime_error(st.error().to_string());
    auto signer = load_signer(out->key_dir / "key.pem", out->key_dir / "cert.pem");
    if (!signer) throw std::runtime_error(signer.error().to_string());
    out->issuer.signer = *signer;
    auto st = out->trust.add_certificate(
        std::span(reinterpret_cast<const std::uint8_t*>(key->cert_pem.data()), key->cert_pem.size()));
    if (!st) throw std::runtime_error(st.error().to_string());
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("sdc-test-key-" + std::to_string(::getpid())), ec);
    });
    return out;
  }();
  return *e;
}

}  // namespace sdc::test
