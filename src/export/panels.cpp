// Panels for dye-sublimation and retransfer card printers: planes -> the printer's raster.
#include <sdc/export.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "export/panels_internal.hpp"
#include "export/png_internal.hpp"

namespace sdc {

const char* to_string(Ribbon r) noexcept {
  switch (r) {
    case Ribbon::ymcko: return "YMCKO";
    case Ribbon::ymckok: return "YMCKOK";
    case Ribbon::ymcfko: return "YMCFKO";
  }
  return "?";
}

bool parse_ribbon(std::string_view text, Ribbon& out) noexcept {
  std::string u(text);
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (Ribbon r : {Ribbon::ymcko, Ribbon::ymckok, Ribbon::ymcfko})
    if (u == to_string(r)) {
      out = r;
      return true;
    }
  return false;
}

namespace detail {

bool side_has_colour(Ribbon r, Side s) {
  return !(r == Ribbon::ymckok && s == Side::back);
}
bool side_has_uv(Ribbon r, Side) {
  return r == Ribbon::ymcfko;
}

Result<Ribbon> choose_ribbon(std::span<const Planes> sides, const PrinterProfile& printer, const PanelOptions& o) {
  auto offered = [&](Ribbon r) {
    return std::find(printer.ribbons.begin(), printer.ribbons.end(), r) != printer.ribbons.end();
  };
  if (o.ribbon) {
    if (!offered(*o.ribbon))
      return Error(Errc::invalid_argument,
                   std::string("the printer ") + printer.id + " does not take a " + to_string(*o.ribbon) + " ribbon.",
                   "choose one of the ribbons its profile lists.");
    return *o.ribbon;
  }
  if (printer.ribbons.empty())
    return Error(Errc::invalid_argument, "the printer profile " + printer.id + " lists no ribbons.",
                 "add \"ribbons\" to the profile.");
  bool uv = false;
  for (const auto& p : sides)
    for (int y = 0; y < p.uv.height() && !uv; ++y) {
      const std::uint8_t* r = p.uv.row(y);
      uv = std::any_of(r, r + p.uv.width(), [](std::uint8_t v) { return v != 0; });
    }
  if (uv && offered(Ribbon::ymcfko)) return Ribbon::ymcfko;
  return printer.ribbons.front();
}

}  // namespace detail

namespace {

constexpr std::uint8_t kBayer8[8][8] = {{0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
                                        {12, 44, 4, 36, 14, 46, 6, 38}, {60, 28, 52, 20, 62, 30, 54, 22},
                                        {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
                                        {15, 47, 7, 39, 13, 45, 5, 37}, {63, 31, 55, 23, 61, 29, 53, 21}};

bool any_nonzero(const Image& im) {
  for (int y = 0; y < im.height(); ++y) {
    const std::uint8_t* r = im.row(y);
    if (std::any_of(r, r + im.width() * channels(im.format()), [](std::uint8_t v) { return v != 0; })) return true;
  }
  return false;
}

// Samples a plane at raster pixel centres. When the dpi matches, the mapping is an exact integer
// offset (no filtering); otherwise bilinear. Outside the plane: `outside`.
struct Sampler {
  double scale = 1, off_x = 0, off_y = 0;
  bool exact = true;
  int dx = 0, dy = 0;

  Sampler(const Planes& p, const PrinterProfile& pr) {
    exact = p.dpi.v == pr.dpi.v;
    dx = p.trim.x - pr.origin_x_px;
    dy = p.trim.y - pr.origin_y_px;
    scale = static_cast<double>(p.dpi.v) / pr.dpi.v;
    // plane coordinate of raster centre (i + 0.5): (i + 0.5 - origin) * scale + trim, minus 0.5
    off_x = -pr.origin_x_px * scale + p.trim.x;
    off_y = -pr.origin_y_px * scale + p.trim.y;
  }

  void sample(const Image& im, int i, int j, std::uint8_t outside, std::uint8_t* out) const {
    const int ch = channels(im.format());
    if (exact) {
      const int x = i + dx, y = j + dy;
      if (x < 0 || y < 0 || x >= im.width() || y >= im.height()) {
        std::fill(out, out + ch, outside);
        return;
      }
      std::copy_n(im.row(y) + x * ch, ch, out);
      return;
    }
    const double fx = (i + 0.5) * scale + off_x - 0.5, fy = (j + 0.5) * scale + off_y - 0.5;
    const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
    const double ax = fx - x0, ay = fy - y0;
    for (int c = 0; c < ch; ++c) {
      double acc = 0;
      for (int k = 0; k < 4; ++k) {
        const int x = x0 + (k & 1), y = y0 + (k >> 1);
        const double w = ((k & 1) ? ax : 1 - ax) * ((k >> 1) ? ay : 1 - ay);
        const double v = (x < 0 || y < 0 || x >= im.width() || y >= im.height()) ? outside : im.row(y)[x * ch + c];
        acc += w * v;
      }
      out[c] = static_cast<std::uint8_t>(std::lround(std::clamp(acc, 0.0, 255.0)));
    }
  }
};

// Rotates clockwise by `deg` and mirrors left-right if asked.
Image orient(const Image& src, int deg, bool mirror) {
  if (deg == 0 && !mirror) return Image::copy_of(src.view());
  const int w = src.width(), h = src.height(), ch = channels(src.format());
  const bool swap = deg == 90 || deg == 270;
  const int ow = swap ? h : w, oh = swap ? w : h;
  Image out(ow, oh, src.format());
  out.set_dpi(src.dpi());
  for (int y = 0; y < oh; ++y) {
    std::uint8_t* d = out.row(y);
    for (int x = 0; x < ow; ++x) {
      const int xm = mirror ? ow - 1 - x : x;  // mirroring is applied last, so undo it first
      int sx = 0, sy = 0;
      switch (deg) {
        case 90: sx = y, sy = h - 1 - xm; break;
        case 180: sx = w - 1 - xm, sy = h - 1 - y; break;
        case 270: sx = w - 1 - y, sy = xm; break;
        default: sx = xm, sy = y; break;
      }
      std::copy_n(src.row(sy) + sx * ch, ch, d + x * ch);
    }
  }
  return out;
}

}  // namespace

Result<SidePanels> make_panels(const Planes& p, const PrinterProfile& pr, const PanelOptions& o) {
  if (p.process.empty() || p.process.format() != PixelFormat::rgb8)
    return Error(Errc::invalid_argument, "the planes are empty.", "render the card first.");
  for (const Image* im : {&p.k, &p.uv, &p.overlay})  // absent inks are empty planes
    if (!im->empty() &&
        (im->width() != p.process.width() || im->height() != p.process.height() || im->format() != PixelFormat::gray8))
      return Error(Errc::invalid_argument, "an ink plane does not match the process plane's size.",
                   "give gray8 ink planes of the process plane's size, or empty ones for absent inks.");
  if (pr.width_px <= 0 || pr.height_px <= 0 || pr.dpi.v <= 0)
    return Error(Errc::invalid_argument, "the printer profile " + pr.id + " has no raster size.",
                 "set width_px, height_px and dpi.");
  for (int t : {o.k_threshold, o.uv_threshold, o.overlay_threshold})
    if (t < 1 || t > 255)
      return Error(Errc::invalid_argument, "panel threshold " + std::to_string(t) + " is outside 1 to 255.",
                   "use 128 for half coverage.");
  SDC_TRY_ASSIGN(auto ribbon, detail::choose_ribbon(std::span<const Planes>(&p, 1), pr, o));
  const bool colour = detail::side_has_colour(ribbon, p.side), uv = detail::side_has_uv(ribbon, p.side);
  const bool has_overlay = any_nonzero(p.overlay);

  const int w = pr.width_px, h = pr.height_px;
  Image ymc(w, h, PixelFormat::rgb8), k(w, h, PixelFormat::gray8), ov(w, h, PixelFormat::gray8),
      f(uv ? w : 0, uv ? h : 0, PixelFormat::gray8);
  const Sampler s(p, pr);
  for (int j = 0; j < h; ++j) {
    std::uint8_t* crow = ymc.row(j);
    std::uint8_t* krow = k.row(j);
    std::uint8_t* orow = ov.row(j);
    for (int i = 0; i < w; ++i) {
      std::uint8_t kv = 0;
      s.sample(p.k, i, j, 0, &kv);
      const bool kon =
          o.k_edges == KEdges::threshold ? kv >= o.k_threshold : kv > 0 && kv * 64 > kBayer8[j & 7][i & 7] * 255 + 127;
      krow[i] = kon ? 255 : 0;
      if (kon) {
        std::fill_n(crow + 3 * i, 3, std::uint8_t{255});  // no dye under resin K
      } else {
        s.sample(p.process, i, j, 255, crow + 3 * i);
      }
      if (has_overlay) {
        std::uint8_t ovv = 0;
        s.sample(p.overlay, i, j, 0, &ovv);
        orow[i] = ovv >= o.overlay_threshold ? 255 : 0;
      } else {
        orow[i] = o.full_overlay_when_absent ? 255 : 0;
      }
      if (uv) {
        std::uint8_t uvv = 0;
        s.sample(p.uv, i, j, 0, &uvv);
        f.row(j)[i] = uvv >= o.uv_threshold ? 255 : 0;
      }
    }
  }
  SidePanels out;
  out.side = p.side;
  for (Image* im : {&ymc, &k, &ov, &f}) im->set_dpi(pr.dpi);
  out.k = orient(k, pr.rotation_deg, pr.mirror);
  if (colour) {
    out.ymc = orient(ymc, pr.rotation_deg, pr.mirror);
    out.overlay = orient(ov, pr.rotation_deg, pr.mirror);
  }
  if (uv) out.uv = orient(f, pr.rotation_deg, pr.mirror);
  return out;
}

Result<EncodedPanelSet> encode_panels(std::span<const Planes> sides, const PrinterProfile& pr, const PanelOptions& o) {
  if (sides.empty() || sides.size() > 2)
    return Error(Errc::invalid_argument, "a panel set has one or two sides.", "pass the front, then the back.");
  SDC_TRY_ASSIGN(const Ribbon ribbon, detail::choose_ribbon(sides, pr, o));
  PanelOptions opts = o;
  opts.ribbon = ribbon;
  EncodedPanelSet set;
  set.ribbon = ribbon;
  std::vector<detail::ManifestSide> manifest_sides;
  for (const Planes& p : sides) {
    SDC_TRY_ASSIGN(const SidePanels panels, make_panels(p, pr, opts));
    const std::string side = to_string(p.side);
    detail::ManifestSide ms{side, {}};
    auto put = [&](const char* panel, const Image& im, bool bilevel) -> Status {
      if (im.empty()) return {};
      const std::string name = side + "_" + panel + ".png";
      SDC_TRY_ASSIGN(auto bytes, bilevel ? detail::encode_png_bilevel(im.view(), pr.dpi)
                                         : encode_png(im.view(), PngOptions{.dpi = pr.dpi}));
      ms.files.emplace_back(panel, name);
      set.files.push_back({name, std::move(bytes)});
      return {};
    };
    SDC_TRY(put("ymc", panels.ymc, false));
    SDC_TRY(put("f", panels.uv, true));
    SDC_TRY(put("k", panels.k, true));
    SDC_TRY(put("o", panels.overlay, true));
    manifest_sides.push_back(std::move(ms));
    if (!detail::side_has_colour(ribbon, p.side)) {
      bool coloured = false;
      for (int y = p.trim.y; y < p.trim.y + p.trim.h && !coloured; ++y) {
        const std::uint8_t* r = p.process.row(y) + 3 * p.trim.x;
        coloured = std::any_of(r, r + 3 * p.trim.w, [](std::uint8_t v) { return v != 255; });
      }
      if (coloured)
        set.warnings.push_back("the " + side + " has colour artwork, but a " + to_string(ribbon) +
                               " ribbon prints it with resin K only: the colour is left out.");
    }
    if (!detail::side_has_uv(ribbon, p.side) && any_nonzero(p.uv))
      set.warnings.push_back("the " + side + " has UV ink, but a " + std::string(to_string(ribbon)) +
                             " ribbon has no F panel: the UV content is left out.");
  }
  const std::string manifest = detail::panel_manifest(pr, ribbon, opts, manifest_sides, set.warnings);
  set.files.push_back({"panels.json", std::vector<std::uint8_t>(manifest.begin(), manifest.end())});
  return set;
}

Result<PanelSet> write_panels(std::span<const Planes> sides, const PrinterProfile& pr,
                              const std::filesystem::path& out_dir, const PanelOptions& o) {
  SDC_TRY_ASSIGN(EncodedPanelSet encoded, encode_panels(sides, pr, o));
  PanelSet set;
  set.ribbon = encoded.ribbon;
  set.warnings = std::move(encoded.warnings);
  for (const auto& f : encoded.files) {
    const auto path = out_dir / f.name;
    SDC_TRY(write_file_atomic(path, f.bytes));
    if (f.name == "panels.json")
      set.manifest = path;
    else
      set.files.push_back(path);
  }
  return set;
}

}  // namespace sdc
