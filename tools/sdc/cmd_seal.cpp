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
  auto records = load_records(a.record);
  if (!records) return fail(cmd, records.error());
  if (a.index < 1 || a.index > static_cast<long>(records->size()))
    return fail(cmd, Error(Errc::invalid_argument,
                           "record " + std::to_string(a.index) + " does not exist (the file has " +
                               std::to_string(records->size()) + ")",
                           "give --index 1.." + std::to_string(records->size()), Where{.file = a.record}));
  const Record& r = (*records)[static_cast<std::size_t>(a.index - 1)];
  std::string pass;
  if (!a.passphrase_file.empty()) {
    std::ifstream in(a.passphrase_file, std::ios::binary);
    if (!in)
      return fail(cmd, Error(Errc::io, "cannot read the passphrase file", "check the path and permissions",
                             Where{.file = a.passphrase_file}));
    pass.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    while (!pass.empty() && (pass.back() == '\n' || pass.back() == '\r')) pass.pop_back();
  }
  auto signer = load_signer(a.key, a.cert, pass);
  std::fill(pass.begin(), pass.end(), '\0');
  if (!signer) return fail(cmd, signer.error());

  // The same record-to-payload mapping as compose() (docs/seal.md, "Payload").
  SealPayload p;
  p.issuer = a.issuer;
  p.office = r.get("issuing_office").value_or("");
  p.document_number = r.get("document_number").value_or("");
  p.registration_number = r.get("registration_number").value_or("");
  p.docket_number = r.get("docket_number").value_or("");
  p.surname = r.get("surname").value_or("");
  p.given_names = r.get("given_names").value_or("");
  p.surname_latin = r.get("surname_latin").value_or("");
  p.given_names_latin = r.get("given_names_latin").value_or("");
  p.date_of_birth = r.get("date_of_birth").value_or("");
  p.sex = r.get("sex").value_or("");
  p.nationality = r.get("nationality").value_or("");
  p.issue_date = r.get("issue_date").value_or("");
  p.expiry_date = r.get("expiry_date").value_or("");
  p.card_variant = r.get("card_variant").value_or("");
  p.pattern_id = a.pattern_id;
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

const Registrar reg{Command{
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
