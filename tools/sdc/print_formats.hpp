// Print-ready output formats shared by `sdc render --format ...` and `sdc sheet`: the options that
// choose an ICC profile, intent, coverage limit and printer, and the writers behind them.
#pragma once

#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/render.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli.hpp"

namespace sdc::cli {

/// Colour options: --profile, --intent, --no-bpc, --tac.
struct ColorArgs {
  std::string profile;
  std::string intent = "relative";
  bool no_bpc = false;
  int tac = 300;
};
void add_color_options(CLI::App& app, ColorArgs& a);
/// Prints the profile in use to stderr ("sdc <cmd>: CMYK profile: ...").
void report_transform(const std::string& cmd, const ColorTransform& t, int tac);

struct PrintFormats {
  std::vector<std::string> formats{"png"};  ///< png, tiff-cmyk, panels, pdf (comma lists allowed)
  ColorArgs color;
  std::string printer = "evolis-style-300";
  std::string ribbon;
  std::string k_edges = "threshold";
  bool tiff_per_side = false;
  bool wants(const std::string& f) const;
};
/// Adds --format, the colour options, --printer, --ribbon, --k-edges and --tiff-per-side.
void add_print_options(CLI::App& app, PrintFormats& p);

/// The library request for these options (png, tiff-cmyk, panels, pdf at `dpi`); sides and
/// preview options are the caller's. Errors: an unknown --ribbon.
Result<ExportRequest> make_export_request(const PrintFormats& p, int dpi);

/// Prints what `export_card_to` did as `sdc render` always has: the CMYK profile in use and panel
/// warnings to stderr, each path written to stdout.
void report_export(const std::string& cmd, const ExportResult& result, const ColorArgs& color);

}  // namespace sdc::cli
