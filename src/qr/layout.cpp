#include <sdc/qr.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace sdc {

const char* to_string(QrEcLevel level) noexcept {
  switch (level) {
    case QrEcLevel::L: return "L";
    case QrEcLevel::M: return "M";
    case QrEcLevel::Q: return "Q";
    case QrEcLevel::H: return "H";
  }
  return "?";
}

QrLayout layout_qr(const QrMatrix& qr, Mm box_size, Dpi dpi, int quiet_zone) {
  QrLayout out;
  out.quiet_zone = std::clamp(quiet_zone, 0, 16);
  if (qr.empty() || dpi.v <= 0) {
    out.warning = "no QR code to lay out (empty matrix or dpi <= 0)";
    return out;
  }
  const int modules = qr.size + 2 * out.quiet_zone;
  // Floor, not round: a module rounded up would push the symbol out of its box.
  const double box_px = std::max(0.0, to_px_f(box_size, dpi));
  int module_px = static_cast<int>(std::floor(box_px / modules + 1e-9));
  if (module_px < 1) {
    module_px = 1;
    out.warning = "a " + std::to_string(qr.size) + "-module QR code with a " + std::to_string(out.quiet_zone) +
                  "-module quiet zone needs at least " + std::to_string(modules) + " px at " + std::to_string(dpi.v) +
                  " dpi, more than the box holds; enlarge the box, raise the dpi or shorten the content";
  }
  out.module_px = module_px;
  out.module = to_mm(Px{module_px}, dpi);
  out.total_px = module_px * modules;
  out.total = to_mm(Px{out.total_px}, dpi);
  if (out.warning.empty() && out.module.v < 0.25 - 1e-9) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, out.module.v, std::chars_format::fixed, 3);
    out.warning = std::string("QR module of ") + std::string(buf, r.ptr) + " mm (" + std::to_string(module_px) +
                  " px at " + std::to_string(dpi.v) +
                  " dpi) is under 0.25 mm: phones and scanners may fail to read it; " + "enlarge the box to at least " +
                  std::to_string(static_cast<int>(std::ceil(modules * 0.25))) +
                  " mm, or shorten the content for a lower QR version";
  }
  return out;
}

}  // namespace sdc
