// A vendor's program: only <sdc/...> headers and find_package(sdc).
#include <sdc/sdc.hpp>

#include <cstdio>

int main() {
  const auto px = sdc::to_px(sdc::card_size(sdc::CardFormat::id1).w, sdc::Dpi{300});
  if (px.v != 1011) return 1;
  sdc::Image img(4, 3, sdc::PixelFormat::rgb8);
  if (img.view().width() != 4) return 1;
  std::printf("sdc consumer ok: ID-1 is %d px wide at 300 dpi\n", px.v);
  return 0;
}
