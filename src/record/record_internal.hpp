#pragma once

#include <sdc/record.hpp>

namespace sdc::detail {

/// A record has a few dozen fields; 100,000 columns made the header check quadratic (17 s).
inline constexpr std::size_t kMaxRecordFields = 1024;
/// Whole-file loading (load_records) holds every record in memory: beyond this, stream with
/// RecordStream / sdc batch. A million-row CSV took 2.5 GB.
inline constexpr std::size_t kMaxRecordsInFile = 100000;

Result<std::vector<Record>> parse_csv(std::string_view text, const std::string& name,
                                      const std::filesystem::path& base_dir);
Result<std::vector<Record>> parse_json_records(std::string_view text, const std::string& name,
                                               const std::filesystem::path& base_dir, bool lines);

}  // namespace sdc::detail
