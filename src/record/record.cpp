#include <sdc/record.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "core/civil.hpp"
#include "core/read_file.hpp"
#include "core/utf8.hpp"
#include "record/record_internal.hpp"

namespace sdc {

std::optional<std::string> Record::get(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return std::nullopt;
}

void Record::set(std::string name, std::string value) {
  for (auto& [k, v] : fields)
    if (k == name) {
      v = std::move(value);
      return;
    }
  fields.emplace_back(std::move(name), std::move(value));
}

Error Record::error(Errc code, std::string_view field, std::string message, std::string hint) const {
  Where w;
  w.file = source;
  w.line = line;
  w.record = index;
  w.field = std::string(field);
  return Error(code, std::move(message), std::move(hint), std::move(w));
}

bool is_valid_utf8(std::string_view s, std::size_t* offset) noexcept {
  return detail::utf8_valid(s, offset);
}

namespace {

std::size_t count_code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<Date> parse_date(std::string_view t) noexcept {
  Date d;
  if (!detail::parse_ymd(t, 1900, 2199, d.year, d.month, d.day)) return std::nullopt;
  return d;
}

std::string format_date(const Date& d, std::string_view p) {
  static constexpr std::array<const char*, 12> months{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  auto two = [](int v) {
    std::string s(2, '0');
    s[0] = static_cast<char>('0' + (v / 10) % 10);
    s[1] = static_cast<char>('0' + v % 10);
    return s;
  };
  std::string out;
  for (std::size_t i = 0; i < p.size();) {
    auto starts = [&](std::string_view tok) { return p.substr(i, tok.size()) == tok; };
    if (starts("YYYY"))
      out += two(d.year / 100) + two(d.year % 100), i += 4;
    else if (starts("YY"))
      out += two(d.year % 100), i += 2;
    else if (starts("MMM"))
      out += months[static_cast<std::size_t>(d.month - 1)], i += 3;
    else if (starts("MM"))
      out += two(d.month), i += 2;
    else if (starts("DD"))
      out += two(d.day), i += 2;
    else
      out += p[i++];
  }
  return out;
}

const FieldRule* RecordSchema::find(std::string_view name) const {
  for (const auto& r : rules)
    if (r.name == name) return &r;
  return nullptr;
}

RecordSchema RecordSchema::docket() {
  RecordSchema s;
  auto text = [](std::string n, std::size_t min_len, std::size_t max_len, bool req = true) {
    return FieldRule{std::move(n), FieldType::text, req, min_len, max_len, {}};
  };
  s.rules = {
      // Name lengths are bounded so that every accepted record's seal fits a version-12 QR code
      // (docs/seal.md records the sizes); ICAO's TD1 name field holds 30 characters anyway.
      text("surname", 1, 39),
      text("given_names", 0, 39),
      {"date_of_birth", FieldType::date, true, 10, 10, {}},
      {"sex", FieldType::choice, true, 1, 1, {"F", "M", "X"}},
      {"nationality", FieldType::country, true, 3, 3, {}},
      {"registration_number", FieldType::digits, true, 9, 9, {}},
      text("docket_number", 1, 24),
      {"document_number", FieldType::text, true, 1, 9, {}},
      text("issuing_office", 1, 60),
      text("issuing_office_code", 0, 8, false),
      text("surname_latin", 0, 39, false),
      text("given_names_latin", 0, 39, false),
      {"issue_date", FieldType::date, true, 10, 10, {}},
      {"expiry_date", FieldType::date, true, 10, 10, {}},
      {"card_variant", FieldType::choice, true, 0, 20, {"temporary", "permanent"}},
      {"photo", FieldType::path, true, 1, 1024, {}},
  };
  s.order = {{"date_of_birth", "issue_date"}, {"issue_date", "expiry_date"}};
  return s;
}

Status validate_record(const Record& r, const RecordSchema& schema) {
  for (const auto& rule : schema.rules) {
    const auto value = r.get(rule.name);
    if (!value || value->empty()) {
      if (!rule.required) continue;
      return r.error(Errc::missing_field, rule.name, "the required field '" + rule.name + "' is missing or empty.",
                     "add a value for '" + rule.name + "' to the record.");
    }
    const std::string& v = *value;
    std::size_t bad = 0;
    if (!is_valid_utf8(v, &bad))
      return r.error(Errc::invalid_field, rule.name, "invalid UTF-8 at byte " + std::to_string(bad) + ".",
                     "save the record file as UTF-8.");
    const auto len = count_code_points(v);
    switch (rule.type) {
      case FieldType::date:
        if (!parse_date(v)) {
          int y = 0, m = 0, d = 0;
          if (detail::parse_ymd(v, 0, 9999, y, m, d))  // a real date, outside the years cards use
            return r.error(Errc::invalid_field, rule.name,
                           "the year " + std::to_string(y) + " is outside 1900 to 2199, the years a card accepts.",
                           "check the year.");
          return r.error(Errc::invalid_field, rule.name, "'" + v + "' is not a calendar date in YYYY-MM-DD form.",
                         "write the date as YYYY-MM-DD, e.g. 1990-04-25.");
        }
        break;
      case FieldType::digits:
        if (!all_digits(v))
          return r.error(Errc::invalid_field, rule.name, "'" + v + "' must contain digits only.",
                         "remove spaces, dashes and letters.");
        break;
      case FieldType::country:
        if (v.size() != 3 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
          return r.error(Errc::invalid_field, rule.name, "'" + v + "' is not a three-letter country code.",
                         "use the ISO 3166-1 alpha-3 code in capitals, e.g. NLD or XXA.");
        break;
      case FieldType::choice:
        if (std::find(rule.choices.begin(), rule.choices.end(), v) == rule.choices.end()) {
          std::string list;
          for (const auto& c : rule.choices) list += (list.empty() ? "" : ", ") + c;
          return r.error(Errc::invalid_field, rule.name, "'" + v + "' is not an allowed value.",
                         "use one of: " + list + ".");
        }
        break;
      case FieldType::text:
      case FieldType::path:
        if (v.find_first_of(std::string_view("\0\r\n\t", 4)) != std::string::npos)
          return r.error(Errc::invalid_field, rule.name,
                         "the value contains a control character (tab, line break or NUL).",
                         "put the value on one line.");
        if (rule.type == FieldType::text) {
          // A bidi override or a zero-width character makes the printed value differ from the
          // sealed one (U+202E + "elpmaxE" prints as "Example"), and a value of blanks prints
          // nothing yet seals as valid.
          if (const auto f = detail::find_format_char(v); f.cp != 0)
            return r.error(Errc::invalid_field, rule.name,
                           "character " + std::to_string(f.index + 1) + " is " + detail::code_point_name(f.cp) +
                               ", an invisible formatting character (bidirectional control, zero-width or "
                               "similar): the printed value would differ from the one in the seal.",
                           "remove it; text direction comes from the letters themselves. Zero-width (non-)joiners "
                           "are kept only between letters of a joining script.");
          if (!detail::draws_something(v))
            return r.error(Errc::invalid_field, rule.name, "the value has no visible character.",
                           "give the value in letters, or leave an optional field empty.");
        }
        break;
    }
    if (len < rule.min_length || len > rule.max_length) {
      const std::string range = rule.min_length == rule.max_length
                                    ? "exactly " + std::to_string(rule.min_length)
                                    : std::to_string(rule.min_length) + " to " + std::to_string(rule.max_length);
      return r.error(Errc::invalid_field, rule.name,
                     "'" + v + "' has " + std::to_string(len) + " characters; " + range + " are allowed.",
                     "correct the value's length.");
    }
  }
  for (const auto& o : schema.order) {
    const auto a = r.get(o.earlier), b = r.get(o.later);
    if (!a || !b) continue;
    const auto da = parse_date(*a), db = parse_date(*b);
    if (da && db && !(*da < *db))
      return r.error(Errc::invalid_field, o.later, o.later + " " + *b + " is not after " + o.earlier + " " + *a + ".",
                     "check both dates.");
  }
  return {};
}

namespace detail {

Result<std::vector<Record>> parse_csv(std::string_view text, const std::string& name,
                                      const std::filesystem::path& base_dir) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t bad = 0;
  if (!is_valid_utf8(text, &bad)) {
    const int line =
        1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    return Error(Errc::invalid_record, "invalid UTF-8 at byte " + std::to_string(bad) + ".",
                 "save the CSV file as UTF-8 (with or without BOM).", Where{.file = name, .line = line});
  }
  // RFC 4180 state machine; rows keep the line they start on for error messages.
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false, field_quoted = false, row_started = false, row_quoted = false;
  int line = 1, row_line = 1, quote_line = 0;
  Status limit;  // set when a row has too many fields or the file too many rows
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_quoted = false;
    if (row.size() > kMaxRecordFields && limit)
      limit = Error(Errc::limit_exceeded,
                    "the row has more than " + std::to_string(kMaxRecordFields) + " fields, more than is read.",
                    "keep only the columns the template uses.", Where{.file = name, .line = row_line});
  };
  auto end_row = [&] {
    end_field();
    // A line of nothing but spaces and tabs is blank, as RecordStream (sdc batch) reads it; a
    // quoted field of spaces is a value.
    const bool blank = row.size() == 1 && !row_quoted && row[0].find_first_not_of(" \t") == std::string::npos;
    if (!blank) {
      rows.push_back(std::move(row));
      row_lines.push_back(row_line);
      if (rows.size() > kMaxRecordsInFile + 1 && limit)
        limit = Error(
            Errc::limit_exceeded,
            "the file holds more than " + std::to_string(kMaxRecordsInFile) + " records, more than is read at once.",
            "run it with 'sdc batch', which streams any number of records, or split the file.", Where{.file = name});
    }
    row.clear();
    row_started = row_quoted = false;
  };
  for (std::size_t i = 0; i < text.size() && limit; ++i) {
    const char c = text[i];
    if (!row_started) {
      row_started = true;
      row_line = line;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || field_quoted)
        return Error(Errc::invalid_record, "a double quote inside an unquoted field.",
                     "quote the whole field and double the inner quote: \"say \"\"hi\"\"\".",
                     Where{.file = name, .line = line});
      in_quotes = field_quoted = row_quoted = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CR LF ends a row; the LF is handled next.
    } else if (c == '\r') {
      // A lone CR (classic Mac OS line ends) would otherwise join every row into one.
      return Error(Errc::invalid_record, "a carriage return (CR) without a line feed ends a line.",
                   "save the file with LF or CR LF line ends (\"Windows\" or \"Unix\", not \"classic Mac\"); a line "
                   "break inside a value must be quoted.",
                   Where{.file = name, .line = line});
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      if (field_quoted)
        return Error(Errc::invalid_record, "text after the closing quote of a field.",
                     "put the separator (,) right after the closing quote.", Where{.file = name, .line = line});
      field += c;
    }
  }
  if (!limit) return std::move(limit).error();
  if (in_quotes)
    return Error(Errc::invalid_record,
                 "a quoted field opened on line " + std::to_string(quote_line) + " is never closed.",
                 "close the quote (\") or double an inner quote (\"\").", Where{.file = name, .line = quote_line});
  if (row_started) end_row();
  if (rows.empty())
    return Error(Errc::invalid_record, "the CSV file is empty.",
                 "write a header row naming the fields, then one row per card.", Where{.file = name});
  const auto& header = rows[0];
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty())
      return Error(Errc::invalid_record, "column " + std::to_string(i + 1) + " of the header row has no name.",
                   "name every column in the first row.", Where{.file = name, .line = row_lines[0]});
    if (!seen.insert(header[i]).second)
      return Error(Errc::invalid_record, "the header names the column '" + header[i] + "' twice.",
                   "rename or remove one of them.", Where{.file = name, .line = row_lines[0]});
  }
  std::vector<Record> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != header.size())
      return Error(Errc::invalid_record,
                   "the row has " + std::to_string(rows[r].size()) + " fields but the header has " +
                       std::to_string(header.size()) + ".",
                   "check for a missing or extra comma, or quote fields that contain commas.",
                   Where{.file = name, .line = row_lines[r], .record = static_cast<long>(r - 1)});
    Record rec;
    rec.source = name;
    rec.base_dir = base_dir;
    rec.index = static_cast<long>(r - 1);
    rec.line = row_lines[r];
    for (std::size_t i = 0; i < header.size(); ++i) rec.fields.emplace_back(header[i], std::move(rows[r][i]));
    out.push_back(std::move(rec));
  }
  if (out.empty())
    return Error(Errc::invalid_record, "the CSV file has a header but no records.", "add one row per card.",
                 Where{.file = name});
  return out;
}

}  // namespace detail

Result<std::vector<Record>> load_records(const std::filesystem::path& path) {
  // Whole files are for a few thousand records; larger batches stream (sdc batch).
  SDC_TRY_ASSIGN(const std::string text, detail::read_input_file(path, 64u << 20, "record file"));
  const std::string ext = path.extension().string();
  RecordFormat fmt;
  if (ext == ".csv")
    fmt = RecordFormat::csv;
  else if (ext == ".jsonl" || ext == ".ndjson")
    fmt = RecordFormat::json_lines;
  else if (ext == ".json")
    fmt = RecordFormat::json;
  else {
    const auto p = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    fmt = (p != std::string::npos && (text[p] == '{' || text[p] == '[')) ? RecordFormat::json : RecordFormat::csv;
    if (fmt == RecordFormat::json && text.find("}\n{") != std::string::npos) fmt = RecordFormat::json_lines;
  }
  auto base = path.parent_path();
  if (base.empty()) base = ".";
  return parse_records(text, fmt, path.string(), base);
}

Result<std::vector<Record>> parse_records(std::string_view text, RecordFormat format, const std::string& name,
                                          const std::filesystem::path& base_dir) {
  switch (format) {
    case RecordFormat::csv: return detail::parse_csv(text, name, base_dir);
    case RecordFormat::json: return detail::parse_json_records(text, name, base_dir, false);
    case RecordFormat::json_lines: return detail::parse_json_records(text, name, base_dir, true);
  }
  return Error(Errc::internal, "unknown record format.", "report this as a bug.");
}

}  // namespace sdc
