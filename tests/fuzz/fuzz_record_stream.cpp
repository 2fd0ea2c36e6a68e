// Fuzz target: the streaming record reader (RecordStream, what sdc batch reads) against the
// whole-file parser (parse_records) on the same bytes, as CSV and as JSON Lines. Besides the
// sanitizers' findings, a difference is a finding (abort): when the whole file parses, the stream
// must give the same records, field for field, and no error; when the whole file does not parse,
// the stream must refuse it at open, report at least one record's error, or hold no record.
#include "fuzz/fuzz_support.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace {

void check(bool ok, const char* what, sdc::RecordFormat format) {
  if (ok) return;
  std::fprintf(stderr, "record_stream: %s (%s)\n", what, format == sdc::RecordFormat::csv ? "CSV" : "JSON Lines");
  std::abort();
}

void compare(std::string_view text, sdc::RecordFormat format, const char* suffix) {
  // The stream reads a file: the input goes to this process's own temporary file.
  static const std::string stem =
      (std::filesystem::temp_directory_path() / ("sdc-fuzz-stream-" + std::to_string(getpid()))).string();
  const std::filesystem::path path = stem + suffix;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) std::abort();  // a broken fuzz setup, not a finding
  }
  auto whole = sdc::parse_records(text, format, path.string(), path.parent_path());
  auto stream = sdc::RecordStream::open(path);
  std::vector<sdc::Record> streamed;
  long errors = 0;
  if (stream) {
    sdc::StreamedRecord item;
    for (;;) {
      auto more = stream->next(item);
      check(static_cast<bool>(more), "next() failed on a file that is still there", format);
      if (!*more) break;
      check(item.record.has_value() != item.error.has_value(), "an item with both or neither", format);
      if (item.record) {
        streamed.push_back(*item.record);
        (void)sdc::validate_record(*item.record, sdc::fuzz::specimen().schema());
      } else {
        ++errors;
      }
      check(stream->fraction() >= 0 && stream->fraction() <= 1, "fraction() outside 0..1", format);
    }
  }
  if (whole) {
    check(static_cast<bool>(stream), "the whole file parses but the stream refuses it", format);
    check(errors == 0, "the whole file parses but the stream reports a record's error", format);
    check(streamed.size() == whole->size(), "a different number of records", format);
    for (std::size_t i = 0; i < streamed.size(); ++i)
      check(streamed[i].fields == (*whole)[i].fields, "a record with different fields", format);
  } else {
    // A file of no records (a header alone) is refused whole but is an empty stream.
    check(!stream || errors > 0 || streamed.empty(),
          "the whole file is refused but the stream reads records from it without an error", format);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  compare(text, sdc::RecordFormat::csv, ".csv");
  compare(text, sdc::RecordFormat::json_lines, ".jsonl");
  return 0;
}
