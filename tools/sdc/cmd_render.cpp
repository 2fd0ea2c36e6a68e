// sdc render: template + record (+ photo) -> PNG previews of the card's sides.
#include <sdc/pipeline.hpp>

#include <cstdio>
#include <filesystem>

#include "cli.hpp"
#include "issuer_args.hpp"
#include "print_formats.hpp"

namespace sdc::cli {
namespace {

struct RenderArgs {
  std::string tmpl, record, photo, out, side = "both";
  PhotoPaths photo_paths;
  IssuerArgs issuer;
  int dpi = 300;
  long index = 1;
  bool overlays = false, show_uv = false;
  PrintFormats print;  ///< --format and the print options (print_formats.hpp)
};

int run_render(const RenderArgs& a) {
  const std::string cmd = "render";
  auto tmpl = Template::load(a.tmpl);
  if (!tmpl) return fail(cmd, tmpl.error());
  auto rec = load_record_at(a.record, a.index);
  if (!rec) return fail(cmd, rec.error());
  Image photo;
  if (!a.photo.empty()) {
    auto p = load_image(a.photo);
    if (!p) return fail(cmd, p.error());
    photo = std::move(*p);
  }
  std::vector<Side> sides;
  if (a.side == "front" || a.side == "both") sides.push_back(Side::front);
  if (a.side == "back" || a.side == "both") sides.push_back(Side::back);
  for (Side s : sides)
    if (!tmpl->has_side(s) && a.side != "both")
      return fail(cmd, Error(Errc::invalid_argument, std::string("the template has no ") + to_string(s) + " side.",
                             "use --side front or back as the template defines.", Where{.file = a.tmpl}));
  auto issuer = load_issuer_args(a.issuer, tmpl->has_seal(), cmd);
  if (!issuer) return fail(cmd, issuer.error());
  auto request = make_export_request(a.print, a.dpi);
  if (!request) return fail(cmd, request.error());
  if (a.side != "both") request->sides = sides;  // both: every side the card has
  request->preview = PreviewOptions{.show_uv = a.show_uv, .overlays = a.overlays};
  request->seal_text = true;
  auto pipeline = Pipeline::create(std::move(*tmpl), std::move(*issuer),
                                   pipeline_options(Dpi{a.dpi}, a.photo_paths, std::move(*request)));
  if (!pipeline) return fail(cmd, pipeline.error());
  for (const auto& w : pipeline->warnings())  // security features the dpi cannot reproduce
    std::fprintf(stderr, "sdc render: warning: %s\n", w.c_str());
  auto card = pipeline->compose(*rec, photo.empty() ? nullptr : &photo);
  if (!card) return fail(cmd, card.error());
  for (const auto& w : card->warnings()) std::fprintf(stderr, "sdc render: warning: %s\n", w.c_str());

  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec || !std::filesystem::is_directory(a.out))
    return fail(cmd, Error(Errc::io, "cannot create the output folder: " + ec.message() + ".",
                           "choose a folder you can write to.", Where{.file = a.out}));
  auto exported = pipeline->export_card_to(*card, a.out);
  if (!exported) return fail(cmd, exported.error());
  report_export(cmd, *exported, a.print.color);
  return ok;
}

const Registrar reg_render{
    {"render", [](CLI::App& app) -> std::function<int()> {
       app.description("Render a card from a template, a record and a photo to PNG previews");
       auto a = std::make_shared<RenderArgs>();
       app.add_option("--template,-t", a->tmpl, "Template JSON file")->required()->check(CLI::ExistingFile);
       app.add_option("--record,-r", a->record, "Record file (.json, .jsonl, .csv)")
           ->required()
           ->check(CLI::ExistingFile);
       app.add_option("--index", a->index, "Which record of the file (1-based)")->check(CLI::PositiveNumber);
       app.add_option("--photo,-p", a->photo, "Photo file, overriding the record's photo field");
       add_photo_path_options(app, a->photo_paths);
       app.add_option("--dpi", a->dpi, "Resolution")->check(CLI::Range(72, 2400));
       app.add_option("--side", a->side, "front, back or both")->check(CLI::IsMember({"front", "back", "both"}));
       app.add_flag("--overlays", a->overlays, "Draw bleed, trim, safe zone and element boxes");
       app.add_flag("--show-uv", a->show_uv, "Show UV ink as under a UV lamp");
       app.add_option("--issuer", a->issuer.issuer,
                      "Issuer profile (JSON: code, name, key, cert, pattern seed file); see docs/template.md");
       app.add_option("--key", a->issuer.key, "Issuer signing key (PEM/DER, PKCS#8) for the seal");
       app.add_option("--cert", a->issuer.cert, "Issuer certificate matching --key");
       app.add_option("--passphrase-file", a->issuer.passphrase_file, "File holding the key's passphrase");
       add_print_options(app, a->print);
       app.add_option("--out,-o", a->out, "Output folder (front.png, back.png)")->required();
       return [a] { return run_render(*a); };
     }}};

}  // namespace
}  // namespace sdc::cli
