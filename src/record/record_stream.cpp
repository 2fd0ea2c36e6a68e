// RecordStream: records one at a time with bounded memory. CSV rows and JSON lines are cut out of a
// sliding buffer and handed to the same parsers `load_records` uses (with the CSV header in front),
// so a streamed record is exactly what `load_records` would have made of it.
#include <sdc/record.hpp>

#include <algorithm>
#include <fstream>
#include <system_error>

#include "record/record_internal.hpp"

namespace sdc {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxRecordBytes = 1024 * 1024;  // a longer row or line is an error, not a stall

enum class Kind { csv, json_lines, whole };

}  // namespace

struct RecordStream::Impl {
  std::ifstream in;
  std::string name;
  std::filesystem::path base_dir;
  Kind kind = Kind::csv;
  std::string buf;  // unread bytes start at `pos`
  std::size_t pos = 0;
  bool eof = false;
  std::uintmax_t size = 0, consumed = 0;
  int line = 1;  // line of buf[pos]
  long number = 0;
  std::string header;  // CSV header row, as written
  std::vector<Record> whole;
  std::size_t whole_next = 0;

  Status fill() {
    if (eof) return {};
    if (pos > 0) {
      buf.erase(0, pos);
      pos = 0;
    }
    const std::size_t old = buf.size();
    buf.resize(old + kChunk);
    in.read(buf.data() + old, static_cast<std::streamsize>(kChunk));
    const auto got = static_cast<std::size_t>(in.gcount());
    buf.resize(old + got);
    if (in.bad())
      return Error(Errc::io, "cannot read the record file.", "check the disk and the file's permissions.",
                   Where{.file = name, .line = line});
    if (got == 0 || in.eof()) eof = true;
    return {};
  }

  void advance(std::size_t n) {  // consume n bytes (counting lines)
    line += static_cast<int>(std::count(buf.begin() + static_cast<std::ptrdiff_t>(pos),
                                        buf.begin() + static_cast<std::ptrdiff_t>(pos + n), '\n'));
    pos += n;
    consumed += n;
  }

  // Cuts the next unit (CSV row: newline outside quotes; JSON line: any newline) out of the buffer.
  // Returns false at the end. `text` excludes the newline; `start_line` is where it begins;
  // `overlong` is set when it exceeded kMaxRecordBytes (then only its first line was consumed).
  Result<bool> cut(bool quotes, std::string& text, int& start_line, bool& overlong) {
    overlong = false;
    std::size_t scan = 0;  // offset from pos already scanned
    // RFC 4180 as the parser reads it: a quote opens quoting only at the start of a field; inside,
    // a quote closes it unless the next character is a quote too (an escaped quote).
    bool in_quotes = false, just_closed = false, field_start = true;
    for (;;) {
      const char* data = buf.data() + pos;
      const std::size_t avail = buf.size() - pos;
      for (; scan < avail; ++scan) {
        if (scan >= kMaxRecordBytes) {
          // Give up on this record; resynchronise on the next line.
          overlong = true;
          start_line = line;
          const auto nl = std::string_view(data, avail).find('\n');
          if (nl != std::string_view::npos) {
            advance(nl + 1);
            return true;
          }
          advance(avail);  // no newline yet: drop what we have and skip to the next one
          for (;;) {
            SDC_TRY(fill());
            if (buf.empty()) return true;
            const auto n2 = std::string_view(buf).find('\n');
            if (n2 != std::string_view::npos) {
              advance(n2 + 1);
              return true;
            }
            advance(buf.size() - pos);
            if (eof) return true;
          }
        }
        const char c = data[scan];
        if (quotes) {
          if (in_quotes) {
            if (c == '"') {
              in_quotes = false;
              just_closed = true;
            }
            continue;
          }
          if (c == '"') {
            if (just_closed || field_start) in_quotes = true;
            just_closed = field_start = false;
            continue;
          }
          just_closed = false;
          field_start = c == ',';
        }
        if (c == '\n') {
          text.assign(data, scan);
          start_line = line;
          advance(scan + 1);
          return true;
        }
      }
      if (eof) {
        if (avail == 0) return false;
        text.assign(data, avail);
        start_line = line;
        advance(avail);
        return true;
      }
      SDC_TRY(fill());
    }
  }

  Error relocate(const Error& e, int first_line, long record) const {
    Where w = e.where();
    w.file = name;
    // The parsers saw the header on line 1 and this record from line 2 (CSV) or 1 (JSON line).
    const int offset = kind == Kind::csv ? 2 : 1;
    w.line = w.line >= offset ? first_line + (w.line - offset) : first_line;
    w.record = record;
    return Error(e.code(), e.message(), e.hint(), std::move(w));
  }
};

RecordStream::RecordStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecordStream::RecordStream(RecordStream&&) noexcept = default;
RecordStream& RecordStream::operator=(RecordStream&&) noexcept = default;
RecordStream::~RecordStream() = default;

Result<RecordStream> RecordStream::open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  impl->name = path.string();
  impl->base_dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::error_code ec;
  impl->size = std::filesystem::file_size(path, ec);
  impl->in.open(path, std::ios::binary);
  if (ec || !impl->in)
    return Error(Errc::io, "cannot open the record file.", "check the path and its permissions.",
                 Where{.file = impl->name});
  const std::string ext = path.extension().string();
  SDC_TRY(impl->fill());
  if (ext == ".jsonl" || ext == ".ndjson") {
    impl->kind = Kind::json_lines;
  } else if (ext == ".csv") {
    impl->kind = Kind::csv;
  } else if (ext == ".json") {
    impl->kind = Kind::whole;
  } else {
    const auto p = impl->buf.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    const bool json = p != std::string::npos && (impl->buf[p] == '{' || impl->buf[p] == '[');
    impl->kind = json ? (impl->buf.find("}\n{") != std::string::npos ? Kind::json_lines : Kind::whole) : Kind::csv;
  }
  if (impl->kind == Kind::whole) {
    SDC_TRY_ASSIGN(impl->whole, load_records(path));
    impl->consumed = impl->size;
    return RecordStream(std::move(impl));
  }
  if (impl->buf.compare(0, 3, "\xEF\xBB\xBF") == 0) impl->advance(3);
  if (impl->kind == Kind::csv) {
    std::string text;
    int first = 0;
    bool overlong = false;
    for (;;) {
      SDC_TRY_ASSIGN(const bool got, impl->cut(true, text, first, overlong));
      if (!got)
        return Error(Errc::invalid_record, "the CSV file is empty.",
                     "write a header row naming the fields, then one row per card.", Where{.file = impl->name});
      if (overlong)
        return Error(Errc::invalid_record, "the header row is longer than 1 MiB or has an unclosed quote.",
                     "write a header row naming the fields.", Where{.file = impl->name, .line = first});
      if (text.find_first_not_of(" \t\r") != std::string::npos) break;  // blank lines before the header
    }
    // The parser checks the header (names, duplicates, UTF-8) when given it twice: once as header,
    // once as a row of the right width.
    auto check = detail::parse_csv(text + "\n" + text + "\n", impl->name, impl->base_dir);
    if (!check) {
      Where w = check.error().where();
      w.line = first;
      w.record = -1;
      return Error(check.error().code(), check.error().message(), check.error().hint(), std::move(w));
    }
    impl->header = std::move(text);
  }
  return RecordStream(std::move(impl));
}

Result<bool> RecordStream::next(StreamedRecord& out) {
  Impl& s = *impl_;
  out = StreamedRecord{};
  if (s.kind == Kind::whole) {
    if (s.whole_next >= s.whole.size()) return false;
    Record& r = s.whole[s.whole_next++];
    out.number = r.index + 1;
    out.line = r.line;
    out.record = std::move(r);
    return true;
  }
  const bool csv = s.kind == Kind::csv;
  std::string text;
  int first = 0;
  bool overlong = false;
  for (;;) {
    SDC_TRY_ASSIGN(const bool got, s.cut(csv, text, first, overlong));
    if (!got) return false;
    if (overlong) break;
    const auto p = text.find_first_not_of(" \t\r");
    if (p != std::string::npos) break;  // blank lines are not records
  }
  out.number = ++s.number;
  out.line = first;
  if (overlong) {
    out.error = Error(Errc::invalid_record,
                      csv ? "the row is longer than 1 MiB: a quoted field is probably never closed."
                          : "the line is longer than 1 MiB.",
                      csv ? "close the quote (\") or double an inner quote (\"\")." : "write one record per line.",
                      Where{.file = s.name, .line = first, .record = out.number - 1});
    return true;
  }
  auto parsed = csv ? detail::parse_csv(s.header + "\n" + text + "\n", s.name, s.base_dir)
                    : detail::parse_json_records(text, s.name, s.base_dir, true);
  if (!parsed) {
    out.error = s.relocate(parsed.error(), first, out.number - 1);
    return true;
  }
  if (parsed->size() != 1) {
    out.error = Error(Errc::invalid_record, "expected one record here.", "write one record per row or line.",
                      Where{.file = s.name, .line = first, .record = out.number - 1});
    return true;
  }
  Record r = std::move(parsed->front());
  r.index = out.number - 1;
  r.line = first;
  out.record = std::move(r);
  return true;
}

double RecordStream::fraction() const noexcept {
  if (impl_->size == 0) return 1.0;
  return std::min(1.0, static_cast<double>(impl_->consumed) / static_cast<double>(impl_->size));
}

}  // namespace sdc
