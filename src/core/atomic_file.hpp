// Atomic file output: write to a temporary file beside the destination, fsync, rename.
#pragma once

#include <sdc/error.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>

namespace sdc::detail {

/// Opens a temporary file next to `path`, lets `write` fill it through a FILE*, then flushes,
/// fsyncs and renames it to `path`. On any failure the temporary file is removed and `path` is
/// left as it was. `write` returns an error to abort. A `path` that exists and is not a regular
/// file (folder, FIFO, device, socket, or a symbolic link to one of these) is refused with
/// Errc::io before anything is written; a symbolic link to a regular file is itself replaced
/// (its target is not written).
Status write_atomically(const std::filesystem::path& path, const std::function<Status(std::FILE*)>& write);

/// The same for writers that need a file name (libtiff, Cairo's PDF surface): `write` gets the
/// temporary path, creates the file there and closes it before returning.
Status write_atomically_named(const std::filesystem::path& path,
                              const std::function<Status(const std::filesystem::path& tmp)>& write);

/// Writes bytes to `path` atomically (temporary file + rename).
Status write_bytes_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace sdc::detail
