// Parsing any ICAO 9303 zone from its lines (Doc 9303 Parts 4-7).
#include <algorithm>
#include <string_view>

#include "mrz/layout.hpp"

namespace sdc::mrz {
namespace {

std::string sub(const std::vector<std::string>& l, int line, int begin, int end) {
  return l[line].substr(begin, end - begin);
}

// A field without its trailing fillers.
std::string trim(std::string s) {
  while (!s.empty() && s.back() == '<') s.pop_back();
  return s;
}

// Name field: primary "<<" secondary, "<" within each part becoming a space.
void split_name(const std::string& field, MrzFields& out) {
  const std::string n = trim(field);
  const auto sep = n.find("<<");
  std::string primary = sep == std::string::npos ? n : n.substr(0, sep);
  std::string secondary = sep == std::string::npos ? "" : n.substr(sep + 2);
  auto spaces = [](std::string s) {
    std::replace(s.begin(), s.end(), '<', ' ');
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  };
  out.primary_identifier = spaces(primary);
  out.secondary_identifier = spaces(secondary);
}

bool is_td1(MrzFormat f) {
  return f == MrzFormat::td1;
}

// TD1 / TD2 long document number (Doc 9303 Part 5 note j, Part 6 note j): the check position holds
// "<" and the optional data starts with the rest of the number followed by its check digit.
struct LongNumber {
  bool present = false;
  int line = 0, begin = 0, end = 0;  // the extension in the optional data, excluding the check digit
};
LongNumber long_number(MrzFormat f, const std::vector<std::string>& l) {
  LongNumber ln;
  int line = 0, check = 0, opt_begin = 0, opt_end = 0;
  if (f == MrzFormat::td1) {
    line = 0, check = 14, opt_begin = 15, opt_end = 30;
  } else if (f == MrzFormat::td2) {
    line = 1, check = 9, opt_begin = 28, opt_end = 35;
  } else {
    return ln;
  }
  if (l[line][check] != '<' || l[line][opt_begin] == '<') return ln;
  int e = opt_begin;
  while (e < opt_end && l[line][e] != '<') ++e;
  if (e - opt_begin < 2) return ln;  // at least one character and the check digit
  ln.present = true;
  ln.line = line, ln.begin = opt_begin, ln.end = e - 1;
  return ln;
}

}  // namespace

int alphabet_index(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c == '<') return 36;
  return -1;
}

bool allowed(CharClass c, char ch) noexcept {
  switch (c) {
    case CharClass::digit: return (ch >= '0' && ch <= '9') || ch == '<';
    case CharClass::alpha: return (ch >= 'A' && ch <= 'Z') || ch == '<';
    case CharClass::alnum: return alphabet_index(ch) >= 0;
    case CharClass::sex: return ch == 'F' || ch == 'M' || ch == 'X' || ch == '<';
  }
  return false;
}

std::optional<MrzFormat> format_of(const std::vector<std::string>& l) {
  if (l.size() == 3 && l[0].size() == 30 && l[1].size() == 30 && l[2].size() == 30) return MrzFormat::td1;
  if (l.size() != 2 || l[0].size() != l[1].size()) return std::nullopt;
  const bool visa = !l[0].empty() && l[0][0] == 'V';
  if (l[0].size() == 36) return visa ? MrzFormat::mrv_b : MrzFormat::td2;
  if (l[0].size() == 44) return visa ? MrzFormat::mrv_a : MrzFormat::td3;
  return std::nullopt;
}

std::vector<std::string> char_classes(MrzFormat f) {
  if (f == MrzFormat::td1)
    return {"AAAAANNNNNNNNNDNNNNNNNNNNNNNNN",  // code, state, number, check, optional 1
            "DDDDDDDSDDDDDDDAAANNNNNNNNNNND",  // birth, check, sex, expiry, check, nationality, opt 2, comp
            std::string(30, 'A')};
  const int w = (f == MrzFormat::td2 || f == MrzFormat::mrv_b) ? 36 : 44;
  std::string l1 = "AAAAA" + std::string(w - 5, 'A');
  std::string l2 = "NNNNNNNNNDAAADDDDDDDSDDDDDDD";  // number, check, nationality, birth, sex, expiry
  if (f == MrzFormat::td2) l2 += "NNNNNNND";
  if (f == MrzFormat::mrv_b) l2 += "NNNNNNNN";
  if (f == MrzFormat::td3) l2 += std::string(14, 'N') + "DD";
  if (f == MrzFormat::mrv_a) l2 += std::string(16, 'N');
  return {l1, l2};
}

std::vector<CheckSpec> check_specs(MrzFormat f, const std::vector<std::string>& l) {
  std::vector<CheckSpec> out;
  const LongNumber ln = long_number(f, l);
  if (is_td1(f)) {
    if (ln.present)
      out.push_back({"document_number", {{0, 5, 14}, {0, ln.begin, ln.end}}, 0, ln.end, false});
    else
      out.push_back({"document_number", {{0, 5, 14}}, 0, 14, false});
    out.push_back({"date_of_birth", {{1, 0, 6}}, 1, 6, false});
    out.push_back({"date_of_expiry", {{1, 8, 14}}, 1, 14, false});
    out.push_back({"composite", {{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}}, 1, 29, false});
    return out;
  }
  if (ln.present)
    out.push_back({"document_number", {{1, 0, 9}, {1, ln.begin, ln.end}}, 1, ln.end, false});
  else
    out.push_back({"document_number", {{1, 0, 9}}, 1, 9, false});
  out.push_back({"date_of_birth", {{1, 13, 19}}, 1, 19, false});
  out.push_back({"date_of_expiry", {{1, 21, 27}}, 1, 27, false});
  if (f == MrzFormat::td3) {
    out.push_back({"optional_data", {{1, 28, 42}}, 1, 42, true});
    out.push_back({"composite", {{1, 0, 10}, {1, 13, 20}, {1, 21, 43}}, 1, 43, false});
  } else if (f == MrzFormat::td2) {
    out.push_back({"composite", {{1, 0, 10}, {1, 13, 20}, {1, 21, 35}}, 1, 35, false});
  }
  return out;
}

MrzCheck evaluate(const CheckSpec& s, const std::vector<std::string>& l) {
  std::string data;
  for (const auto& sp : s.covers) data += sub(l, sp.line, sp.begin, sp.end);
  MrzCheck c;
  c.field = s.field;
  c.line = s.line;
  c.column = s.column;
  c.printed = l[s.line][s.column];
  c.expected = mrz_check_digit(data);
  c.ok = c.expected >= 0 && c.printed == static_cast<char>('0' + c.expected);
  if (s.empty_may_be_filler && trim(data).empty() && c.printed == '<') c.ok = true;
  return c;
}

MrzReading parse_shaped(MrzFormat f, const std::vector<std::string>& l) {
  MrzReading r;
  r.format = f;
  r.lines = l;
  for (const auto& line : l) r.confidence.emplace_back(line.size(), 1.0f);
  MrzFields& d = r.fields;
  const LongNumber ln = long_number(f, l);
  if (is_td1(f)) {
    d.document_code = trim(sub(l, 0, 0, 2));
    d.issuing_state = trim(sub(l, 0, 2, 5));
    d.document_number = trim(sub(l, 0, 5, 14));
    d.optional_1 = trim(sub(l, 0, 15, 30));
    if (ln.present) {
      d.document_number += sub(l, 0, ln.begin, ln.end);
      d.optional_1 = ln.end + 1 < 30 ? trim(sub(l, 0, ln.end + 1, 30)) : "";
      while (!d.optional_1.empty() && d.optional_1.front() == '<') d.optional_1.erase(d.optional_1.begin());
    }
    d.date_of_birth = sub(l, 1, 0, 6);
    d.sex = l[1][7];
    d.date_of_expiry = sub(l, 1, 8, 14);
    d.nationality = trim(sub(l, 1, 15, 18));
    d.optional_2 = trim(sub(l, 1, 18, 29));
    split_name(l[2], d);
  } else {
    const int w = static_cast<int>(l[0].size());
    d.document_code = trim(sub(l, 0, 0, 2));
    d.issuing_state = trim(sub(l, 0, 2, 5));
    split_name(sub(l, 0, 5, w), d);
    d.document_number = trim(sub(l, 1, 0, 9));
    d.nationality = trim(sub(l, 1, 10, 13));
    d.date_of_birth = sub(l, 1, 13, 19);
    d.sex = l[1][20];
    d.date_of_expiry = sub(l, 1, 21, 27);
    const int opt_end = f == MrzFormat::td3 ? 42 : f == MrzFormat::td2 ? 35 : w;
    d.optional_1 = trim(sub(l, 1, 28, opt_end));
    if (ln.present) {
      d.document_number += sub(l, 1, ln.begin, ln.end);
      d.optional_1 = ln.end + 1 < opt_end ? trim(sub(l, 1, ln.end + 1, opt_end)) : "";
      while (!d.optional_1.empty() && d.optional_1.front() == '<') d.optional_1.erase(d.optional_1.begin());
    }
  }
  for (const auto& s : check_specs(f, l)) r.checks.push_back(evaluate(s, l));
  return r;
}

}  // namespace sdc::mrz

namespace sdc {

const char* to_string(MrzFormat f) noexcept {
  switch (f) {
    case MrzFormat::td1: return "TD1";
    case MrzFormat::td2: return "TD2";
    case MrzFormat::td3: return "TD3";
    case MrzFormat::mrv_a: return "MRV-A";
    case MrzFormat::mrv_b: return "MRV-B";
  }
  return "?";
}

Result<MrzReading> parse_mrz(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = 0; j < lines[i].size(); ++j)
      if (mrz::alphabet_index(lines[i][j]) < 0)
        return Error(Errc::invalid_argument,
                     "MRZ line " + std::to_string(i + 1) + " column " + std::to_string(j + 1) +
                         " holds a character outside A-Z 0-9 <",
                     "give the zone as printed, in upper case, with \"<\" fillers");
  const auto f = mrz::format_of(lines);
  if (!f) {
    std::string shape = std::to_string(lines.size()) + " lines of";
    for (const auto& l : lines) shape += " " + std::to_string(l.size());
    return Error(Errc::invalid_argument, "not an ICAO 9303 zone: " + shape + " characters",
                 "a zone is 3 lines of 30 (TD1), 2 of 36 (TD2, MRV-B) or 2 of 44 (TD3, MRV-A)");
  }
  return mrz::parse_shaped(*f, lines);
}

}  // namespace sdc
