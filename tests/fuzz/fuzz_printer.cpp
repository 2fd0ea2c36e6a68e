// Fuzz target: a printer profile (JSON) parsed from memory.
#include <sdc/export.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto profile = sdc::parse_printer_profile(json, "fuzz-printer.json");
  (void)profile;
  return 0;
}
