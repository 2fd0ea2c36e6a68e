#include <sdc/export.hpp>

#include "core/atomic_file.hpp"

namespace sdc {

Status write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  return detail::write_bytes_atomically(path, bytes);
}

}  // namespace sdc
