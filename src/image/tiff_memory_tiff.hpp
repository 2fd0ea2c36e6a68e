// Internal: reading a TIFF from memory with libtiff, with per-handle (thread-safe, silent) error
// handlers that keep the first message. Shared by the header reader and the pixel decoder.
#pragma once

#include <tiffio.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace sdc::detail {

struct TiffMemFile {
  const std::uint8_t* data;
  std::size_t size;
  toff_t pos = 0;
  std::string error;  ///< libtiff's first error message ("module: text")
};

/// An open TIFF that closes itself.
struct TiffHandle {
  TIFF* t = nullptr;
  TiffHandle() = default;
  explicit TiffHandle(TIFF* tif) : t(tif) {}
  TiffHandle(const TiffHandle&) = delete;
  TiffHandle& operator=(const TiffHandle&) = delete;
  ~TiffHandle() {
    if (t != nullptr) TIFFClose(t);
  }
};

/// Opens `file` read-only, never memory-mapped; null on failure (`file.error` says why, or "" when
/// libtiff could not allocate). `max_single_alloc` > 0 caps any one allocation of libtiff's.
TIFF* open_tiff_memory(TiffMemFile& file, tmsize_t max_single_alloc = 0);

}  // namespace sdc::detail
