// Choosing characters from classifier scores, with field types and check digits.
#include "mrz/decode.hpp"

#include <algorithm>
#include <limits>

namespace sdc::mrz {

static_assert(std::string_view(kAlphabet) == kMrzAlphabet, "MrzReading::scores follow kMrzAlphabet");

namespace {

struct Cell {
  int line, column;
};

struct Alternative {
  Cell cell;
  char ch;
  float loss;
};

// The letter/digit pairs OCR-B readers classically confuse.
bool confusable(char a, char b) {
  static constexpr const char* kPairs[] = {"0O", "0D", "OD", "0Q", "1I", "8B", "5S", "2Z", "6G"};
  for (const char* p : kPairs)
    if ((a == p[0] && b == p[1]) || (a == p[1] && b == p[0])) return true;
  return false;
}

// Alternatives for a cell: characters its class allows, best first, at most `keep`. A classic
// confusion may score up to `margin` below the current choice; any other character only a hair
// below (`tie`), so that a check digit cannot talk a clearly printed (perhaps altered) digit into
// another one.
std::vector<Alternative> alternatives(const std::vector<std::vector<CellScores>>& scores,
                                      const std::vector<std::string>& classes, const std::vector<std::string>& lines,
                                      Cell c, float margin, std::size_t keep) {
  constexpr float tie = 0.04f;
  std::vector<Alternative> out;
  const auto& s = scores[c.line][c.column];
  const char cur = lines[c.line][c.column];
  const float cur_score = s[alphabet_index(cur)];
  const auto cls = static_cast<CharClass>(classes[c.line][c.column]);
  for (int k = 0; k < kAlphabetSize; ++k) {
    const char ch = kAlphabet[k];
    if (ch == cur || !allowed(cls, ch)) continue;
    const float loss = cur_score - s[k];
    if (loss <= (confusable(cur, ch) ? margin : tie)) out.push_back({c, ch, std::max(0.0f, loss)});
  }
  std::sort(out.begin(), out.end(), [](const Alternative& a, const Alternative& b) { return a.loss < b.loss; });
  if (out.size() > keep) out.resize(keep);
  return out;
}

// Repairs one failed check by the cheapest single or double substitution among `cells`.
bool repair(const CheckSpec& spec, const std::vector<Cell>& cells, const std::vector<std::vector<CellScores>>& scores,
            const std::vector<std::string>& classes, std::vector<std::string>& lines,
            std::vector<MrzCorrection>& corrections, const std::string& reason) {
  constexpr float margin = 0.3f;
  std::vector<Alternative> alts;
  for (const Cell& c : cells) {
    auto a = alternatives(scores, classes, lines, c, margin, 4);
    alts.insert(alts.end(), a.begin(), a.end());
  }
  float best = std::numeric_limits<float>::max();
  std::vector<Alternative> chosen;
  auto holds = [&] { return evaluate(spec, lines).ok; };
  for (const auto& a : alts) {
    char& ref = lines[a.cell.line][a.cell.column];
    const char old = ref;
    ref = a.ch;
    if (holds() && a.loss < best) best = a.loss, chosen = {a};
    ref = old;
  }
  if (chosen.empty()) {
    for (std::size_t i = 0; i < alts.size(); ++i)
      for (std::size_t j = i + 1; j < alts.size(); ++j) {
        const auto& a = alts[i];
        const auto& b = alts[j];
        if (a.cell.line == b.cell.line && a.cell.column == b.cell.column) continue;
        if (a.loss + b.loss >= best) continue;
        char& ra = lines[a.cell.line][a.cell.column];
        char& rb = lines[b.cell.line][b.cell.column];
        const char oa = ra, ob = rb;
        ra = a.ch, rb = b.ch;
        if (holds()) best = a.loss + b.loss, chosen = {a, b};
        ra = oa, rb = ob;
      }
  }
  for (const auto& a : chosen) {
    char& ref = lines[a.cell.line][a.cell.column];
    corrections.push_back({a.cell.line, a.cell.column, ref, a.ch, reason});
    ref = a.ch;
  }
  return !chosen.empty();
}

// OCR-B's 0 and O differ by a few hundredths of a score, and several 0/O mixes can satisfy the
// same check digit (XB0000009 read as XBO0OOOO9). Issuers avoid the letter O in document numbers
// for this reason, so where the print scores 0 within `tie` of O, the largest set of such cells is
// read as 0 that keeps every check digit that held (the field's and the composite's). A single
// O -> 0 always changes the field's check digit, so a clearly checked O is never taken for 0.
void prefer_zero_in_document_number(const std::vector<CheckSpec>& specs,
                                    const std::vector<std::vector<CellScores>>& scores, std::vector<std::string>& lines,
                                    std::vector<MrzCorrection>& corrections) {
  constexpr float tie = 0.05f;
  constexpr std::size_t kMaxCells = 12;  // 4096 subsets at most
  const int o = alphabet_index('O'), zero = alphabet_index('0');
  std::vector<bool> held(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) held[i] = evaluate(specs[i], lines).ok;
  for (std::size_t si = 0; si < specs.size(); ++si) {
    if (specs[si].field != "document_number" || !held[si]) continue;
    std::vector<std::pair<float, Cell>> cand;  // (loss of 0 against O, cell)
    for (const auto& sp : specs[si].covers)
      for (int c = sp.begin; c < sp.end; ++c) {
        const auto& sc = scores[sp.line][c];
        if (lines[sp.line][c] == 'O' && sc[o] - sc[zero] <= tie) cand.push_back({sc[o] - sc[zero], {sp.line, c}});
      }
    if (cand.empty()) continue;
    std::sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    if (cand.size() > kMaxCells) cand.resize(kMaxCells);
    const unsigned n = static_cast<unsigned>(cand.size());
    unsigned best = 0;
    int best_count = 0;
    float best_loss = 0;
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
      const int count = __builtin_popcount(mask);
      float loss = 0;
      for (unsigned k = 0; k < n; ++k)
        if (mask & (1u << k)) loss += cand[k].first;
      if (count < best_count || (count == best_count && loss >= best_loss)) continue;
      for (unsigned k = 0; k < n; ++k)
        if (mask & (1u << k)) lines[cand[k].second.line][cand[k].second.column] = '0';
      bool ok = true;
      for (std::size_t j = 0; j < specs.size() && ok; ++j) ok = !held[j] || evaluate(specs[j], lines).ok;
      for (unsigned k = 0; k < n; ++k)
        if (mask & (1u << k)) lines[cand[k].second.line][cand[k].second.column] = 'O';
      if (ok) best = mask, best_count = count, best_loss = loss;
    }
    for (unsigned k = 0; k < n; ++k)
      if (best & (1u << k)) {
        const Cell c = cand[k].second;
        lines[c.line][c.column] = '0';
        corrections.push_back({c.line, c.column, 'O', '0', "document number: 0 rather than O, the check digits hold"});
      }
  }
}

std::vector<Cell> cells_of(const CheckSpec& s) {
  std::vector<Cell> out;
  for (const auto& sp : s.covers)
    for (int c = sp.begin; c < sp.end; ++c) out.push_back({sp.line, c});
  out.push_back({s.line, s.column});
  return out;
}

const char* class_name(CharClass c) {
  switch (c) {
    case CharClass::digit: return "a digit is expected here";
    case CharClass::alpha: return "a letter is expected here";
    case CharClass::sex: return "the sex field holds F, M, X or <";
    case CharClass::alnum: return "";
  }
  return "";
}

}  // namespace

MrzReading decode(MrzFormat f, const std::vector<std::vector<CellScores>>& scores, bool correct) {
  const auto classes = char_classes(f);
  std::vector<std::string> lines(scores.size());
  std::vector<MrzCorrection> corrections;
  for (std::size_t l = 0; l < scores.size(); ++l) {
    for (std::size_t c = 0; c < scores[l].size(); ++c) {
      const auto& s = scores[l][c];
      const auto cls = static_cast<CharClass>(classes[l][c]);
      int raw = 0, typed = -1;
      for (int k = 0; k < kAlphabetSize; ++k) {
        if (s[k] > s[raw]) raw = k;
        if (allowed(cls, kAlphabet[k]) && (typed < 0 || s[k] > s[typed])) typed = k;
      }
      const int pick = correct ? typed : raw;
      lines[l] += kAlphabet[pick];
      if (pick != raw)
        corrections.push_back(
            {static_cast<int>(l), static_cast<int>(c), kAlphabet[raw], kAlphabet[pick], class_name(cls)});
    }
  }
  if (correct) {
    const auto specs = check_specs(f, lines);
    std::vector<std::vector<bool>> proven(lines.size());
    for (std::size_t l = 0; l < lines.size(); ++l) proven[l].assign(lines[l].size(), false);
    for (const auto& spec : specs) {
      if (spec.field == "composite") continue;
      bool ok = evaluate(spec, lines).ok;
      if (!ok) ok = repair(spec, cells_of(spec), scores, classes, lines, corrections, spec.field + " check digit");
      if (ok)
        for (const Cell& c : cells_of(spec)) proven[c.line][c.column] = true;
    }
    for (const auto& spec : specs) {
      if (spec.field != "composite" || evaluate(spec, lines).ok) continue;
      std::vector<Cell> open;
      for (const Cell& c : cells_of(spec))
        if (!proven[c.line][c.column]) open.push_back(c);
      repair(spec, open, scores, classes, lines, corrections, "composite check digit");
    }
    prefer_zero_in_document_number(specs, scores, lines, corrections);
  }
  MrzReading r = parse_shaped(f, lines);
  r.corrections = std::move(corrections);
  r.scores.resize(scores.size());
  for (std::size_t l = 0; l < scores.size(); ++l)
    for (const auto& s : scores[l]) r.scores[l].emplace_back(s.begin(), s.end());
  for (std::size_t l = 0; l < lines.size(); ++l)
    for (std::size_t c = 0; c < lines[l].size(); ++c) {
      const auto& s = scores[l][c];
      const int k = alphabet_index(lines[l][c]);
      float second = -1;
      for (int j = 0; j < kAlphabetSize; ++j)
        if (j != k) second = std::max(second, s[j]);
      const float margin_term = std::clamp(0.4f + 4.0f * (s[k] - second), 0.0f, 1.0f);
      r.confidence[l][c] = std::clamp(s[k], 0.0f, 1.0f) * margin_term;
    }
  return r;
}

}  // namespace sdc::mrz
