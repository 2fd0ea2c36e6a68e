// export_card: the orchestration `sdc render --format` used to do in the CLI, as one library call
// that hands each encoded output to a sink (kept in memory, or written into a folder at once).
#include <sdc/export.hpp>

#include "core/atomic_file.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <system_error>

#include "export/export_workspace.hpp"
#include "export/tiff_stream.hpp"
#include "render/render_planes.hpp"

namespace sdc {

namespace {

using Sink = std::function<Status(std::string name, std::vector<std::uint8_t> bytes)>;

Error bad_request(const std::string& what, const std::string& hint) {
  return Error(Errc::invalid_argument, what, hint);
}

Result<std::vector<Side>> resolve_sides(const Card& card, const ExportRequest& r) {
  std::vector<Side> sides;
  if (r.sides.empty()) {
    for (Side s : {Side::front, Side::back})
      if (card.has_side(s)) sides.push_back(s);
    return sides;
  }
  for (Side s : r.sides) {
    if (!card.has_side(s))
      return bad_request(std::string("the card has no ") + to_string(s) + " side.",
                         "ask for the sides its template defines, or leave ExportRequest::sides empty for all.");
    if (std::find(sides.begin(), sides.end(), s) != sides.end())
      return bad_request(std::string("the ") + to_string(s) + " side is asked for twice.", "list each side once.");
    sides.push_back(s);
  }
  return sides;
}

std::string proof_title(const Card& card, const PdfProofOptions& o) {
  if (!o.title.empty()) return o.title;
  std::string title = "sdc proof";
  for (const auto& [name, value] : card.record().fields)
    if (name == "document_number") title += ": " + value;
  return title;
}

std::int64_t ns_since(std::int64_t t0) {
  return detail::thread_cpu_ns() - t0;
}

Status run_export(const Card& card, const Renderer& renderer, const ExportRequest& r, ExportResult& result,
                  const Sink& sink, detail::ExportWorkspace& ws) {
  detail::ExportTimes& times = ws.times;
  if (!r.png && !r.cmyk_tiff && !r.panels && !r.pdf && !r.seal_text)
    return bad_request("the export request asks for no output.",
                       "turn on at least one of png, cmyk_tiff, panels, pdf or seal_text.");
  if (r.dpi.v < 72 || r.dpi.v > 2400)
    return bad_request("export dpi " + std::to_string(r.dpi.v) + " is outside 72 to 2400.",
                       "render at the card's composition dpi, 300 for a preview.");
  if (r.cmyk_tiff && (r.cmyk.tac < 100 || r.cmyk.tac > 400))
    return bad_request("total area coverage limit " + std::to_string(r.cmyk.tac) + " % is outside 100 to 400.",
                       "use your print provider's limit, 300 % when in doubt.");
  if (card.empty()) return bad_request("the card is empty.", "compose it first.");
  SDC_TRY_ASSIGN(const std::vector<Side> sides, resolve_sides(card, r));
  const Resources res = r.resources ? *r.resources : Resources::installed();
  // Check what can fail before rendering anything: profiles, printer, ribbon.
  ColorTransform transform;
  if (r.cmyk_tiff && !sides.empty()) {
    SDC_TRY_ASSIGN(transform, detail::transform_for(r.cmyk, res));
  }
  PrinterProfile printer;
  if (r.panels && !sides.empty()) {
    SDC_TRY_ASSIGN(printer, detail::printer_for(r.panel, res));
  }
  if (r.panels && r.panel.options.ribbon &&
      std::find(printer.ribbons.begin(), printer.ribbons.end(), *r.panel.options.ribbon) == printer.ribbons.end())
    return bad_request(std::string("the printer ") + printer.id + " does not take a " +
                           to_string(*r.panel.options.ribbon) + " ribbon.",
                       "choose one of the ribbons its profile lists.");

  // Planes at the export dpi, rendered once per side and shared by the preview and the TIFF.
  std::span<const Planes> planes;
  if (r.png || r.cmyk_tiff || (r.panels && printer.dpi.v == r.dpi.v)) {
    const auto t0 = detail::thread_cpu_ns();
    ws.planes.resize(sides.size());
    for (std::size_t i = 0; i < sides.size(); ++i)
      SDC_TRY(detail::render_reusing(renderer, card, sides[i], RenderOptions{r.dpi}, ws.scratch, ws.planes[i]));
    planes = std::span<const Planes>(ws.planes.data(), sides.size());
    times.render_ns += ns_since(t0);
  }

  if (r.png)
    for (const Planes& p : planes) {
      const auto t0 = detail::thread_cpu_ns();
      SDC_TRY_ASSIGN(const Image img, renderer.preview(card, p, r.preview));
      SDC_TRY_ASSIGN(auto bytes, encode_png(img.view(), PngOptions{.dpi = r.dpi}));
      times.encode_ns += ns_since(t0);
      SDC_TRY(sink(std::string(to_string(p.side)) + ".png", std::move(bytes)));
    }
  if (r.cmyk_tiff && !sides.empty()) {
    auto t0 = detail::thread_cpu_ns();
    ws.pages.resize(planes.size());
    std::vector<std::string> names;
    for (std::size_t i = 0; i < planes.size(); ++i) {
      const Planes& p = planes[i];
      detail::SeparationMemo* memo = ws.use_memo ? &ws.memo[p.side == Side::back ? 1 : 0] : nullptr;
      SDC_TRY(detail::separate_into(p, transform, {.max_total_coverage = r.cmyk.tac}, ws.pages[i], memo));
      names.emplace_back(to_string(p.side));
    }
    times.separate_ns += ns_since(t0);
    CmykTiffOptions o{.dpi = r.dpi, .icc_profile = transform.output_profile(), .compression = r.cmyk.compression};
    if (r.cmyk.per_side) {
      for (std::size_t i = 0; i < planes.size(); ++i) {
        t0 = detail::thread_cpu_ns();
        const ImageView v[] = {ws.pages[i].view()};
        o.page_names = {names[i]};
        auto bytes = ws.take_bytes();
        SDC_TRY(detail::encode_cmyk_tiff_into(v, o, bytes));
        times.encode_ns += ns_since(t0);
        SDC_TRY(sink(names[i] + ".tif", std::move(bytes)));
      }
    } else {
      t0 = detail::thread_cpu_ns();
      std::vector<ImageView> views;
      for (std::size_t i = 0; i < planes.size(); ++i) views.push_back(ws.pages[i].view());
      o.page_names = names;
      auto bytes = ws.take_bytes();
      SDC_TRY(detail::encode_cmyk_tiff_into(views, o, bytes));
      times.encode_ns += ns_since(t0);
      SDC_TRY(sink("card.tif", std::move(bytes)));
    }
    result.transform = transform;
  }
  if (r.panels && !sides.empty()) {
    std::vector<Planes> at_printer;  // at the printer's own resolution
    const bool reuse = printer.dpi.v == r.dpi.v;
    if (!reuse) {
      const auto t0 = detail::thread_cpu_ns();
      for (Side s : sides) {
        SDC_TRY_ASSIGN(auto p, renderer.render(card, s, RenderOptions{printer.dpi}));
        at_printer.push_back(std::move(p));
      }
      times.render_ns += ns_since(t0);
    }
    const auto t0 = detail::thread_cpu_ns();
    SDC_TRY_ASSIGN(EncodedPanelSet set,
                   encode_panels(reuse ? planes : std::span<const Planes>(at_printer), printer, r.panel.options));
    times.encode_ns += ns_since(t0);
    for (auto& f : set.files) SDC_TRY(sink("panels/" + f.name, std::move(f.bytes)));
    result.warnings.insert(result.warnings.end(), set.warnings.begin(), set.warnings.end());
  }
  if (r.pdf && !sides.empty()) {
    const auto t0 = detail::thread_cpu_ns();
    PdfProofOptions o = r.pdf_options;
    o.title = proof_title(card, o);
    if (o.caption_font.empty()) o.caption_font = res.font("NotoSans-Regular.ttf");
    SDC_TRY_ASSIGN(auto bytes, encode_pdf_proof(card, o));
    times.encode_ns += ns_since(t0);
    SDC_TRY(sink("proof.pdf", std::move(bytes)));
  }
  if (r.seal_text && !card.seal_text().empty()) {
    const std::string text = card.seal_text() + "\n";
    SDC_TRY(sink("seal.txt", std::vector<std::uint8_t>(text.begin(), text.end())));
  }
  return {};
}

// Nothing may throw across the public API (a bad_alloc while collecting bytes, for instance).
template <class F>
Result<ExportResult> guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory while exporting the card.",
                 "export fewer formats at once, or at a lower dpi.");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("exporting the card failed: ") + e.what() + ".", "report this bug.");
  }
}

}  // namespace

namespace detail {

Result<ColorTransform> transform_for(const CmykExport& c, const Resources& res) {
  if (c.transform) {
    if (c.transform->empty())
      return bad_request("the CMYK export was given an empty colour transform.",
                         "build it with ColorTransform::create, or leave CmykExport::transform unset.");
    return *c.transform;
  }
  return ColorTransform::create(
      {.output_profile = c.profile.empty() && c.profile_bytes.empty() ? res.cmyk_profile : c.profile,
       .output_profile_bytes = c.profile_bytes,
       .intent = c.intent,
       .black_point_compensation = c.black_point_compensation});
}

Result<PrinterProfile> printer_for(const PanelExport& p, const Resources& res) {
  if (p.profile) return *p.profile;
  if (!p.printer_json.empty())
    return parse_printer_profile(p.printer_json, p.printer.empty() ? std::string("printer.json") : p.printer + ".json");
  if (p.printer.empty())
    return bad_request("no printer profile for the panel set.",
                       "name a printer (PanelExport::printer) or pass its profile.");
  return find_printer_profile(p.printer, res);
}

Result<ExportRequest> resolve_request(ExportRequest r, const Resources& res) {
  if (r.cmyk_tiff) {
    SDC_TRY_ASSIGN(r.cmyk.transform, transform_for(r.cmyk, res));
  }
  if (r.panels) {
    SDC_TRY_ASSIGN(r.panel.profile, printer_for(r.panel, res));
  }
  if (r.pdf && r.pdf_options.caption_font.empty()) r.pdf_options.caption_font = res.font("NotoSans-Regular.ttf");
  return r;
}

Result<ExportResult> export_card_with(const Card& card, const Renderer& renderer, const ExportRequest& request,
                                      ExportWorkspace& ws, const std::filesystem::path* dir) {
  ws.times = {};
  return guarded([&]() -> Result<ExportResult> {
    ExportResult result;
    if (!dir) {
      const Sink keep = [&](std::string name, std::vector<std::uint8_t> bytes) -> Status {
        result.outputs.push_back({std::move(name), std::move(bytes), {}});
        return {};
      };
      SDC_TRY(run_export(card, renderer, request, result, keep, ws));
      return result;
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec))
      return Error(Errc::io, "the output folder does not exist.", "create it first, or choose another folder.",
                   Where{.file = dir->string()});
    // One card's files appear together or not at all, and never mixed with another card's: the
    // folder is locked against other exports, every file is staged, and only when all are written
    // are they renamed into place (hostile inputs 16 and 17).
    SDC_TRY_ASSIGN(const auto lock, detail::FolderLock::acquire(*dir));
    detail::StagedFiles staged;
    const Sink write = [&](std::string name, std::vector<std::uint8_t> bytes) -> Status {
      const auto t0 = detail::thread_cpu_ns();
      const std::filesystem::path path = *dir / std::filesystem::path(name);
      if (path.parent_path() != *dir) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec)
          return Error(Errc::io, "cannot create the folder " + path.parent_path().string() + ": " + ec.message() + ".",
                       "choose a folder you can write to.", Where{.file = path.parent_path().string()});
      }
      SDC_TRY(staged.stage(path, bytes));
      ws.give_back(std::move(bytes));
      result.outputs.push_back({std::move(name), {}, path});
      ws.times.write_ns += ns_since(t0);
      return {};
    };
    SDC_TRY(run_export(card, renderer, request, result, write, ws));
    SDC_TRY(staged.commit());
    return result;
  });
}

}  // namespace detail

Result<ExportResult> export_card(const Card& card, const Renderer& renderer, const ExportRequest& request) {
  detail::ExportWorkspace ws;
  return detail::export_card_with(card, renderer, request, ws);
}

Result<ExportResult> export_card_to(const Card& card, const Renderer& renderer, const ExportRequest& request,
                                    const std::filesystem::path& dir) {
  detail::ExportWorkspace ws;
  return detail::export_card_with(card, renderer, request, ws, &dir);
}

}  // namespace sdc
