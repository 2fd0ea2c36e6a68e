// Fuzz target: a card template (JSON) parsed from memory. Asset paths resolve against the specimen
// template's folder, as for assets/templates/specimen.json.
#include "fuzz/fuzz_support.hpp"

#include <sdc/template.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto base = sdc::fuzz::source_dir() / "assets/templates";
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto t = sdc::Template::parse(json, "fuzz-template.json", base);
  if (t) {
    // Walk what a caller reads of a template.
    for (sdc::Side s : {sdc::Side::front, sdc::Side::back})
      if (t->has_side(s)) (void)t->elements(s);
    (void)t->referenced_fields();
    (void)t->geometry();
  }
  return 0;
}
