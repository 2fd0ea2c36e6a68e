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

void report_transform(const std::string& cmd, const ColorTransform& t, int tac) {
  std::fprintf(stderr, "sdc %s: CMYK profile: %s (%s), %s%s, coverage limit %d %%\n", cmd.c_str(),
               t.output_profile_description().c_str(), t.output_profile_path().string().c_str(), to_string(t.intent()),
               t.black_point_compensation() ? " + BPC" : "", tac);
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

Result<ExportRequest> make_export_request(const PrintFormats& p, int dpi) {
  ExportRequest r;
  r.dpi = Dpi{dpi};
  r.png = p.wants("png");
  r.cmyk_tiff = p.wants("tiff-cmyk");
  r.cmyk.profile = p.color.profile;
  r.cmyk.intent = p.color.intent == "perceptual" ? Intent::perceptual : Intent::relative_colorimetric;
  r.cmyk.black_point_compensation = !p.color.no_bpc;
  r.cmyk.tac = p.color.tac;
  r.cmyk.per_side = p.tiff_per_side;
  r.panels = p.wants("panels");
  r.panel.printer = p.printer;
  r.panel.options.k_edges = p.k_edges == "dither" ? KEdges::ordered_dither : KEdges::threshold;
  if (r.panels && !p.ribbon.empty()) {
    Ribbon rb{};
    if (!parse_ribbon(p.ribbon, rb))
      return Error(Errc::invalid_argument, "unknown ribbon \"" + p.ribbon + "\".", "use YMCKO, YMCKOK or YMCFKO.");
    r.panel.options.ribbon = rb;
  }
  r.pdf = p.wants("pdf");
  return r;
}

void report_export(const std::string& cmd, const ExportResult& result, const ColorArgs& color) {
  if (!result.transform.empty()) report_transform(cmd, result.transform, color.tac);
  for (const auto& w : result.warnings) std::fprintf(stderr, "sdc %s: warning: %s\n", cmd.c_str(), w.c_str());
  for (const auto& o : result.outputs) std::printf("%s\n", o.path.string().c_str());
}

}  // namespace sdc::cli
