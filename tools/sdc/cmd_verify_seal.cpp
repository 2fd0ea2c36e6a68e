// sdc verify-seal: reads a seal text on stdin, checks it against a trust store (sdc::Checker),
// prints the report as JSON.
#include <sdc/verify.hpp>

#include <iostream>
#include <iterator>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct VerifyArgs {
  std::string trust, prefix = "SDC1:", at, format = "sdc";
  bool json = true;
};

int run_verify(const VerifyArgs& a) {
  const std::string cmd = "verify-seal";
  CheckerOptions o;
  o.prefix = a.prefix;
  o.payload_format = a.format == "cwt"      ? PayloadFormat::cwt
                     : a.format == "opaque" ? PayloadFormat::opaque
                                            : PayloadFormat::sdc_card;
  auto checker = make_checker(a.trust, a.at, o);
  if (!checker) return fail(cmd, checker.error());
  // A QR code holds at most 4,296 characters: read a little more than that, never all of an
  // endless stream (/dev/zero).
  constexpr std::size_t kMaxSeal = 64 * 1024;
  std::string text(kMaxSeal + 1, '\0');
  std::cin.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(std::cin.gcount()));
  if (text.size() > kMaxSeal)
    return fail(cmd, Error(Errc::limit_exceeded, "the seal text on standard input is longer than 64 KiB.",
                           "pipe the text of one QR code; a QR code holds at most 4,296 characters."));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty())
    return fail(cmd, Error(Errc::invalid_argument, "no seal text on standard input",
                           "pipe the text read from the QR code, e.g. echo 'SDC1:...' | sdc verify-seal --trust DIR"));
  auto report = checker->check_seal(text);
  if (!report) return fail(cmd, report.error(), report.error().code() == Errc::internal ? internal : bad_input);
  std::cout << to_json(*report) << "\n";
  return report->valid() ? ok : check_failed;
}

const Registrar reg_verify_seal{
    Command{"verify-seal", [](CLI::App& app) -> std::function<int()> {
              auto a = std::make_shared<VerifyArgs>();
              app.description(
                  "Verify a seal read from standard input; prints the report as JSON; exit 0 genuine, 1 not, 2 bad "
                  "usage/input");
              app.add_option("--trust", a->trust,
                             "folder of trusted signer certificates (*.pem, revoked.json) or a JSON trust list")
                  ->required();
              app.add_option("--prefix", a->prefix, "expected prefix (default SDC1:, e.g. HC1: for EU DCC codes)");
              app.add_option("--at", a->at,
                             "check at this time instead of now: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
              app.add_option("--payload", a->format, "payload format: sdc (default), cwt or opaque")
                  ->check(CLI::IsMember({"sdc", "cwt", "opaque"}));
              app.add_flag("--json", a->json, "print the report as JSON (the default and only form)");
              return [a] { return run_verify(*a); };
            }}};

}  // namespace
}  // namespace sdc::cli
