// sdc verify: reads the QR code(s) of a card image (a render, a scan, a phone photo), verifies each
// seal against a trust store, and checks that the portrait printed on the card is the one the seal
// binds (when the caller says where the photo is). Prints JSON; exit 0 only when a valid seal was found.
#include <sdc/image.hpp>
#include <sdc/qr.hpp>
#include <sdc/seal.hpp>

#include <iostream>

#include "cli.hpp"
#include "seal_json.hpp"

namespace sdc::cli {
namespace {

struct Args {
  std::string image, trust, prefix = "SDC1:", at, photo;
};

int run(const Args& a) {
  const std::string cmd = "verify";
  auto when = check_time(a.at);
  if (!when) return fail(cmd, when.error());
  const std::int64_t now = *when;
  auto trust = load_trust(a.trust);
  if (!trust) return fail(cmd, trust.error());
  auto img = load_image(a.image);
  if (!img) return fail(cmd, img.error());
  Image portrait;
  if (!a.photo.empty()) {
    auto p = load_image(a.photo);
    if (!p) return fail(cmd, p.error());
    portrait = std::move(*p);
  }

  const auto codes = decode_qr_codes(img->view());
  nlohmann::ordered_json out;
  out["image"] = a.image;
  out["codes_found"] = codes.size();
  out["seals"] = nlohmann::ordered_json::array();
  bool any_valid = false, photo_mismatch = false;
  VerifyOptions o;
  o.prefix = a.prefix;
  for (const auto& c : codes) {
    if (c.text.rfind(a.prefix, 0) != 0) continue;  // another code on the card, not a seal
    const SealVerification v = verify_seal(c.text, *trust, now, o);
    auto j = verification_json(v);
    if (v.valid() && !portrait.empty() && v.payload && !v.payload->photo_hash.empty()) {
      auto h = photo_hash(portrait.view());
      if (!h) return fail(cmd, h.error());
      const int d = photo_hash_distance(*h, v.payload->photo_hash);
      j["photo_distance"] = d;
      j["photo_matches"] = d >= 0 && d <= photo_hash_threshold;
      photo_mismatch = photo_mismatch || !(d >= 0 && d <= photo_hash_threshold);
    }
    any_valid = any_valid || v.valid();
    out["seals"].push_back(std::move(j));
  }
  out["valid"] = any_valid && !photo_mismatch;
  if (codes.empty())
    out["message"] = "no QR code found in the image";
  else if (out["seals"].empty())
    out["message"] = "QR codes found, but none starts with " + a.prefix;
  out["checked_at"] = now;
  std::cout << out.dump(2) << "\n";
  return any_valid && !photo_mismatch ? ok : check_failed;
}

const Registrar reg{
    Command{"verify", [](CLI::App& app) -> std::function<int()> {
              auto a = std::make_shared<Args>();
              app.description(
                  "Read the seal QR code from a card image and verify it; prints JSON; exit 0 valid, 1 "
                  "invalid or not found, 2 bad usage/input");
              app.add_option("--image,-i", a->image, "Card image: PNG, JPEG or TIFF (render or scan)")->required();
              app.add_option("--trust", a->trust, "Folder of trusted signer certificates or a JSON list")->required();
              app.add_option("--photo", a->photo,
                             "The portrait as printed (cropped from the card), compared with the seal's "
                             "photo hash");
              app.add_option("--prefix", a->prefix, "Seal prefix (default SDC1:)");
              app.add_option("--at", a->at, "Check at this time: Unix seconds or YYYY-MM-DD");
              return [a] { return run(*a); };
            }}};

}  // namespace
}  // namespace sdc::cli
