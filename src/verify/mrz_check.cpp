#include "verify/mrz_check.hpp"

#include "core/pixels.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

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

struct CellLevels {
  int dark = 0;    // 2nd percentile
  int median = 0;  // 50th percentile
};

CellLevels levels(const ImageView& img, int x0, int y0, int x1, int y1) {
  std::array<int, 256> hist{};
  const int n_ch = channels(img.format());
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* p = img.row(y) + static_cast<std::ptrdiff_t>(x0) * n_ch;
    for (int x = x0; x < x1; ++x, p += n_ch) ++hist[grey_ignoring_alpha(p, img.format())];
  }
  const int n = (x1 - x0) * (y1 - y0);
  CellLevels c;
  int seen = 0;
  bool dark_set = false;
  for (int v = 0; v < 256; ++v) {
    seen += hist[static_cast<std::size_t>(v)];
    if (!dark_set && seen * 50 >= n) c.dark = v, dark_set = true;
    if (seen * 2 >= n) {
      c.median = v;
      break;
    }
  }
  return c;
}

// The q-th quantile (0..1) of `v` (not empty).
int quantile(std::vector<int> v, double q) {
  const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

}  // namespace

ZoneGlare mrz_glare(const ImageView& zone, int lines, int chars) {
  ZoneGlare g;
  if (zone.empty() || zone.format() == PixelFormat::cmyk8 || lines < 1 || chars < 2) return g;
  const int cols = chars / 2;
  if (zone.width() < 2 * cols || zone.height() < 2 * lines) return g;
  std::vector<CellLevels> cells;
  for (int l = 0; l < lines; ++l)
    for (int c = 0; c < cols; ++c)
      cells.push_back(levels(zone, zone.width() * c / cols, zone.height() * l / lines, zone.width() * (c + 1) / cols,
                             zone.height() * (l + 1) / lines));
  std::vector<int> medians, contrasts;
  for (const auto& c : cells) {
    medians.push_back(c.median);
    contrasts.push_back(c.median - c.dark);
  }
  g.cells = static_cast<int>(cells.size());
  // The paper and the print's contrast where the light is as it should be: glare lifts the cells
  // it covers, so the paper is a lower quantile and the contrast an upper one.
  const int paper = quantile(medians, 0.25), contrast = quantile(contrasts, 0.75);
  if (paper >= 250 && contrast < 40) {  // clipped white as a whole
    g.washed = g.cells;
    return g;
  }
  if (paper > 250) return g;  // the paper clips: glare cannot be told from it
  // Lifted: a third of the way to white, 8 levels at least, and white will do over a paper that
  // is nearly so already.
  const int lifted = std::min(255, paper + std::max(8, (255 - paper) / 3)), faint = std::min(24, contrast / 3);
  for (const auto& c : cells)
    if (c.median >= lifted && c.median - c.dark < faint) ++g.washed;
  return g;
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
