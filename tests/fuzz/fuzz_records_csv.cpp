// Fuzz target: CSV records parsed from memory, then validated against the specimen template's schema.
#include "fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sdc::fuzz::parse_and_validate_records(text, sdc::RecordFormat::csv, "fuzz.csv");
  return 0;
}
