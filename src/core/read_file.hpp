// Reading whole input files safely: templates, records, profiles, keys, fonts.
#pragma once

#include <sdc/error.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sdc::detail {

/// Reads a whole input file of at most `max_bytes`. Only a regular file (or a symbolic link to
/// one) is read: a directory, FIFO, device or socket is refused at once and never blocks (the file
/// is opened with O_NONBLOCK and checked with fstat before any read), so `/dev/zero` or a FIFO
/// without a writer cannot hang or exhaust memory. `what` names the input in messages ("template",
/// "record file"). Errors: Errc::io (missing, unreadable, not a regular file: says what it is),
/// Errc::limit_exceeded (larger than `max_bytes`), naming the file.
Result<std::string> read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what);

/// The same as bytes.
Result<std::vector<std::uint8_t>> read_input_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                                   std::string_view what);

}  // namespace sdc::detail
