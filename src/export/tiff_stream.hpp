// Streaming CMYK TIFF output: pages written scanline by scanline, so an image never has to be held
// whole in memory (press sheets). Used by encode_cmyk_tiff (in memory) and write_sheet (to a file).
#pragma once

#include <sdc/error.hpp>
#include <sdc/export.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sdc::detail {

class CmykTiffStream {
 public:
  /// Creates the TIFF file at `file` (a temporary path); `display` names the final path in errors.
  static Result<std::unique_ptr<CmykTiffStream>> open(const std::filesystem::path& file,
                                                      const std::filesystem::path& display);
  /// Writes the TIFF into `out` (cleared first; must outlive the stream). Errors name no file.
  static Result<std::unique_ptr<CmykTiffStream>> open_memory(std::vector<std::uint8_t>& out);
  ~CmykTiffStream();
  CmykTiffStream(const CmykTiffStream&) = delete;
  CmykTiffStream& operator=(const CmykTiffStream&) = delete;

  /// Starts page `index` of `count` (count 0: unknown, no PageNumber tag).
  Status begin_page(int width, int height, const CmykTiffOptions& options, int index, int count,
                    const std::string& name);
  /// Writes the next row (width * 4 bytes, cmyk8); rows must come in order.
  Status write_row(const std::uint8_t* row);
  /// Writes every row of the page at once (`page` is width x height cmyk8; no row written yet):
  /// uncompressed, whole strips go to libtiff without its copy of each row. The same bytes as
  /// write_row for each row.
  Status write_rows(const ImageView& page);
  /// Finishes the page (all rows must have been written).
  Status end_page();
  /// Flushes and closes the file.
  Status close();

  struct Impl;

 private:
  CmykTiffStream() = default;
  std::unique_ptr<Impl> impl_;
};

/// `encode_cmyk_tiff` into `out` (cleared first; its capacity is reused, so a caller that keeps the
/// buffer from card to card allocates no new memory for the file). The same bytes.
Status encode_cmyk_tiff_into(std::span<const ImageView> pages, const CmykTiffOptions& options,
                             std::vector<std::uint8_t>& out);

}  // namespace sdc::detail
