/// @file record.hpp
/// Biographic records: the personal data printed on one card.
///
/// A record is an ordered list of UTF-8 `name = value` fields. Records are read from a JSON object
/// (one record), a JSON array of objects, JSON Lines (one object per line, `.jsonl`) or CSV
/// (RFC 4180: comma separated, double-quoted fields may hold commas, quotes doubled, line breaks;
/// UTF-8 with or without a byte-order mark; the first row names the fields).
///
/// The docket card's fields are: `surname`, `given_names`, `date_of_birth`, `sex`, `nationality`
/// (ISO 3166-1 alpha-3), `registration_number` (9 digits), `docket_number`, `document_number`,
/// `issuing_office`, `issue_date`, `expiry_date` (dates as YYYY-MM-DD), `card_variant`
/// (`temporary` or `permanent`), `photo` (a path, relative to the record file). A template may
/// declare more (see docs/template.md); `RecordSchema::docket()` is the built-in rule set.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sdc {

/// One record. A plain value: copy it, share it between threads.
struct SDC_EXPORT Record {
  /// Fields in file order. Names are unique within a record.
  std::vector<std::pair<std::string, std::string>> fields;
  /// The file the record came from ("" when built in memory) and its folder: relative paths in
  /// the record (the photo) are resolved against `base_dir`.
  std::string source;
  std::filesystem::path base_dir;
  /// 0-based index of the record in its file, and the 1-based line it starts on (0 if unknown).
  long index = 0;
  int line = 0;

  /// The value of a field, or nullopt when the record has no such field. An empty value is a value.
  std::optional<std::string> get(std::string_view name) const;
  /// Sets (replaces or appends) a field.
  void set(std::string name, std::string value);
  /// An Error whose Where names this record's file, line, index and the given field.
  Error error(Errc code, std::string_view field, std::string message, std::string hint) const;
};

/// Reads every record of a file; the format is chosen by extension (.json, .jsonl/.ndjson, .csv)
/// and, failing that, by content. Errors name the file, line and record: broken JSON, a broken CSV
/// quote, a row with the wrong number of columns, invalid UTF-8, duplicate field names, an empty
/// file. Validation of the values is separate (`validate_record`), so a batch can report bad
/// records and carry on with the good ones.
SDC_EXPORT Result<std::vector<Record>> load_records(const std::filesystem::path& path);

/// Parses records from text in the given format; `name` is used in error messages.
enum class RecordFormat { json, json_lines, csv };
SDC_EXPORT Result<std::vector<Record>> parse_records(std::string_view text, RecordFormat format,
                                                     const std::string& name,
                                                     const std::filesystem::path& base_dir = {});

/// One item read from a `RecordStream`: a record, or why record `number` cannot be used (a
/// malformed CSV row, a broken JSON line). Exactly one of `record` and `error` is set.
struct StreamedRecord {
  long number = 0;  ///< 1-based record number in the file (data rows / lines that are not blank)
  int line = 0;     ///< 1-based line the record starts on
  std::optional<Record> record;
  std::optional<Error> error;  ///< names the file, line and record; the stream goes on after it
};

/// Reads records one at a time with bounded memory: CSV (as `load_records`, one row at a time) and
/// JSON Lines (one line at a time). A `.json` file (one object or an array) is read whole, as
/// `load_records` does. A malformed row or line is returned as a `StreamedRecord` with an error and
/// reading goes on; a quoted CSV field that is still open after 1 MiB is reported as never closed
/// and reading resumes on the line after the row's first line. Not thread-safe (one reader); move
/// only.
class SDC_EXPORT RecordStream {
 public:
  /// Opens a record file; the format is chosen as by `load_records`. Errors: Errc::io (cannot
  /// open), Errc::invalid_record (an empty file, a bad CSV header, or any error of a `.json` file),
  /// naming the file.
  static Result<RecordStream> open(const std::filesystem::path& path);
  RecordStream(RecordStream&&) noexcept;
  RecordStream& operator=(RecordStream&&) noexcept;
  ~RecordStream();

  /// Reads the next record into `out`: true when `out` holds a record or a record's error, false at
  /// the end. Errors: Errc::io when the file cannot be read further (the stream is then done).
  Result<bool> next(StreamedRecord& out);
  /// The share of the file read so far, 0 to 1 (for progress and time-left estimates).
  double fraction() const noexcept;

  struct Impl;

 private:
  explicit RecordStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// What a field must look like.
enum class FieldType {
  text,     ///< any UTF-8 text (length limits apply, in code points)
  date,     ///< YYYY-MM-DD, a real calendar date between 1900-01-01 and 2199-12-31
  digits,   ///< ASCII digits only
  country,  ///< three upper-case letters (ISO 3166-1 alpha-3, or an ICAO code such as XXA)
  choice,   ///< one of `choices`
  path,     ///< a file path (relative to the record file)
};

struct FieldRule {
  std::string name;
  FieldType type = FieldType::text;
  bool required = true;
  std::size_t min_length = 0;        ///< in Unicode code points
  std::size_t max_length = 200;      ///< in Unicode code points
  std::vector<std::string> choices;  ///< for FieldType::choice
};

/// Cross-field rule: the date in `later` must be after the one in `earlier`.
struct DateOrder {
  std::string earlier, later;
};

/// The rules a record must satisfy for a template.
struct SDC_EXPORT RecordSchema {
  std::vector<FieldRule> rules;
  std::vector<DateOrder> order;
  /// The docket card's fields and rules (see the file comment). `expiry_date` after `issue_date`,
  /// `issue_date` after `date_of_birth`.
  static RecordSchema docket();
  const FieldRule* find(std::string_view name) const;
};

/// Checks a record against a schema. The first problem is returned as an Error naming the record
/// (file, line, index) and the field, and saying what to write instead.
SDC_EXPORT Status validate_record(const Record& record, const RecordSchema& schema);

/// Checks that `text` is well-formed UTF-8 (no overlong forms, no surrogates). On failure `offset`
/// receives the byte offset of the first bad byte.
SDC_EXPORT bool is_valid_utf8(std::string_view text, std::size_t* offset = nullptr) noexcept;

/// A date parsed from YYYY-MM-DD.
struct Date {
  int year = 0, month = 0, day = 0;
  constexpr auto operator<=>(const Date&) const = default;
};
/// Parses YYYY-MM-DD strictly (a real calendar date, years 1900-2199).
SDC_EXPORT std::optional<Date> parse_date(std::string_view text) noexcept;

/// Formats a date with a pattern: YYYY, YY, MM, DD, MMM (JAN..DEC), and any other characters copied
/// ("DD.MM.YYYY", "DD MMM YYYY", "YYMMDD"). Deterministic and locale-free.
SDC_EXPORT std::string format_date(const Date& date, std::string_view pattern);

}  // namespace sdc
