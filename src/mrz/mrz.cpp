#include <sdc/mrz.hpp>

#include <algorithm>
#include <cstdio>

namespace sdc {

namespace {

int char_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c == '<') return 0;
  return -1;
}

std::string u_plus(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

/// Decodes one code point at `i` (advancing it); false on invalid UTF-8.
bool next_cp(std::string_view s, std::size_t& i, char32_t& cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (n < 0) return false;
  cp = n == 0 ? b : n == 1 ? (b & 0x1F) : n == 2 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k <= n; ++k) {
    if (i + static_cast<std::size_t>(k) >= s.size()) return false;
    const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((c >> 6) != 2) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<std::size_t>(n) + 1;
  return true;
}

// Doc 9303 Part 3 section 6: Latin letters with diacritics. Index = code point - 0xC0 for the
// Latin-1 supplement; "" = not a letter (multiplication and division signs). Entries with * are
// the optional ones: *A = Ä, *R = Å (ring), *O = Ö, *U = Ü.
const char* const latin1[64] = {
    "A", "A", "A", "A", "*A", "*R", "AE", "C", "E",  "E", "E", "E", "I",  "I", "I",  "I",   // C0-CF
    "D", "N", "O", "O", "O",  "O",  "*O", "",  "OE", "U", "U", "U", "*U", "Y", "TH", "SS",  // D0-DF
    "A", "A", "A", "A", "*A", "*R", "AE", "C", "E",  "E", "E", "E", "I",  "I", "I",  "I",   // E0-EF
    "D", "N", "O", "O", "O",  "O",  "*O", "",  "OE", "U", "U", "U", "*U", "Y", "TH", "Y",   // F0-FF
};

// Latin Extended-A, U+0100-U+017F, as ranges of one base letter.
struct Range {
  char32_t first, last;
  const char* out;
};
const Range ext_a[] = {
    {0x100, 0x105, "A"}, {0x106, 0x10D, "C"}, {0x10E, 0x111, "D"},  {0x112, 0x11B, "E"},  {0x11C, 0x123, "G"},
    {0x124, 0x127, "H"}, {0x128, 0x131, "I"}, {0x132, 0x133, "IJ"}, {0x134, 0x135, "J"},  {0x136, 0x138, "K"},
    {0x139, 0x142, "L"}, {0x143, 0x14B, "N"}, {0x14C, 0x151, "O"},  {0x152, 0x153, "OE"}, {0x154, 0x159, "R"},
    {0x15A, 0x161, "S"}, {0x162, 0x167, "T"}, {0x168, 0x173, "U"},  {0x174, 0x175, "W"},  {0x176, 0x178, "Y"},
    {0x179, 0x17E, "Z"}, {0x17F, 0x17F, "S"}, {0x218, 0x219, "S"},  {0x21A, 0x21B, "T"},  {0x1E9E, 0x1E9E, "SS"},
};

Error field_error(const std::string& field, std::string msg, std::string hint) {
  return Error(Errc::invalid_field, std::move(msg), std::move(hint), Where{.field = field});
}

/// Upper-case A-Z and digits; spaces and hyphens to "<". For codes, numbers and optional data.
Result<std::string> clean_field(std::string_view s, const std::string& field) {
  std::string out;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<')
      out += c;
    else if (c == ' ' || c == '-')
      out += '<';
    else
      return field_error(field,
                         "the MRZ field '" + field + "' holds '" + std::string(s) + "', whose character '" +
                             std::string(1, c) + "' cannot be written in a machine-readable zone.",
                         "use only the letters A-Z and digits 0-9 in '" + field + "'.");
  }
  return out;
}

std::string pad(std::string s, std::size_t n) {
  s.resize(std::max(s.size(), n), '<');
  return s;
}

std::string yymmdd(const Date& d) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", d.year % 100, d.month, d.day);
  return buf;
}

char digit(std::string_view s) {
  return static_cast<char>('0' + mrz_check_digit(s));
}

/// Collapses runs of "<" and trims them at both ends.
std::string tidy(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '<' || (!out.empty() && out.back() != '<')) out += c;
  while (!out.empty() && out.back() == '<') out.pop_back();
  return out;
}

/// The name field, truncated to `width` as documented in mrz.hpp.
std::string name_field(const std::string& primary, const std::string& secondary, std::size_t width) {
  std::vector<std::string> all;
  for (std::size_t i = 0; i <= secondary.size();) {
    const auto j = std::min(secondary.find('<', i), secondary.size());
    if (j > i) all.push_back(secondary.substr(i, j - i));
    i = j + 1;
  }
  auto join = [&](const std::vector<std::string>& comps) {
    std::string s = primary;
    if (!comps.empty()) {
      s += "<<";
      for (std::size_t k = 0; k < comps.size(); ++k) s += (k ? "<" : "") + comps[k];
    }
    return s;
  };
  if (join(all).size() <= width) return pad(join(all), width);
  // Keep as many secondary identifiers as can stay (each at least its initial), shortening them
  // from the end of the last one; the result fills the field and ends with a letter.
  for (std::size_t n = all.size(); n >= 1; --n) {
    std::vector<std::string> comps(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    for (std::size_t k = n; k-- > 0;)
      while (join(comps).size() > width && comps[k].size() > 1) comps[k].pop_back();
    if (join(comps).size() <= width) return pad(join(comps), width);
  }
  // Not even one initial fits: cut the primary identifier (never ending in a filler).
  std::string s = primary.substr(0, width);
  while (!s.empty() && s.back() == '<') s.pop_back();
  return pad(s, width);
}

}  // namespace

int mrz_check_digit(std::string_view field) noexcept {
  static constexpr int w[3] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const int v = char_value(field[i]);
    if (v < 0) return -1;
    sum += v * w[i % 3];
  }
  return sum % 10;
}

Result<std::string> mrz_transliterate(std::string_view s, MrzTransliteration mode) {
  std::string out;
  const bool expand = mode == MrzTransliteration::expand;
  std::size_t i = 0;
  char last_base = 0;  // the last Latin base letter written, for combining marks
  std::size_t pos = 0;
  while (i < s.size()) {
    const std::size_t at = i;
    char32_t cp = 0;
    if (!next_cp(s, i, cp))
      return field_error("", "the name '" + std::string(s) + "' is not valid UTF-8 (byte " + std::to_string(at) + ").",
                         "save the record as UTF-8.");
    ++pos;
    std::string add;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
      add = static_cast<char>(cp >= 'a' ? cp - 'a' + 'A' : cp);
    } else if (cp == ' ' || cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == '<') {
      add = "<";
    } else if (cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == '.' || cp == ',') {
      add = "";  // Part 3: apostrophes and punctuation are omitted
    } else if (cp >= 0x300 && cp <= 0x36F) {
      // A combining mark: the same as the precomposed letter (A + diaeresis = Ä, A + ring = Å).
      if (expand && cp == 0x308 && (last_base == 'A' || last_base == 'O' || last_base == 'U')) add = "E";
      if (expand && cp == 0x30A && last_base == 'A') add = "A";
      out += add;
      continue;
    } else if (cp >= 0xC0 && cp <= 0xFF && *latin1[cp - 0xC0]) {
      std::string m = latin1[cp - 0xC0];
      if (m == "*A")
        m = expand ? "AE" : "A";
      else if (m == "*O")
        m = expand ? "OE" : "O";
      else if (m == "*U")
        m = expand ? "UE" : "U";
      else if (m == "*R")
        m = expand ? "AA" : "A";
      add = m;
    } else {
      for (const auto& r : ext_a)
        if (cp >= r.first && cp <= r.last) add = r.out;
      if (add.empty())
        return field_error("",
                           "the character " + u_plus(cp) + " at position " + std::to_string(pos) + " of '" +
                               std::string(s) + "' has no transliteration to the MRZ alphabet (ICAO 9303 Part 3).",
                           "give the name in Latin letters (for a name in another script, add its Latin form as "
                           "surname_latin / given_names_latin).");
    }
    out += add;
    if (!add.empty()) last_base = add.back();
  }
  return out;
}

Result<std::array<std::string, 3>> make_td1(const MrzData& d, const MrzOptions& opt) {
  SDC_TRY_ASSIGN(const std::string code, clean_field(d.document_code, "document_code"));
  if (code.empty() || code.size() > 2 || !(code.front() >= 'A' && code.front() <= 'Z'))
    return field_error(
        "document_code",
        "the document code '" + d.document_code + "' must be one or two characters starting with a letter.",
        "use \"I\", \"ID\", \"A\" or \"C\" (Doc 9303 Part 5).");
  SDC_TRY_ASSIGN(const std::string state, clean_field(d.issuing_state, "issuing_state"));
  SDC_TRY_ASSIGN(const std::string nat, clean_field(d.nationality, "nationality"));
  for (auto [v, name] : {std::pair{&state, "issuing_state"}, std::pair{&nat, "nationality"}})
    if (v->empty() || v->size() > 3)
      return field_error(name, std::string("the ") + name + " must be a code of 1 to 3 letters.",
                         "use the ICAO three-letter code (\"UTO\", \"XXA\").");
  SDC_TRY_ASSIGN(const std::string num, clean_field(d.document_number, "document_number"));
  if (num.empty() || num.size() > 22)
    return field_error("document_number", "the document number must have 1 to 22 characters.",
                       "use a shorter document number.");
  SDC_TRY_ASSIGN(const std::string opt1, clean_field(d.optional_1, "optional_1"));
  SDC_TRY_ASSIGN(const std::string opt2, clean_field(d.optional_2, "optional_2"));
  if (opt2.size() > 11)
    return field_error("optional_2", "optional data (2) has " + std::to_string(opt2.size()) + " characters; 11 fit.",
                       "shorten it.");
  std::string l1 = pad(code, 2) + pad(state, 3);
  std::string o1;
  if (num.size() <= 9) {
    l1 += pad(num, 9) + digit(pad(num, 9));
    o1 = opt1;
  } else {
    // Doc 9303 Part 5 note j: the overflow and its check digit open optional data (1).
    l1 += num.substr(0, 9) + '<';
    o1 = num.substr(9) + digit(num) + (opt1.empty() ? "" : "<" + opt1);
  }
  if (o1.size() > 15)
    return field_error(num.size() > 9 ? "document_number" : "optional_1",
                       "optional data (1) would need " + std::to_string(o1.size()) + " characters; 15 fit.",
                       "shorten optional_1 (a long document number shares its field).");
  l1 += pad(o1, 15);

  for (auto [dt, name] : {std::pair{&d.date_of_birth, "date_of_birth"}, std::pair{&d.date_of_expiry, "expiry_date"}})
    if (dt->year < 1900 || dt->year > 2199 || dt->month < 1 || dt->month > 12 || dt->day < 1 || dt->day > 31)
      return field_error(name, std::string("the ") + name + " is not a full calendar date.",
                         "give the date as YYYY-MM-DD.");
  char sex = d.sex;
  if (sex == 'f' || sex == 'm') sex = static_cast<char>(sex - 'a' + 'A');
  if (sex == 'X' || sex == 'x') sex = '<';
  if (sex != 'F' && sex != 'M' && sex != '<')
    return field_error("sex", std::string("the sex code '") + d.sex + "' cannot be written in the MRZ.",
                       "use F, M or X (written <).");
  const std::string dob = yymmdd(d.date_of_birth), exp = yymmdd(d.date_of_expiry);
  std::string l2 = dob + digit(dob) + sex + exp + digit(exp) + pad(nat, 3) + pad(opt2, 11);
  const std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11);
  l2 += digit(composite);

  auto sur = mrz_transliterate(d.surname, opt.transliteration);
  if (!sur) return std::move(sur).error().at_field("surname");
  auto giv = mrz_transliterate(d.given_names, opt.transliteration);
  if (!giv) return std::move(giv).error().at_field("given_names");
  const std::string primary = tidy(*sur), secondary = tidy(*giv);
  if (primary.empty())
    return field_error("surname", "the surname gives no letters for the MRZ.", "give the holder's surname.");
  return std::array<std::string, 3>{l1, l2, name_field(primary, secondary, 30)};
}

Result<MrzData> mrz_data_from_record(const Record& r, std::string_view state, std::string_view code,
                                     const MrzOptions& opt) {
  MrzData d;
  d.document_code = std::string(code);
  d.issuing_state = std::string(state);
  auto need = [&](const char* f) -> Result<std::string> {
    auto v = r.get(f);
    if (!v || v->empty())
      return r.error(Errc::missing_field, f, std::string("the MRZ needs the field '") + f + "'.",
                     std::string("add '") + f + "' to the record.");
    return *v;
  };
  for (const char* f : {"surname", "given_names"}) {
    const std::string latin = std::string(f) + "_latin";
    const bool has_latin = r.get(latin) && !r.get(latin)->empty();
    auto v = has_latin ? need(latin.c_str()) : need(f);
    if (!v) {
      if (std::string(f) == "given_names") continue;  // a single name is allowed
      return std::move(v).error();
    }
    if (auto t = mrz_transliterate(*v, opt.transliteration); !t)
      return r.error(Errc::invalid_field, has_latin ? latin : f,
                     "the " + std::string(f) + " cannot be written in the MRZ: " + t.error().message(),
                     has_latin ? "write '" + latin + "' in Latin letters."
                               : "add the field '" + latin + "' with the name in Latin letters (ICAO 9303 Part 3).");
    (std::string(f) == "surname" ? d.surname : d.given_names) = *v;
  }
  for (auto [f, out] : {std::pair{"date_of_birth", &d.date_of_birth}, std::pair{"expiry_date", &d.date_of_expiry}}) {
    SDC_TRY_ASSIGN(const std::string v, need(f));
    auto dt = parse_date(v);
    if (!dt) return r.error(Errc::invalid_field, f, "'" + v + "' is not a YYYY-MM-DD date.", "write YYYY-MM-DD.");
    *out = *dt;
  }
  SDC_TRY_ASSIGN(const std::string sex, need("sex"));
  if (sex.size() != 1 || std::string("FMXfmx<").find(sex[0]) == std::string::npos)
    return r.error(Errc::invalid_field, "sex", "the sex '" + sex + "' cannot be written in the MRZ.", "use F, M or X.");
  d.sex = sex[0];
  SDC_TRY_ASSIGN(d.nationality, need("nationality"));
  SDC_TRY_ASSIGN(d.document_number, need("document_number"));
  return d;
}

Result<Td1Parsed> parse_td1(const std::array<std::string, 3>& l) {
  for (int i = 0; i < 3; ++i) {
    const auto& s = l[static_cast<std::size_t>(i)];
    if (s.size() != 30 || !std::all_of(s.begin(), s.end(), [](char c) { return char_value(c) >= 0; }))
      return Error(Errc::invalid_argument,
                   "MRZ line " + std::to_string(i + 1) + " is not 30 characters of A-Z, 0-9 and <: '" + s + "'.",
                   "pass the three TD1 lines as read.");
  }
  Td1Parsed p;
  auto strip = [](std::string s) {
    while (!s.empty() && s.back() == '<') s.pop_back();
    return s;
  };
  p.document_code = strip(l[0].substr(0, 2));
  p.issuing_state = strip(l[0].substr(2, 3));
  std::string opt1 = l[0].substr(15, 15);
  if (l[0][14] == '<' && l[0][13] != '<') {
    // Long document number: the rest is at the start of optional data (1), then its check digit.
    const auto end = opt1.find('<');
    const std::string rest = opt1.substr(0, end == std::string::npos ? 15 : end);
    if (!rest.empty()) {
      p.document_number = l[0].substr(5, 9) + rest.substr(0, rest.size() - 1);
      p.document_number_ok = mrz_check_digit(p.document_number) == rest.back() - '0';
      opt1 = end == std::string::npos ? "" : opt1.substr(end + 1);
    }
  } else {
    p.document_number = strip(l[0].substr(5, 9));
    p.document_number_ok = mrz_check_digit(l[0].substr(5, 9)) == l[0][14] - '0';
  }
  p.optional_1 = strip(opt1);
  p.date_of_birth = l[1].substr(0, 6);
  p.date_of_birth_ok = mrz_check_digit(p.date_of_birth) == l[1][6] - '0';
  p.sex = l[1][7];
  p.date_of_expiry = l[1].substr(8, 6);
  p.date_of_expiry_ok = mrz_check_digit(p.date_of_expiry) == l[1][14] - '0';
  p.nationality = strip(l[1].substr(15, 3));
  p.optional_2 = strip(l[1].substr(18, 11));
  const std::string composite = l[0].substr(5, 25) + l[1].substr(0, 7) + l[1].substr(8, 7) + l[1].substr(18, 11);
  p.composite_ok = mrz_check_digit(composite) == l[1][29] - '0';
  const std::string name = strip(l[2]);
  const auto sep = name.find("<<");
  auto spaced = [](std::string s) {
    std::replace(s.begin(), s.end(), '<', ' ');
    return s;
  };
  p.surname = spaced(name.substr(0, sep));
  p.given_names = sep == std::string::npos ? "" : spaced(name.substr(sep + 2));
  return p;
}

}  // namespace sdc
