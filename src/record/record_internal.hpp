#pragma once

#include <sdc/record.hpp>

namespace sdc::detail {

Result<std::vector<Record>> parse_csv(std::string_view text, const std::string& name,
                                      const std::filesystem::path& base_dir);
Result<std::vector<Record>> parse_json_records(std::string_view text, const std::string& name,
                                               const std::filesystem::path& base_dir, bool lines);

}  // namespace sdc::detail
