// sdc verify-seal: reads a seal text on stdin, verifies it against a trust store, prints JSON.
#include <sdc/seal.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>

#include "cli.hpp"
#include "seal_json.hpp"

namespace sdc::cli {
namespace {

struct VerifyArgs {
  std::string trust, prefix = "SDC1:", at, format = "sdc";
};

int run_verify(const VerifyArgs& a) {
  const std::string cmd = "verify-seal";
  auto when = check_time(a.at);
  if (!when) return fail(cmd, when.error());
  const std::int64_t now = *when;
  auto trust = load_trust(a.trust);
  if (!trust) return fail(cmd, trust.error());
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty())
    return fail(cmd, Error(Errc::invalid_argument, "no seal text on standard input",
                           "pipe the text read from the QR code, e.g. echo 'SDC1:...' | sdc verify-seal --trust DIR"));
  VerifyOptions o;
  o.prefix = a.prefix;
  o.payload_format = a.format == "cwt"      ? PayloadFormat::cwt
                     : a.format == "opaque" ? PayloadFormat::opaque
                                            : PayloadFormat::sdc_card;
  const SealVerification v = verify_seal(text, *trust, now, o);

  nlohmann::ordered_json j = verification_json(v);
  j["checked_at"] = now;
  std::cout << j.dump(2) << "\n";
  return v.valid() ? ok : check_failed;
}

const Registrar reg{
    Command{"verify-seal", [](CLI::App& app) -> std::function<int()> {
              auto a = std::make_shared<VerifyArgs>();
              app.description(
                  "Verify a seal read from standard input; prints JSON; exit 0 valid, 1 invalid, 2 bad usage/input");
              app.add_option("--trust", a->trust,
                             "folder of trusted signer certificates (*.pem, revoked.json) or a JSON trust list")
                  ->required();
              app.add_option("--prefix", a->prefix, "expected prefix (default SDC1:, e.g. HC1: for EU DCC codes)");
              app.add_option("--at", a->at,
                             "check at this time instead of now: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
              app.add_option("--payload", a->format, "payload format: sdc (default), cwt or opaque")
                  ->check(CLI::IsMember({"sdc", "cwt", "opaque"}));
              return [a] { return run_verify(*a); };
            }}};

}  // namespace
}  // namespace sdc::cli
