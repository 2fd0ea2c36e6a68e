#include "issuer_args.hpp"

#include <sdc/seal.hpp>

#include <cstdio>
#include <filesystem>

#include "cli.hpp"

namespace sdc::cli {
namespace {

void print_signer_warnings(const Issuer& issuer, const std::string& cmd) {
  if (!issuer.signer) return;
  for (const auto& w : issuer.signer->warnings()) std::fprintf(stderr, "sdc %s: warning: %s\n", cmd.c_str(), w.c_str());
}

}  // namespace

Result<Issuer> load_issuer_args(const IssuerArgs& a, bool needs_signer, const std::string& cmd) {
  if (!a.issuer.empty() && (!a.key.empty() || !a.cert.empty()))
    return Error(Errc::invalid_argument, "--issuer and --key/--cert exclude each other.",
                 "the issuer profile names its key and certificate: give one or the other.");
  if (a.key.empty() != a.cert.empty())
    return Error(Errc::invalid_argument, "--key and --cert go together.",
                 "give both, or neither for the specimen key.");
  std::string pass;
  if (!a.passphrase_file.empty()) {
    SDC_TRY_ASSIGN(pass, read_passphrase(a.passphrase_file));
  }
  Issuer issuer;
  if (!a.issuer.empty()) {
    SDC_TRY_ASSIGN(issuer, load_issuer(a.issuer, pass));
    print_signer_warnings(issuer, cmd);
  } else if (!a.key.empty()) {
    SDC_TRY_ASSIGN(issuer.signer, load_signer(a.key, a.cert, pass));
    print_signer_warnings(issuer, cmd);
  } else if (needs_signer) {
    const auto dir = resources().data_dir / "assets" / "keys" / "specimen-ed25519";
    std::fprintf(stderr,
                 "sdc %s: note: signing with the SPECIMEN key in %s (published on purpose; never for real cards)\n",
                 cmd.c_str(), dir.string().c_str());
    SDC_TRY_ASSIGN(issuer.signer, load_signer(dir / "key.pem", dir / "cert.pem"));
  }
  return issuer;
}

}  // namespace sdc::cli
