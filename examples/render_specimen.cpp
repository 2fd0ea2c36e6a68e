// Renders the specimen card through the public API only: load a template and a record, compose
// the card (signed with the specimen key), render both sides at 300 dpi, write PNG previews.
//
//   example_render_specimen <sdc source dir> <output dir>
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>
#include <sdc/text.hpp>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <sdc source dir> <output dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1], out = argv[2];
  auto fail = [](const sdc::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.to_string().c_str());
    return 1;
  };

  auto tmpl = sdc::Template::load(root / "assets/templates/specimen.json");
  if (!tmpl) return fail(tmpl.error());
  auto records = sdc::load_records(root / "assets/records/specimen.json");
  if (!records) return fail(records.error());
  auto composer = sdc::Composer::create(sdc::Resources::at(root));
  if (!composer) return fail(composer.error());

  sdc::Issuer issuer;  // code and name come from the template
  const auto keys = root / "assets/keys/specimen-ed25519";
  auto signer = sdc::load_signer(keys / "key.pem", keys / "cert.pem");
  if (!signer) return fail(signer.error());
  issuer.signer = *signer;

  auto card = composer->compose(*tmpl, records->front(), issuer);
  if (!card) return fail(card.error());
  for (const auto& w : card->warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());

  auto renderer = sdc::Renderer::create(composer->fonts());
  if (!renderer) return fail(renderer.error());
  std::filesystem::create_directories(out);
  for (sdc::Side side : {sdc::Side::front, sdc::Side::back}) {
    auto planes = renderer->render(*card, side, {.dpi = sdc::Dpi{300}});
    if (!planes) return fail(planes.error());
    const sdc::Image preview = sdc::composite(*planes);
    const auto path = out / (std::string(sdc::to_string(side)) + ".png");
    if (auto st = sdc::write_png(preview.view(), path, {.dpi = sdc::Dpi{300}}); !st) return fail(st.error());
    std::printf("%s: %d x %d px\n", path.string().c_str(), preview.width(), preview.height());
  }
  std::printf("seal: %zu characters\n", card->seal_text().size());
  return 0;
}
