// Printer profiles (assets/printers/*.json) and the panel-set manifest.
#include <nlohmann/json.hpp>
#include <sdc/export.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/read_file.hpp"
#include "export/panels_internal.hpp"
#include "json/json_util.hpp"

namespace sdc {

namespace {

Error bad(const std::filesystem::path& path, const std::string& pointer, const std::string& what,
          const std::string& hint = "see docs/print.md for the printer profile format.") {
  return Error(Errc::invalid_argument, what, hint, Where{.file = path.string(), .json_path = pointer});
}

}  // namespace

Result<PrinterProfile> load_printer_profile(const std::filesystem::path& path) {
  SDC_TRY_ASSIGN(const std::string text, detail::read_input_file(path, 1u << 20, "printer profile"));
  return parse_printer_profile(text, path);
}

Result<PrinterProfile> parse_printer_profile(std::string_view json, const std::filesystem::path& path) {
  if (path.empty())
    return Error(Errc::invalid_argument, "a printer profile needs a name.",
                 "pass its id as the name (\"vendor-model-300.json\" gives the id vendor-model-300).");
  const std::string text(json);
  SDC_TRY_ASSIGN(auto parsed, detail::parse_json_text(text, path.string()));
  const nlohmann::json& j = parsed;
  if (!j.is_object()) return bad(path, "", "a printer profile must be a JSON object.");
  PrinterProfile p;
  p.id = path.stem().string();
  auto get_int = [&](const nlohmann::json& obj, const char* key, const std::string& ptr, int lo, int hi, int& out,
                     bool required) -> Status {
    if (!obj.contains(key)) {
      if (required) return bad(path, ptr, std::string("missing \"") + key + "\".");
      return {};
    }
    const auto& v = obj[key];
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      return bad(path, ptr + "/" + key,
                 std::string("\"") + key + "\" must be a whole number from " + std::to_string(lo) + " to " +
                     std::to_string(hi) + ".");
    out = static_cast<int>(v.get<long long>());
    return {};
  };
  if (j.contains("name") && j["name"].is_string()) p.name = j["name"].get<std::string>();
  int dpi = 0;
  SDC_TRY(get_int(j, "dpi", "", 72, 2400, dpi, true));
  p.dpi = Dpi{dpi};
  if (!j.contains("raster") || !j["raster"].is_object())
    return bad(path, "/raster", "missing \"raster\" {width, height}.");
  SDC_TRY(get_int(j["raster"], "width", "/raster", 1, 20000, p.width_px, true));
  SDC_TRY(get_int(j["raster"], "height", "/raster", 1, 20000, p.height_px, true));
  if (j.contains("origin")) {
    if (!j["origin"].is_object()) return bad(path, "/origin", "\"origin\" must be {x, y} in raster pixels.");
    SDC_TRY(get_int(j["origin"], "x", "/origin", -20000, 20000, p.origin_x_px, false));
    SDC_TRY(get_int(j["origin"], "y", "/origin", -20000, 20000, p.origin_y_px, false));
  }
  SDC_TRY(get_int(j, "rotation", "", 0, 270, p.rotation_deg, false));
  if (p.rotation_deg % 90 != 0) return bad(path, "/rotation", "\"rotation\" must be 0, 90, 180 or 270.");
  if (j.contains("mirror")) {
    if (!j["mirror"].is_boolean()) return bad(path, "/mirror", "\"mirror\" must be true or false.");
    p.mirror = j["mirror"].get<bool>();
  }
  if (j.contains("technology")) {
    const auto t = j["technology"].is_string() ? j["technology"].get<std::string>() : "";
    if (t != "dye-sublimation" && t != "retransfer")
      return bad(path, "/technology", "\"technology\" must be \"dye-sublimation\" or \"retransfer\".");
    p.retransfer = t == "retransfer";
  }
  if (!j.contains("ribbons") || !j["ribbons"].is_array() || j["ribbons"].empty())
    return bad(path, "/ribbons", "missing \"ribbons\": a list such as [\"YMCKO\", \"YMCKOK\"].");
  for (std::size_t i = 0; i < j["ribbons"].size(); ++i) {
    const auto& r = j["ribbons"][i];
    Ribbon rb{};
    if (!r.is_string() || !parse_ribbon(r.get<std::string>(), rb))
      return bad(path, "/ribbons/" + std::to_string(i), "unknown ribbon; sdc knows YMCKO, YMCKOK and YMCFKO.");
    p.ribbons.push_back(rb);
  }
  return p;
}

std::vector<std::string> printer_profile_ids(const Resources& resources) {
  std::vector<std::string> ids;
  std::error_code ec;
  const auto dir = resources.printers();
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") ids.push_back(e.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<PrinterProfile> find_printer_profile(const std::string& id, const Resources& resources) {
  std::error_code ec;
  if (id.find('/') != std::string::npos || std::filesystem::path(id).extension() == ".json")
    return load_printer_profile(id);
  const auto path = resources.printers() / (id + ".json");
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::string known;
    for (const auto& k : printer_profile_ids(resources)) known += (known.empty() ? "" : ", ") + k;
    return Error(Errc::invalid_argument, "there is no printer profile \"" + id + "\".",
                 "choose one of: " + (known.empty() ? std::string("(none found)") : known) +
                     ", or give the path of a profile JSON file.",
                 Where{.file = path.string()});
  }
  return load_printer_profile(path);
}

namespace detail {

std::string panel_manifest(const PrinterProfile& pr, Ribbon ribbon, const PanelOptions& o,
                           const std::vector<ManifestSide>& sides, const std::vector<std::string>& warnings) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["format"] = "sdc-panels/1";
  j["printer"] = {{"id", pr.id}, {"name", pr.name}, {"technology", pr.retransfer ? "retransfer" : "dye-sublimation"}};
  j["ribbon"] = to_string(ribbon);
  j["dpi"] = pr.dpi.v;
  const bool swap = pr.rotation_deg == 90 || pr.rotation_deg == 270;
  j["raster"] = {{"width", swap ? pr.height_px : pr.width_px}, {"height", swap ? pr.width_px : pr.height_px}};
  j["orientation"] = {{"rotation", pr.rotation_deg}, {"mirror", pr.mirror}};
  j["k_edges"] = o.k_edges == KEdges::threshold ? "threshold" : "ordered-dither";
  j["encoding"] = {{"ymc", "24-bit sRGB PNG, white where resin K prints"},
                   {"k", "1-bit PNG, black = resin"},
                   {"o", "1-bit PNG, black = overlay varnish, white = hole"},
                   {"f", "1-bit PNG, black = fluorescent (UV) panel"}};
  ordered_json s = ordered_json::array();
  for (const auto& side : sides) {
    ordered_json panels = ordered_json::object();
    for (const auto& [panel, file] : side.files) panels[panel] = file;
    s.push_back({{"side", side.side}, {"panels", panels}});
  }
  j["sides"] = s;
  j["warnings"] = warnings;
  return j.dump(2) + "\n";
}

}  // namespace detail

}  // namespace sdc
