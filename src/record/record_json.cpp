#include <nlohmann/json.hpp>

#include "json/json_util.hpp"
#include "record/record_internal.hpp"

namespace sdc::detail {

namespace {

Result<Record> record_from_json(const nlohmann::json& j, const std::string& name, const std::filesystem::path& base_dir,
                                long index, int line) {
  Where w{.file = name, .line = line, .record = index};
  if (!j.is_object())
    return Error(Errc::invalid_record, "a record must be a JSON object of field names to values.",
                 "write {\"surname\": \"...\", ...}.", w);
  if (j.size() > kMaxRecordFields)
    return Error(Errc::invalid_record,
                 "the record has " + std::to_string(j.size()) + " fields; at most " + std::to_string(kMaxRecordFields) +
                     " are read.",
                 "keep only the fields the template uses.", w);
  Record rec;
  rec.source = name;
  rec.base_dir = base_dir;
  rec.index = index;
  rec.line = line;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    std::string value;
    if (v.is_string())
      value = v.get<std::string>();
    else if (v.is_number_integer())
      value = std::to_string(v.get<long long>());
    else if (v.is_null())
      value = "";
    else {
      w.field = it.key();
      return Error(Errc::invalid_record, "field '" + it.key() + "' must be a string.",
                   "quote the value; write numbers such as registration numbers as strings to keep leading zeros.", w);
    }
    rec.fields.emplace_back(it.key(), std::move(value));
  }
  return rec;
}

Error too_many_records(const std::string& name) {
  return Error(Errc::limit_exceeded,
               "the file holds more than " + std::to_string(kMaxRecordsInFile) + " records, more than is read at once.",
               "run it with 'sdc batch', which streams any number of records, or split the file.", Where{.file = name});
}

}  // namespace

Result<std::vector<Record>> parse_json_records(std::string_view text, const std::string& name,
                                               const std::filesystem::path& base_dir, bool lines) {
  std::vector<Record> out;
  if (lines) {
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
      const auto nl = text.find('\n', pos);
      std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      ++line_no;
      pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
      if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      SDC_TRY_ASSIGN(auto j, parse_json_text(line, name, line_no));
      if (out.size() == kMaxRecordsInFile) return too_many_records(name);
      SDC_TRY_ASSIGN(auto r, record_from_json(j, name, base_dir, static_cast<long>(out.size()), line_no));
      out.push_back(std::move(r));
    }
  } else {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    SDC_TRY_ASSIGN(auto j, parse_json_text(text, name, 1));
    if (j.is_array()) {
      if (j.size() > kMaxRecordsInFile) return too_many_records(name);
      for (std::size_t i = 0; i < j.size(); ++i) {
        SDC_TRY_ASSIGN(auto r, record_from_json((j)[i], name, base_dir, static_cast<long>(i), 0));
        out.push_back(std::move(r));
      }
    } else {
      SDC_TRY_ASSIGN(auto r, record_from_json(j, name, base_dir, 0, 1));
      out.push_back(std::move(r));
    }
  }
  if (out.empty())
    return Error(Errc::invalid_record, "the file holds no records.", "add at least one record object.",
                 Where{.file = name});
  return out;
}

}  // namespace sdc::detail
