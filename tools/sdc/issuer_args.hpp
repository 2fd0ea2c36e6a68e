// --issuer FILE, or --key/--cert (and --passphrase-file), shared by render and sheet.
#pragma once

#include <sdc/compose.hpp>

#include <string>

namespace sdc::cli {

struct IssuerArgs {
  std::string issuer, key, cert, passphrase_file;
};

/// The issuer: the profile given with --issuer; else the template's code and seed with the key
/// given by --key/--cert; else, when `needs_signer`, the SPECIMEN Ed25519 key shipped in
/// assets/keys (with a note on stderr). --issuer and --key/--cert exclude each other.
Result<Issuer> load_issuer_args(const IssuerArgs& a, bool needs_signer, const std::string& cmd);

}  // namespace sdc::cli
