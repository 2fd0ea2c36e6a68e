// Shared by tests/color and tests/export: the specimen card, composed once per test binary.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace sdc::test {

inline std::filesystem::path source_dir() {
  return SDC_SOURCE_DIR;
}

struct Specimen {
  Composer composer;
  Card card;
  Renderer renderer;
};

/// Composes assets/templates/specimen.json with the first specimen record (fails the test on error).
inline const Specimen& specimen() {
  static const Specimen s = [] {
    auto tmpl = Template::load(source_dir() / "assets/templates/specimen.json");
    if (!tmpl) throw std::runtime_error(tmpl.error().to_string());
    auto recs = load_records(source_dir() / "assets/records/specimen.json");
    if (!recs) throw std::runtime_error(recs.error().to_string());
    auto composer = Composer::create(Resources::at(SDC_SOURCE_DIR));
    if (!composer) throw std::runtime_error(composer.error().to_string());
    // The specimen carries a signed seal: sign it with a throwaway Ed25519 key (deterministic seals).
    const auto key_dir = std::filesystem::temp_directory_path() / ("sdc-print-test-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(key_dir);
    auto key = generate_key({.alg = SignatureAlg::ed25519, .subject_cn = "sdc print test"});
    if (!key) throw std::runtime_error(key.error().to_string());
    if (auto st = write_generated_key(*key, key_dir); !st) throw std::runtime_error(st.error().to_string());
    auto signer = load_signer(key_dir / "key.pem", key_dir / "cert.pem");
    std::filesystem::remove_all(key_dir);
    if (!signer) throw std::runtime_error(signer.error().to_string());
    Issuer issuer;
    issuer.signer = *signer;
    auto card = composer->compose(*tmpl, recs->front(), issuer);
    if (!card) throw std::runtime_error(card.error().to_string());
    auto renderer = Renderer::create(composer->fonts());
    if (!renderer) throw std::runtime_error(renderer.error().to_string());
    return Specimen{std::move(*composer), std::move(*card), std::move(*renderer)};
  }();
  return s;
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh empty folder under the build tree's temp area.
inline std::filesystem::path fresh_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("sdc-print-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace sdc::test
