#include "compose/card_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

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
    auto c = Composer::create(Resources::at(source_dir()));
    if (!c) throw std::runtime_error(c.error().to_string());
    out->composer = *c;
    auto rr = Renderer::create(out->composer.fonts());
    out->renderer = *rr;
    // The published SPECIMEN Ed25519 key: deterministic signatures, the same cards on every run.
    out->key_dir = source_dir() / "assets/keys/specimen-ed25519";
    auto signer = load_signer(out->key_dir / "key.pem", out->key_dir / "cert.pem");
    if (!signer) throw std::runtime_error(signer.error().to_string());
    out->issuer.signer = *signer;
    std::ifstream cert(out->key_dir / "cert.pem", std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(cert)), std::istreambuf_iterator<char>());
    auto st = out->trust.add_certificate(std::span(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    if (!st) throw std::runtime_error(st.error().to_string());
    return out;
  }();
  return *e;
}

}  // namespace sdc::test
