// Fuzz target: ICC profile bytes, as the source (RGB) profile of a colour transform to the default
// CMYK profile, and as the CMYK output profile from sRGB; a transform built is then used.
#include <sdc/color.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace {
void use(const sdc::ColorTransform& t) {
  const std::array<std::uint8_t, 12> rgb{0, 0, 0, 255, 255, 255, 200, 30, 40, 12, 140, 250};
  std::array<std::uint8_t, 16> cmyk{};
  t.rgb_to_cmyk(rgb.data(), cmyk.data(), 4);
  std::array<double, 12> lab{};
  t.cmyk_to_lab(cmyk.data(), lab.data(), 4);
  t.rgb_to_lab(rgb.data(), lab.data(), 4);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  sdc::ColorTransformOptions as_source;
  as_source.source_profile = bytes;
  if (auto t = sdc::ColorTransform::create(as_source)) use(*t);
  sdc::ColorTransformOptions as_output;
  as_output.output_profile = "fuzz-output.icc";
  as_output.output_profile_bytes = bytes;
  if (auto t = sdc::ColorTransform::create(as_output)) use(*t);
  return 0;
}
