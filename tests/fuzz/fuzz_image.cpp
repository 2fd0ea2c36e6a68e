// Fuzz target: an image file (PNG, JPEG or TIFF, sniffed by decode_image) decoded from memory with
// small limits, so a decompression bomb is refused rather than slowing the campaign.
#include <sdc/image.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sdc::ImageLoadOptions limits{.max_pixels = 4'000'000, .max_file_bytes = 1 << 20};
  auto img = sdc::decode_image(data, size, "fuzz-image", limits);
  (void)img;
  return 0;
}
