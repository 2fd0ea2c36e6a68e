// Shared helpers of the fuzz targets: the source tree's data and fixed inputs. Header-only, so each
// target stays one file plus this.
#pragma once

#include <sdc/record.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc::fuzz {

/// The source tree (data: assets/, fonts/, tests/data/).
inline std::filesystem::path source_dir() {
  return SDC_SOURCE_DIR;
}

/// The check time of every target: 2026-12-01T00:00:00Z, inside the specimen certificates' validity.
inline constexpr std::int64_t kNow = 1796083200;

/// A file of the source tree, whole; aborts when missing (a broken fuzz setup, not a finding).
inline std::vector<std::uint8_t> read_source_file(const std::filesystem::path& relative) {
  std::ifstream in(source_dir() / relative, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz setup: cannot read %s\n", (source_dir() / relative).c_str());
    std::abort();
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The fixed trust store: the specimen Ed25519 and ES256 certificates (assets/keys/, published on
/// purpose), plus one revoked document number so the revocation path runs.
inline const TrustStore& trust_store() {
  static const TrustStore store = [] {
    TrustStore t;
    for (const char* alg : {"specimen-ed25519", "specimen-es256"}) {
      const auto pem = read_source_file(std::filesystem::path("assets/keys") / alg / "cert.pem");
      if (!t.add_certificate(pem)) {
        std::fprintf(stderr, "fuzz setup: %s/cert.pem is not a certificate\n", alg);
        std::abort();
      }
    }
    t.revoke_document("XA0000999");
    return t;
  }();
  return store;
}

/// The specimen template (assets/templates/specimen.json), loaded once; aborts when it does not load.
inline const Template& specimen() {
  static const Template t = [] {
    auto loaded = Template::load(source_dir() / "assets/templates/specimen.json");
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return t;
}

/// Records parsed from memory in `format` (paths relative to assets/records), each then validated
/// against the specimen template's schema: the body of the record-file targets.
inline void parse_and_validate_records(std::string_view text, RecordFormat format, const char* name) {
  auto records = parse_records(text, format, name, source_dir() / "assets/records");
  if (records)
    for (const auto& r : *records) (void)validate_record(r, specimen().schema());
}

}  // namespace sdc::fuzz
