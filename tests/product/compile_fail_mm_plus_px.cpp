// Must NOT compile (WILL_FAIL test): millimetres and pixels do not mix without a Dpi.
// With -DSDC_CONTROL it compiles, proving the failure is the unit mix and not a broken header.
#include <sdc/units.hpp>

int main() {
#ifdef SDC_CONTROL
  auto sum = sdc::Mm{1.0} + sdc::Mm{2.0};
  auto px = sdc::to_px(sum, sdc::Dpi{300});
#else
  auto sum = sdc::Mm{1.0} + sdc::Px{2};
  auto px = sum;
#endif
  (void)px;
  return 0;
}
