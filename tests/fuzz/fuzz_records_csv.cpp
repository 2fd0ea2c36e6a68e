// Fuzz target: CSV records parsed from memory, then validated against the specimen template's schema.
#include "fuzz/fuzz_support.hpp"

#include <sdc/record.hpp>
#include <sdc/template.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sdc::Template specimen = [] {
    auto t = sdc::Template::load(sdc::fuzz::source_dir() / "assets/templates/specimen.json");
    if (!t) std::abort();
    return std::move(*t);
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records =
      sdc::parse_records(text, sdc::RecordFormat::csv, "fuzz.csv", sdc::fuzz::source_dir() / "assets/records");
  if (records)
    for (const auto& r : *records) (void)sdc::validate_record(r, specimen.schema());
  return 0;
}
