// Shared fixtures for end-to-end tests: the specimen template, records, a composer and the
// published SPECIMEN Ed25519 signing key (deterministic signatures) with its trust store.
#pragma once

#include <sdc/compose.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <filesystem>
#include <memory>

namespace sdc::test {

struct Env {
  Template specimen;
  std::vector<Record> records;  ///< assets/records/specimen.csv
  Composer composer;
  Renderer renderer;
  Issuer issuer;
  TrustStore trust;
  std::filesystem::path key_dir;
};

/// Built once per test binary.
const Env& env();
std::filesystem::path source_dir();

}  // namespace sdc::test
