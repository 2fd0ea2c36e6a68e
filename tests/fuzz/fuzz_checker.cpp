// Fuzz target: the checker's image path. The bytes are decoded as an image file (small limits) and
// the picture is checked as a card (locate, rectify, quality, QR codes, seals, photo, MRZ) against
// the fixed trust store, with the specimen template. No pattern seeds: the forensic checks stay off.
#include "fuzz/fuzz_support.hpp"

#include <sdc/image.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sdc::Checker checker = [] {
    sdc::CheckerOptions o;
    o.check_time = sdc::fuzz::kNow;
    o.max_image_pixels = 1'000'000;
    o.resources = sdc::Resources::at(sdc::fuzz::source_dir());
    auto t = sdc::Template::load(sdc::fuzz::source_dir() / "assets/templates/specimen.json");
    if (!t) std::abort();
    o.card_template = std::move(*t);
    auto c = sdc::Checker::create(sdc::fuzz::trust_store(), o);
    if (!c) std::abort();
    return std::move(*c);
  }();
  const sdc::ImageLoadOptions limits{.max_pixels = 1'000'000, .max_file_bytes = 1 << 20};
  auto img = sdc::decode_image(data, size, "fuzz-card", limits);
  if (!img) return 0;
  auto report = checker.check_card(img->view(), {}, "fuzz-card");
  (void)report;
  return 0;
}
