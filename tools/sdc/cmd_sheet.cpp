// sdc sheet: many records -> N-up press sheets (CMYK TIFF with crop marks, written in strips).
#include <sdc/pipeline.hpp>

#include <cstdio>
#include <filesystem>

#include "cli.hpp"
#include "issuer_args.hpp"
#include "print_formats.hpp"

namespace sdc::cli {
namespace {

struct SheetArgs {
  std::string tmpl, records, layout = "3x8", out, sheet = "SRA3", side = "front", compression = "deflate";
  PhotoPaths photo_paths;
  IssuerArgs issuer;
  int dpi = 300;
  double gutter = -1;
  ColorArgs color;
};

int run_sheet(const SheetArgs& a) {
  const std::string cmd = "sheet";
  SheetOptions so;
  if (std::sscanf(a.layout.c_str(), "%dx%d", &so.columns, &so.rows) != 2 || so.columns < 1 || so.rows < 1)
    return fail(cmd, Error(Errc::invalid_argument, "layout \"" + a.layout + "\" is not COLUMNSxROWS.",
                           "write it as 3x8 (3 columns, 8 rows)."));
  if (!parse_sheet_size(a.sheet, so.sheet))
    return fail(cmd, Error(Errc::invalid_argument, "unknown sheet size \"" + a.sheet + "\".", "use SRA3, A3 or A4."));
  so.dpi = Dpi{a.dpi};
  so.gutter = Mm{a.gutter};
  so.back_side = a.side == "back";
  so.tiff.compression = a.compression == "none" ? TiffCompression::none : TiffCompression::deflate;

  auto tmpl = Template::load(a.tmpl);
  if (!tmpl) return fail(cmd, tmpl.error());
  const Side side = a.side == "back" ? Side::back : Side::front;
  if (!tmpl->has_side(side))
    return fail(cmd, Error(Errc::invalid_argument, "the template has no " + a.side + " side.",
                           "choose --side front or back as the template defines.", Where{.file = a.tmpl}));
  auto records = load_records(a.records);
  if (!records) return fail(cmd, records.error());
  auto issuer = load_issuer_args(a.issuer, tmpl->has_seal(), cmd);
  if (!issuer) return fail(cmd, issuer.error());
  PipelineOptions po = pipeline_options(so.dpi, a.photo_paths);
  po.request.cmyk_tiff = true;
  po.request.cmyk.profile = a.color.profile;
  po.request.cmyk.intent = a.color.intent == "perceptual" ? Intent::perceptual : Intent::relative_colorimetric;
  po.request.cmyk.black_point_compensation = !a.color.no_bpc;
  po.request.cmyk.tac = a.color.tac;
  const auto geometry = tmpl->geometry();
  auto pipeline = Pipeline::create(std::move(*tmpl), std::move(*issuer), std::move(po));
  if (!pipeline) return fail(cmd, pipeline.error());
  const ColorTransform& transform = *pipeline->request().cmyk.transform;
  report_transform(cmd, transform, a.color.tac);
  so.tiff.icc_profile = transform.output_profile();
  for (const auto& w : pipeline->warnings()) std::fprintf(stderr, "sdc sheet: warning: %s\n", w.c_str());

  auto source = [&](std::size_t i) -> Result<Image> {
    SDC_TRY_ASSIGN(auto card, pipeline->compose((*records)[i]));
    for (const auto& w : card.warnings())
      std::fprintf(stderr, "sdc sheet: record %zu: warning: %s\n", i + 1, w.c_str());
    return pipeline->separate(card, side);
  };
  auto info = write_sheet(records->size(), geometry, source, a.out, so);
  if (!info) return fail(cmd, info.error());
  std::fprintf(stderr, "sdc sheet: %zu cards on %d sheet(s) of %.0f x %.0f mm (%d x %d px at %d dpi), gutter %.2f mm\n",
               records->size(), info->pages, info->sheet.w.v, info->sheet.h.v, info->width_px, info->height_px, a.dpi,
               info->gutter.v);
  std::printf("%s\n", a.out.c_str());
  return ok;
}

const Registrar reg_sheet{
    {"sheet", [](CLI::App& app) -> std::function<int()> {
       app.description("Impose many cards N-up on press sheets as a CMYK TIFF with crop marks");
       auto a = std::make_shared<SheetArgs>();
       app.add_option("--template,-t", a->tmpl, "Template JSON file")->required()->check(CLI::ExistingFile);
       app.add_option("--records,-r", a->records, "Record file (.json, .jsonl, .csv)")
           ->required()
           ->check(CLI::ExistingFile);
       app.add_option("--layout", a->layout, "Columns x rows per sheet, e.g. 3x8");
       app.add_option("--sheet", a->sheet, "Sheet size: SRA3, A3 or A4 (turned to landscape if needed)");
       app.add_option("--dpi", a->dpi, "Resolution")->check(CLI::Range(72, 1200));
       add_photo_path_options(app, a->photo_paths);
       app.add_option("--side", a->side, "front or back (back mirrors the columns for work-and-turn)")
           ->check(CLI::IsMember({"front", "back"}));
       app.add_option("--gutter", a->gutter, "Space between cards in mm (default: 2 x bleed if it fits)");
       app.add_option("--compression", a->compression, "deflate or none")->check(CLI::IsMember({"deflate", "none"}));
       add_color_options(app, a->color);
       app.add_option("--issuer", a->issuer.issuer,
                      "Issuer profile (JSON: code, name, key, cert, pattern seed file); see docs/template.md");
       app.add_option("--key", a->issuer.key, "Seal signing key (PEM); default: the specimen key in assets/keys");
       app.add_option("--cert", a->issuer.cert, "Certificate of the signing key (PEM)");
       app.add_option("--passphrase-file", a->issuer.passphrase_file, "File holding the key's passphrase");
       app.add_option("--out,-o", a->out, "Output TIFF file (one page per sheet)")->required();
       return [a] { return run_sheet(*a); };
     }}};

}  // namespace
}  // namespace sdc::cli
