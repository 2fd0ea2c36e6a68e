// sdc seal: a record (+ its printed photo) signed into the seal text that the card's QR code holds.
#include <sdc/image.hpp>
#include <sdc/photo.hpp>
#include <sdc/record.hpp>
#include <sdc/seal.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct SealArgs {
  std::string record, key, cert, passphrase_file, photo, crop, issuer = "XXA", pattern_id, prefix = "SDC1:";
  long index = 1;
};

int run_seal(const SealArgs& a) {
  const std::string cmd = "seal";
  auto rec = load_record_at(a.record, a.index);
  if (!rec) return fail(cmd, rec.error());
  const Record& r = *rec;
  std::string pass;
  if (!a.passphrase_file.empty()) {
    auto pf = read_passphrase(a.passphrase_file);
    if (!pf) return fail(cmd, pf.error());
    pass = std::move(*pf);
  }
  auto signer = load_signer(a.key, a.cert, pass);
  std::fill(pass.begin(), pass.end(), '\0');
  if (!signer) return fail(cmd, signer.error());
  for (const auto& w : (*signer)->warnings()) std::fprintf(stderr, "sdc %s: warning: %s\n", cmd.c_str(), w.c_str());

  // The same record-to-payload mapping as compose() (docs/seal.md, "Payload").
  SealPayload p = seal_payload_from_record(r, a.issuer, a.pattern_id);
  if (!a.photo.empty()) {
    auto img = load_image(a.photo);
    if (!img) return fail(cmd, img.error());
    Image printed = std::move(*img);
    if (!a.crop.empty()) {
      // --crop WxH: the portrait exactly as compose crops it for a photo box of W x H device pixels.
      int w = 0, h = 0;
      char x = 0;
      if (std::sscanf(a.crop.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X'))
        return fail(cmd, Error(Errc::invalid_argument, "--crop '" + a.crop + "' is not WxH",
                               "give the photo box in device pixels, e.g. --crop 413x531 (35 x 45 mm at 300 dpi)"));
      auto crop = crop_portrait(printed, w, h);
      if (!crop) return fail(cmd, crop.error());
      printed = std::move(crop->image);
    }
    auto hash = photo_hash(printed.view());
    if (!hash) return fail(cmd, hash.error().in_file(a.photo));
    p.photo_hash = std::move(*hash);
  }
  SealOptions o;
  o.prefix = a.prefix;
  auto seal = make_seal(p, **signer, o);
  if (!seal) return fail(cmd, seal.error().at_record(r.index).in_file(a.record));
  std::printf("%s\n", seal->c_str());
  return ok;
}

const Registrar reg_seal{Command{
    "seal", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<SealArgs>();
      app.description("Sign a record (and its printed photo) into the seal text a card's QR code holds; prints it");
      app.add_option("--record", a->record, "record file (.json, .jsonl, .csv)")->required();
      app.add_option("--index", a->index, "which record of the file, 1-based (default 1)");
      app.add_option("--key", a->key, "private key (PEM or DER, PKCS#8)")->required();
      app.add_option("--cert", a->cert, "the key's signer certificate (PEM or DER)")->required();
      app.add_option("--passphrase-file", a->passphrase_file, "file whose first line is the key's passphrase");
      app.add_option("--photo", a->photo, "the portrait as printed (its perceptual hash is sealed)");
      app.add_option("--crop", a->crop, "crop --photo like compose does for a WxH px photo box before hashing");
      app.add_option("--issuer", a->issuer, "issuer code (default XXA, the specimen issuer)");
      app.add_option("--pattern-id", a->pattern_id, "guilloche pattern id, hex");
      app.add_option("--prefix", a->prefix, "seal prefix (default SDC1:)");
      return [a] { return run_seal(*a); };
    }}};

}  // namespace
}  // namespace sdc::cli
