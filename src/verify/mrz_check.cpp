#include "verify/mrz_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

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

ZoneGlare mrz_glare(const ImageView& zone, int lines, int chars) {
  // Every cell of one line by two characters holds ink (a character or a filler).
  return lines < 1 || chars < 2 ? ZoneGlare{} : zone_glare(zone, lines, chars / 2);
}

Finding mrz_finding(const MrzReading* read, const std::string& read_error, const std::vector<std::string>& expected,
                    int seal, ZoneGlare glare) {
  if (expected.empty()) return make(Outcome::not_checked, "no_mrz", "the card's template prints no MRZ.", seal);
  if (!read && glare.washed > 0)
    return make(Outcome::warn, "glare",
                "the printed MRZ could not be read: glare washes out " + std::to_string(glare.washed) + " of its " +
                    std::to_string(glare.cells) +
                    " cells, so the printed data was not compared; tilt the card away from the light and retake "
                    "the photo.",
                seal);
  if (!read)
    return make(Outcome::warn, "unreadable",
                "the printed MRZ could not be read (" + read_error + "), so the printed data was not compared.", seal);
  auto want = parse_mrz(expected);
  if (!want) return make(Outcome::warn, "not_comparable", "the sealed data gives no MRZ to compare with.", seal);

  // The question is whether the print shows the sealed data, not which of two close glyphs a reader
  // would pick: a character read otherwise than sealed, whose print fits the sealed character
  // about as well (MrzReading::loss at most kMrzMismatchLoss), takes the sealed one. Names carry no
  // check digit, so a blurred H read as N would otherwise fail a genuine card; a letter altered
  // and printed cleanly scores far apart. Characters of fields the seal does not carry (document
  // code, optional data) stay as read and are not compared.
  bool same_shape = read->format == want->format && read->lines.size() == expected.size();
  for (std::size_t l = 0; same_shape && l < expected.size(); ++l)
    same_shape = read->lines[l].size() == expected[l].size();
  const MrzReading* fitted = read;
  std::optional<MrzReading> snapped;
  float snapped_worst = 0, left_worst = 0;
  int snapped_count = 0;
  if (same_shape) {
    std::vector<std::string> lines = read->lines;
    for (std::size_t l = 0; l < lines.size(); ++l)
      for (std::size_t c = 0; c < lines[l].size(); ++c) {
        if (lines[l][c] == expected[l][c]) continue;
        const float loss = read->loss(l, c, expected[l][c]);
        if (loss <= kMrzMismatchLoss) {
          lines[l][c] = expected[l][c];
          snapped_worst = std::max(snapped_worst, loss);
          ++snapped_count;
        } else {
          left_worst = std::max(left_worst, loss);
        }
      }
    if (snapped_count > 0)
      if (auto p = parse_mrz(lines)) snapped = std::move(*p), fitted = &*snapped;
  }
  auto scored = [&](Finding f, bool pass) {
    f.score = !same_shape ? 2.0f : pass ? snapped_worst : std::max(snapped_worst, left_worst);
    f.threshold = kMrzMismatchLoss;
    if (!pass && glare.washed > 0) {
      // Misread, not shown altered: a highlight over part of a line throws the reader off along the
      // whole line (a spot over the last fillers of a genuine card's first line, its document
      // number read 000C<119 for 00004179, clear in the capture). A retake away from the light
      // decides.
      f.outcome = Outcome::warn;
      f.reason = "the printed MRZ does not match the sealed data (" + f.code + ") while glare washes out " +
                 std::to_string(glare.washed) + " of its " + std::to_string(glare.cells) +
                 " cells, so it was not read reliably: tilt the card away from the light and retake the photo.";
      f.code = "glare";
      return f;
    }
    if (!pass && read->corrections.size() > kMrzMaxTrustedCorrections) {
      // Not what is printed, but what the reader made of a poor capture: not a forgery's proof.
      f.outcome = Outcome::warn;
      f.reason = "the printed MRZ was read only with " + std::to_string(read->corrections.size()) +
                 " characters corrected, too many to trust, and does not match the sealed data (" + f.code +
                 "): retake the photo of the side with the MRZ, straight on and sharp.";
      f.code = "unreliable";
    }
    return f;
  };
  for (const auto& c : fitted->checks)
    if (!c.ok)
      return scored(make(Outcome::fail, "check_digit",
                         "the printed MRZ's " + c.field + " check digit does not hold (line " +
                             std::to_string(c.line + 1) + "): the zone was altered or misread.",
                         seal),
                    false);
  const std::string what = field_differences(fitted->fields, want->fields);
  if (!what.empty())
    return scored(make(Outcome::fail, "mismatch", "the printed MRZ differs from the sealed data: " + what + ".", seal),
                  false);
  return scored(make(Outcome::pass, "ok",
                     snapped_count == 0 ? std::string("the printed MRZ matches the sealed data.")
                                        : "the printed MRZ matches the sealed data (" + std::to_string(snapped_count) +
                                              " character(s) read otherwise fit the sealed ones as well).",
                     seal),
                true);
}

}  // namespace sdc::detail
