// A vendor's own Signer: the card's seal signed by "a hardware security module".
//
// sdc signs through the small `sdc::Signer` interface, so a card printer vendor can keep the issuer
// key in an HSM or smart card (PKCS#11) and still use sdc's compose and seal. This example's
// "module" is a stand-in that holds the specimen key in another object, counts and logs each
// signature request (never the key), and enforces a per-session signing quota, as modules do.
// The seal it produces verifies with the issuer's certificate like any other.
//
//   example_custom_signer <sdc source dir> <output dir>
#include <sdc/compose.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

class HsmSigner final : public sdc::Signer {
 public:
  HsmSigner(std::shared_ptr<const sdc::Signer> slot, int quota) : slot_(std::move(slot)), quota_(quota) {}
  sdc::SignatureAlg algorithm() const noexcept override { return slot_->algorithm(); }
  std::vector<std::uint8_t> key_id() const override { return slot_->key_id(); }
  sdc::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> tbs) const override {
    const int n = ++calls_;
    if (n > quota_)
      return sdc::Error(
          sdc::Errc::bad_key,
          "the signing module refused: session quota of " + std::to_string(quota_) + " signatures used up.",
          "open a new session with the module.");
    std::printf("hsm: signature request %d over %zu bytes\n", n, tbs.size());
    // A real module would be called here (C_SignInit/C_Sign over PKCS#11). For ES256 it must return
    // the 64-byte r||s form COSE requires; sdc rejects DER with a clear error.
    return slot_->sign(tbs);
  }
  int calls() const { return calls_; }

 private:
  std::shared_ptr<const sdc::Signer> slot_;
  int quota_;
  mutable std::atomic<int> calls_{0};
};

}  // namespace

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
  const auto keys = root / "assets/keys/specimen-es256";
  auto slot = sdc::load_signer(keys / "key.pem", keys / "cert.pem");
  if (!slot) return fail(slot.error());
  auto hsm = std::make_shared<HsmSigner>(*slot, 1);

  auto tmpl = sdc::Template::load(root / "assets/templates/specimen.json");
  if (!tmpl) return fail(tmpl.error());
  auto records = sdc::load_records(root / "assets/records/specimen.csv");
  if (!records) return fail(records.error());
  auto composer = sdc::Composer::create(sdc::Resources::at(root));
  if (!composer) return fail(composer.error());

  sdc::Issuer issuer;
  issuer.signer = hsm;
  auto card = composer->compose(*tmpl, (*records)[0], issuer);
  if (!card) return fail(card.error());

  // Verify with the issuer's certificate, as an officer's reader would.
  std::ifstream cert_file(keys / "cert.pem", std::ios::binary);
  const std::vector<std::uint8_t> cert((std::istreambuf_iterator<char>(cert_file)), std::istreambuf_iterator<char>());
  sdc::TrustStore trust;
  if (auto st = trust.add_certificate(cert); !st) return fail(st.error());
  const auto v = sdc::verify_seal(card->seal_text(), trust, 1793577600 /* 2026-11-02 */);
  std::printf("seal signed by the module: %s (%s)\n", v.valid() ? "valid" : "INVALID", v.message.c_str());
  if (!v.valid() || hsm->calls() != 1) return 1;

  // The module's quota is used up: the next card is refused with the module's own error.
  auto second = composer->compose(*tmpl, (*records)[1], issuer);
  if (second) {
    std::fprintf(stderr, "expected the module to refuse a second signature\n");
    return 1;
  }
  std::printf("second card refused as expected: %s\n", second.error().to_string().c_str());
  std::filesystem::create_directories(out);
  std::ofstream(out / "seal.txt") << card->seal_text() << "\n";
  return 0;
}
