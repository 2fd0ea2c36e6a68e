// sdc keygen: a seal signing key (PKCS#8, mode 0600) and its self-signed certificate.
#include <sdc/seal.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct KeygenArgs {
  std::string alg = "es256", out, passphrase_file, subject = "sdc seal signer";
  int days = 1825;
  long long not_before = -1;
  bool force = false;
};

int run_keygen(const KeygenArgs& a) {
  const std::string cmd = "keygen";
  KeygenOptions o;
  if (a.alg == "es256") {
    o.alg = SignatureAlg::es256;
  } else if (a.alg == "ed25519") {
    o.alg = SignatureAlg::ed25519;
  } else {
    return fail(cmd,
                Error(Errc::invalid_argument, "unknown algorithm '" + a.alg + "'", "use --alg es256 or --alg ed25519"));
  }
  o.subject_cn = a.subject;
  o.valid_days = a.days;
  // The certificate starts now unless --not-before fixes it (for reproducible specimen keys).
  o.not_before_unix =
      a.not_before >= 0
          ? a.not_before
          : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  if (!a.passphrase_file.empty()) {
    auto pass = read_passphrase(a.passphrase_file);
    if (!pass) return fail(cmd, pass.error());
    o.passphrase = std::move(*pass);
  }
  auto key = generate_key(o);
  if (!key) return fail(cmd, key.error());
  auto written = write_generated_key(*key, a.out, a.force);
  std::fill(key->key_pem.begin(), key->key_pem.end(), '\0');
  if (!written) return fail(cmd, written.error());
  const std::string kid = to_hex(key->kid);
  // Only public facts are printed: never the key.
  std::printf("wrote %s/key.pem (private, mode 0600%s) and %s/cert.pem\nalgorithm %s, kid %s, valid %d days\n",
              a.out.c_str(), o.passphrase.empty() ? ", not encrypted" : ", encrypted", a.out.c_str(), to_string(o.alg),
              kid.c_str(), a.days);
  return ok;
}

const Registrar reg_keygen{Command{
    "keygen", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<KeygenArgs>();
      app.description(
          "Generate a seal signing key (DIR/key.pem, PKCS#8, mode 0600) and a self-signed certificate (DIR/cert.pem)");
      app.add_option("--alg", a->alg, "es256 (default, randomised signatures) or ed25519 (deterministic)")
          ->check(CLI::IsMember({"es256", "ed25519"}));
      app.add_option("--out", a->out,
                     "output directory (created if needed; a folder that holds key.pem or cert.pem is refused)")
          ->required();
      app.add_flag("--force", a->force, "replace an existing key.pem and cert.pem (the old key is lost)");
      app.add_option("--passphrase-file", a->passphrase_file,
                     "encrypt the key with the passphrase on this file's first line");
      app.add_option("--days", a->days, "certificate validity in days (1..36500)")->check(CLI::Range(1, 36500));
      app.add_option("--subject", a->subject, "certificate subject common name");
      app.add_option("--not-before", a->not_before, "validity start, Unix seconds (default: now)");
      return [a] { return run_keygen(*a); };
    }}};

}  // namespace
}  // namespace sdc::cli
