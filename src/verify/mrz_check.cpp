#include "verify/mrz_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/format.hpp"

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

// A field of two parsed zones that differs ("name printed X, sealed Y"), with its 0-based line in
// a TD1 zone.
struct Difference {
  int line = 0;
  std::string what;
};

std::vector<Difference> field_differences(const MrzFields& got, const MrzFields& want) {
  std::vector<Difference> out;
  auto cmp = [&](int line, const char* name, const std::string& g, const std::string& w) {
    if (g != w) out.push_back({line, std::string(name) + " printed '" + g + "', sealed '" + w + "'"});
  };
  cmp(0, "issuing_state", got.issuing_state, want.issuing_state);
  cmp(0, "document_number", got.document_number, want.document_number);
  cmp(1, "date_of_birth", got.date_of_birth, want.date_of_birth);
  cmp(1, "sex", std::string(1, got.sex), std::string(1, want.sex));
  cmp(1, "date_of_expiry", got.date_of_expiry, want.date_of_expiry);
  cmp(1, "nationality", got.nationality, want.nationality);
  cmp(2, "surname", got.primary_identifier, want.primary_identifier);
  cmp(2, "given_names", got.secondary_identifier, want.secondary_identifier);
  return out;
}

std::string line_name(int line) {
  return "line " + std::to_string(line + 1);
}

// "line 1", "lines 1 and 3", "lines 1, 2 and 3".
std::string lines_named(const std::vector<int>& lines) {
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? "" : i + 1 == lines.size() ? " and " : ", ") + std::to_string(lines[i] + 1);
  return out;
}

// Every line of a zone of `count` lines, named, for Finding::unread.
std::vector<std::string> every_line(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t l = 0; l < count; ++l) out.push_back(line_name(static_cast<int>(l)));
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
  // A warning leaves the lines it names unread (every line unless it says otherwise):
  // Checker::check_captures reads them on another capture.
  const auto warn = [&](std::string code, std::string reason, std::vector<std::string> unread) {
    Finding f = make(Outcome::warn, std::move(code), std::move(reason), seal);
    f.unread = std::move(unread);
    return f;
  };
  if (!read && glare.washed > 0)
    return warn("glare",
                "the printed MRZ could not be read: glare washes out " + std::to_string(glare.washed) + " of its " +
                    std::to_string(glare.cells) +
                    " cells, so the printed data was not compared; tilt the card away from the light and retake "
                    "the photo.",
                every_line(expected.size()));
  if (!read)
    return warn("unreadable",
                "the printed MRZ could not be read (" + read_error + "), so the printed data was not compared.",
                every_line(expected.size()));
  auto want = parse_mrz(expected);
  if (!want)
    return warn("not_comparable", "the sealed data gives no MRZ to compare with.", every_line(expected.size()));

  // The question is whether the print shows the sealed data, not which of two close glyphs a reader
  // would pick: a character read otherwise than sealed, whose print fits the sealed character
  // about as well (MrzReading::loss at most kMrzMismatchLoss), takes the sealed one. Names carry no
  // check digit, so a blurred H read as N would otherwise fail a genuine card; a letter altered
  // and printed cleanly scores far apart. Characters of fields the seal does not carry (document
  // code, optional data) stay as read and are not compared.
  bool same_shape = read->format == want->format && read->lines.size() == expected.size();
  for (std::size_t l = 0; same_shape && l < expected.size(); ++l)
    same_shape = read->lines[l].size() == expected[l].size();
  // The cells whose print matches no glyph (kMrzMinCellMatch): not read, so neither the sealed
  // character nor a difference. Known only where the reader gave its scores.
  // `unclear_lines`: the lines that hold one or more.
  std::vector<std::vector<bool>> unclear(expected.size());
  std::vector<int> unclear_lines;
  int unclear_cells = 0;
  if (same_shape && read->scores.size() == expected.size())
    for (std::size_t l = 0; l < expected.size(); ++l) {
      unclear[l].assign(expected[l].size(), false);
      if (read->scores[l].size() != expected[l].size()) continue;
      const int before = unclear_cells;
      for (std::size_t c = 0; c < expected[l].size(); ++c) {
        const auto k = kMrzAlphabet.find(read->lines[l][c]);
        if (k == std::string_view::npos || k >= read->scores[l][c].size() || read->scores[l][c][k] >= kMrzMinCellMatch)
          continue;
        unclear[l][c] = true;
        ++unclear_cells;
      }
      if (unclear_cells > before) unclear_lines.push_back(static_cast<int>(l));
    }
  const auto is_unclear = [&](std::size_t l, std::size_t c) {
    return l < unclear.size() && c < unclear[l].size() && unclear[l][c];
  };
  const MrzReading* fitted = read;
  std::optional<MrzReading> snapped;
  float snapped_worst = 0, left_worst = 0;
  int snapped_count = 0;
  if (same_shape) {
    std::vector<std::string> lines = read->lines;
    for (std::size_t l = 0; l < lines.size(); ++l)
      for (std::size_t c = 0; c < lines[l].size(); ++c) {
        if (lines[l][c] == expected[l][c] || is_unclear(l, c)) continue;
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

  // What does not hold, each with the lines it rests on: a check digit the lines its data comes
  // from (the composite's, the first two), a field its own line. Only in a zone of the sealed
  // shape (TD1, as compose prints it); otherwise every line.
  struct Miss {
    std::vector<int> lines;
    std::string what;
  };
  std::vector<int> all_lines;
  for (std::size_t l = 0; l < expected.size(); ++l) all_lines.push_back(static_cast<int>(l));
  const bool by_line = same_shape && want->format == MrzFormat::td1;
  std::vector<Miss> checks, fields;
  for (const auto& c : fitted->checks)
    if (!c.ok)
      checks.push_back({!by_line                 ? all_lines
                        : c.field == "composite" ? std::vector<int>{0, 1}
                                                 : std::vector<int>{c.line},
                        "the printed MRZ's " + c.field + " check digit does not hold (line " +
                            std::to_string(c.line + 1) + "): the zone was altered or misread."});
  for (auto& d : field_differences(fitted->fields, want->fields))
    fields.push_back({by_line ? std::vector<int>{d.line} : all_lines, std::move(d.what)});

  // Whether a cell read otherwise than sealed is not unclear (else the reading shows no difference
  // in what it could read).
  bool differs_where_clear = false;
  if (same_shape)
    for (std::size_t l = 0; l < expected.size(); ++l)
      for (std::size_t c = 0; c < expected[l].size(); ++c)
        differs_where_clear = differs_where_clear || (fitted->lines[l][c] != expected[l][c] && !is_unclear(l, c));
  // The warning for a reading that matches, or differs, only where cells are unclear: those lines
  // unread; `glare` where glare washes out a cell of them.
  const auto unclear_warning = [&](const Finding& basis) {
    std::vector<std::string> names;
    bool glared = false;
    for (const int l : unclear_lines) {
      names.push_back(line_name(l));
      glared = glared ||
               (glare.washed_in_row.size() == expected.size() && glare.washed_in_row[static_cast<std::size_t>(l)] > 0);
    }
    Finding w =
        warn(glared ? "glare" : "unclear",
             (basis.outcome == Outcome::pass
                  ? "the printed MRZ matches the sealed data where it was read, but "
                  : "the printed MRZ differs from the sealed data (" + basis.code + ") only where it was not read: ") +
                 std::to_string(unclear_cells) + " cell(s) of " + lines_named(unclear_lines) +
                 " match no character (under " + format_number(kMrzMinCellMatch) + ")" +
                 (glared ? ", where glare washes it out: tilt the card away from the light and retake the photo."
                         : ": retake the photo of the side with the MRZ, straight on, sharp and evenly lit."),
             std::move(names));
    w.score = basis.score;
    w.threshold = basis.threshold;
    return w;
  };

  if (checks.empty() && fields.empty()) {
    Finding f = make(Outcome::pass, "ok",
                     snapped_count == 0 ? std::string("the printed MRZ matches the sealed data.")
                                        : "the printed MRZ matches the sealed data (" + std::to_string(snapped_count) +
                                              " character(s) read otherwise fit the sealed ones as well).",
                     seal);
    f.score = !same_shape ? 2.0f : snapped_worst;
    f.threshold = kMrzMismatchLoss;
    return unclear_cells > 0 ? unclear_warning(f) : f;
  }
  Finding f;
  if (!checks.empty()) {
    f = make(Outcome::fail, "check_digit", checks.front().what, seal);
  } else {
    std::string what;
    for (const Miss& m : fields) what += (what.empty() ? "" : "; ") + m.what;
    f = make(Outcome::fail, "mismatch", "the printed MRZ differs from the sealed data: " + what + ".", seal);
  }
  f.score = !same_shape ? 2.0f : std::max(snapped_worst, left_worst);
  f.threshold = kMrzMismatchLoss;

  // Misread, not shown altered, while glare washes out a cell of the zone: a highlight over part of
  // a line throws the reader off along the whole line (a spot over the last fillers of a genuine
  // card's first line, its document number read 000C<119 for 00004179, clear in the capture), and
  // sometimes the whole zone (37 characters corrected on a genuine card's capture with one cell
  // washed out). A retake away from the light decides. Where glare washes out a cell of every line
  // a difference rests on, those lines are unread and the others read as sealed; otherwise every
  // line is unread.
  if (unclear_cells > 0 && !differs_where_clear) return unclear_warning(f);
  if (glare.washed > 0) {
    const bool rows_known = glare.washed_in_row.size() == expected.size();
    const auto washed = [&](int l) { return !rows_known || glare.washed_in_row[static_cast<std::size_t>(l)] > 0; };
    std::vector<int> unread;
    bool explained = true;
    for (const auto* misses : {&checks, &fields})
      for (const Miss& m : *misses) {
        bool any = false;
        for (const int l : m.lines)
          if (washed(l)) {
            any = true;
            if (std::find(unread.begin(), unread.end(), l) == unread.end()) unread.push_back(l);
          }
        explained = explained && any;
      }
    std::vector<std::string> names;
    std::string where = " while glare washes out " + std::to_string(glare.washed) + " of its " +
                        std::to_string(glare.cells) + " cells, so it was not read reliably";
    if (explained && rows_known) {
      std::sort(unread.begin(), unread.end());
      int cells = 0;  // the washed cells of those lines
      for (const int l : unread) {
        names.push_back(line_name(l));
        cells += glare.washed_in_row[static_cast<std::size_t>(l)];
      }
      where = " on " + lines_named(unread) + ", where glare washes out " + std::to_string(cells) + " of " +
              std::to_string(glare.cells / static_cast<int>(expected.size()) * static_cast<int>(unread.size())) +
              " cells, so it was not read reliably there";
    } else {
      names = every_line(expected.size());
    }
    Finding w = warn("glare",
                     "the printed MRZ does not match the sealed data (" + f.code + ")" + where +
                         ": tilt the card away from the light and retake the photo.",
                     std::move(names));
    w.score = f.score;
    w.threshold = f.threshold;
    return w;
  }
  if (read->corrections.size() > kMrzMaxTrustedCorrections) {
    // Not what is printed, but what the reader made of a poor capture: not a forgery's proof.
    Finding w = warn("unreliable",
                     "the printed MRZ was read only with " + std::to_string(read->corrections.size()) +
                         " characters corrected, too many to trust, and does not match the sealed data (" + f.code +
                         "): retake the photo of the side with the MRZ, straight on and sharp.",
                     every_line(expected.size()));
    w.score = f.score;
    w.threshold = f.threshold;
    return w;
  }
  return f;
}

}  // namespace sdc::detail
