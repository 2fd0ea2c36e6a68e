// A vendor's program: only <sdc/...> headers and find_package(sdc). Beyond the unit arithmetic it
// composes, seals and renders the specimen card from the installed data, so that a static sdc
// must bring every library it depends on (cairo, HarfBuzz, OpenSSL, libcbor, qrencode, ...).
//
//   consumer <installed data dir, e.g. PREFIX/share/sdc>
#include <sdc/sdc.hpp>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <installed data dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path data = argv[1];
  auto fail = [](const char* what, const sdc::Error& e) {
    std::fprintf(stderr, "consumer: %s: %s\n", what, e.to_string().c_str());
    return 1;
  };

  const auto px = sdc::to_px(sdc::card_size(sdc::CardFormat::id1).w, sdc::Dpi{300});
  if (px.v != 1011) return 1;
  sdc::Image img(4, 3, sdc::PixelFormat::rgb8);
  if (img.view().width() != 4) return 1;

  auto tmpl = sdc::Template::load(data / "assets/templates/specimen.json");
  if (!tmpl) return fail("template", tmpl.error());
  auto records = sdc::load_records(data / "assets/records/specimen.json");
  if (!records) return fail("records", records.error());
  auto composer = sdc::Composer::create(sdc::Resources::at(data));
  if (!composer) return fail("composer", composer.error());
  sdc::Issuer issuer;
  const auto keys = data / "assets/keys/specimen-ed25519";
  auto signer = sdc::load_signer(keys / "key.pem", keys / "cert.pem");
  if (!signer) return fail("signer", signer.error());
  issuer.signer = *signer;
  auto card = composer->compose(*tmpl, records->front(), issuer);
  if (!card) return fail("compose", card.error());
  if (card->seal_text().empty()) return 1;
  auto renderer = sdc::Renderer::create(composer->fonts());
  if (!renderer) return fail("renderer", renderer.error());
  auto planes = renderer->render(*card, sdc::Side::front, {.dpi = sdc::Dpi{300}});
  if (!planes) return fail("render", planes.error());
  const sdc::Image preview = sdc::composite(*planes);
  if (preview.width() < px.v) return 1;
  std::printf("sdc consumer ok: ID-1 is %d px wide at 300 dpi; front rendered %d x %d px, seal %zu chars\n", px.v,
              preview.width(), preview.height(), card->seal_text().size());
  return 0;
}
