#include "print_formats.hpp"

#include <sdc/export.hpp>

#include <algorithm>
#include <cstdio>

namespace sdc::cli {

void add_color_options(CLI::App& app, ColorArgs& a) {
  app.add_option("--profile", a.profile,
                 "CMYK output ICC profile (default: " + default_cmyk_profile_path().string() + ")");
  app.add_option("--intent", a.intent, "Rendering intent: relative (colorimetric) or perceptual")
      ->check(CLI::IsMember({"relative", "perceptual"}));
  app.add_flag("--no-bpc", a.no_bpc, "Turn off black-point compensation");
  app.add_option("--tac", a.tac, "Total area coverage limit in percent")->check(CLI::Range(100, 400));
}

Result<ColorTransform> make_transform(const std::string& cmd, const ColorArgs& a) {
  auto t =
      ColorTransform::create({.output_profile = a.profile,
                              .intent = a.intent == "perceptual" ? Intent::perceptual : Intent::relative_colorimetric,
                              .black_point_compensation = !a.no_bpc});
  if (t)
    std::fprintf(stderr, "sdc %s: CMYK profile: %s (%s), %s%s, coverage limit %d %%\n", cmd.c_str(),
                 t->output_profile_description().c_str(), t->output_profile_path().string().c_str(),
                 to_string(t->intent()), t->black_point_compensation() ? " + BPC" : "", a.tac);
  return t;
}

bool PrintFormats::wants(const std::string& f) const {
  return std::find(formats.begin(), formats.end(), f) != formats.end();
}

void add_print_options(CLI::App& app, PrintFormats& p) {
  app.add_option("--format,-f", p.formats, "Output formats, repeatable or comma-separated: png, tiff-cmyk, panels, pdf")
      ->delimiter(',')
      ->check(CLI::IsMember({"png", "tiff-cmyk", "panels", "pdf"}));
  add_color_options(app, p.color);
  app.add_option("--printer", p.printer, "Printer profile for --format panels (id in assets/printers or a JSON path)");
  app.add_option("--ribbon", p.ribbon, "Ribbon for --format panels: YMCKO, YMCKOK or YMCFKO (default: the printer's)");
  app.add_option("--k-edges", p.k_edges, "Resin K edges: threshold or dither")
      ->check(CLI::IsMember({"threshold", "dither"}));
  app.add_flag("--tiff-per-side", p.tiff_per_side, "Write front.tif and back.tif instead of one two-page card.tif");
}

int write_print_formats(const std::string& cmd, const Card& card, const Renderer& renderer,
                        const std::vector<Side>& wanted, const std::filesystem::path& out, const PrintFormats& p,
                        int dpi) {
  std::vector<Side> sides;  // the asked-for sides the card has
  for (Side s : wanted)
    if (card.has_side(s)) sides.push_back(s);
  if (sides.empty()) return ok;
  if (p.wants("tiff-cmyk")) {
    auto t = make_transform(cmd, p.color);
    if (!t) return fail(cmd, t.error());
    std::vector<Image> pages;
    std::vector<std::string> names;
    for (Side s : sides) {
      auto planes = renderer.render(card, s, RenderOptions{Dpi{dpi}});
      if (!planes) return fail(cmd, planes.error());
      auto cmyk = separate(*planes, *t, {.max_total_coverage = p.color.tac});
      if (!cmyk) return fail(cmd, cmyk.error());
      pages.push_back(std::move(*cmyk));
      names.emplace_back(to_string(s));
    }
    CmykTiffOptions o{.dpi = Dpi{dpi}, .icc_profile = t->output_profile()};
    if (p.tiff_per_side) {
      for (std::size_t i = 0; i < pages.size(); ++i) {
        const ImageView v[] = {pages[i].view()};
        o.page_names = {names[i]};
        const auto path = out / (names[i] + ".tif");
        if (auto st = write_cmyk_tiff(v, path, o); !st) return fail(cmd, st.error());
        std::printf("%s\n", path.string().c_str());
      }
    } else {
      std::vector<ImageView> views;
      for (const auto& im : pages) views.push_back(im.view());
      o.page_names = names;
      const auto path = out / "card.tif";
      if (auto st = write_cmyk_tiff(views, path, o); !st) return fail(cmd, st.error());
      std::printf("%s\n", path.string().c_str());
    }
  }
  if (p.wants("panels")) {
    auto printer = find_printer_profile(p.printer);
    if (!printer) return fail(cmd, printer.error());
    PanelOptions po;
    po.k_edges = p.k_edges == "dither" ? KEdges::ordered_dither : KEdges::threshold;
    if (!p.ribbon.empty()) {
      Ribbon r{};
      if (!parse_ribbon(p.ribbon, r))
        return fail(
            cmd, Error(Errc::invalid_argument, "unknown ribbon \"" + p.ribbon + "\".", "use YMCKO, YMCKOK or YMCFKO."));
      po.ribbon = r;
    }
    std::vector<Planes> planes;  // at the printer's own resolution
    for (Side s : sides) {
      auto pl = renderer.render(card, s, RenderOptions{printer->dpi});
      if (!pl) return fail(cmd, pl.error());
      planes.push_back(std::move(*pl));
    }
    const auto dir = out / "panels";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    auto set = write_panels(planes, *printer, dir, po);
    if (!set) return fail(cmd, set.error());
    for (const auto& w : set->warnings) std::fprintf(stderr, "sdc %s: warning: %s\n", cmd.c_str(), w.c_str());
    for (const auto& f : set->files) std::printf("%s\n", f.string().c_str());
    std::printf("%s\n", set->manifest.string().c_str());
  }
  if (p.wants("pdf")) {
    const auto path = out / "proof.pdf";
    std::string title = "sdc proof";
    for (const auto& [name, value] : card.record().fields)  // Record::get is not exported
      if (name == "document_number") title += ": " + value;
    if (auto st = write_pdf_proof(card, path, {.title = title}); !st) return fail(cmd, st.error());
    std::printf("%s\n", path.string().c_str());
  }
  return ok;
}

}  // namespace sdc::cli
