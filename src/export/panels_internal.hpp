// Internal pieces of the panel writer shared between panels.cpp and printer_json.cpp.
#pragma once

#include <sdc/export.hpp>

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace sdc::detail {

/// One side in the manifest: its name and (panel, file name) pairs in print order.
struct ManifestSide {
  std::string side;
  std::vector<std::pair<std::string, std::string>> files;
};

bool side_has_colour(Ribbon r, Side s);
bool side_has_uv(Ribbon r, Side s);
Result<Ribbon> choose_ribbon(std::span<const Planes> sides, const PrinterProfile& printer, const PanelOptions& o);

/// The text of panels.json.
std::string panel_manifest(const PrinterProfile& printer, Ribbon ribbon, const PanelOptions& options,
                           const std::vector<ManifestSide>& sides, const std::vector<std::string>& warnings);

}  // namespace sdc::detail
