#include "verify/mrz_check.hpp"

#include <algorithm>

namespace sdc::detail {

namespace {

Finding make(Outcome outcome, std::string code, std::string reason, int seal) {
  Finding f;
  f.check = "mrz";
  f.outcome = outcome;
  f.code = std::move(code);
  f.reason = std::move(reason);
  f.seal = seal;
  return f;
}

// The fields that differ between two parsed zones, "name printed X, sealed Y" each.
std::string field_differences(const MrzFields& got, const MrzFields& want) {
  std::string out;
  auto cmp = [&](const char* name, const std::string& g, const std::string& w) {
    if (g == w) return;
    if (!out.empty()) out += "; ";
    out += std::string(name) + " printed '" + g + "', sealed '" + w + "'";
  };
  cmp("issuing_state", got.issuing_state, want.issuing_state);
  cmp("document_number", got.document_number, want.document_number);
  cmp("date_of_birth", got.date_of_birth, want.date_of_birth);
  cmp("sex", std::string(1, got.sex), std::string(1, want.sex));
  cmp("date_of_expiry", got.date_of_expiry, want.date_of_expiry);
  cmp("nationality", got.nationality, want.nationality);
  cmp("surname", got.primary_identifier, want.primary_identifier);
  cmp("given_names", got.secondary_identifier, want.secondary_identifier);
  return out;
}

}  // namespace

Finding mrz_finding(const MrzReading* read, const std::string& read_error, const std::vector<std::string>& expected,
                    int seal) {
  if (expected.empty()) return make(Outcome::not_checked, "no_mrz", "the card's template prints no MRZ.", seal);
  if (!read)
    return make(Outcome::warn, "unreadable",
                "the printed MRZ could not be read (" + read_error + "), so the printed data was not compared.", seal);
  for (const auto& c : read->checks)
    if (!c.ok)
      return make(Outcome::fail, "check_digit",
                  "the printed MRZ's " + c.field + " check digit does not hold (line " + std::to_string(c.line + 1) +
                      "): the zone was altered or misread.",
                  seal);
  // Compare the fields the seal carries; the document code and optional data may hold what the
  // seal does not (the template's choices, other record fields).
  auto want = parse_mrz(expected);
  if (!want) return make(Outcome::warn, "not_comparable", "the sealed data gives no MRZ to compare with.", seal);
  std::string what = field_differences(read->fields, want->fields);
  if (what.empty()) {
    Finding f = make(Outcome::pass, "ok", "the printed MRZ matches the sealed data.", seal);
    f.score = 0;
    f.threshold = 0;
    return f;
  }
  int differ = 0;
  const std::size_t n = std::max(read->lines.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string a = i < read->lines.size() ? read->lines[i] : "";
    const std::string b = i < expected.size() ? expected[i] : "";
    for (std::size_t k = 0; k < std::max(a.size(), b.size()); ++k)
      differ += (k < a.size() ? a[k] : '\0') != (k < b.size() ? b[k] : '\0');
  }
  Finding f = make(Outcome::fail, "mismatch", "the printed MRZ differs from the sealed data: " + what + ".", seal);
  f.score = differ;
  f.threshold = 0;
  return f;
}

}  // namespace sdc::detail
