// Atomic file output: write to a temporary file beside the destination, fsync, rename.
#pragma once

#include <sdc/error.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <utility>
#include <vector>

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

/// Several files that appear together or not at all (a card's front, back and seal). `stage`
/// writes each to a temporary file beside its destination (checked as write_atomically checks it)
/// and flushes it to disk; `commit` renames them all into place once every one is written. A set
/// destroyed without a successful commit removes its temporary files, so a failed export leaves
/// the folder as it was. Not thread-safe; one set per export.
class StagedFiles {
 public:
  StagedFiles() = default;
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  Status stage(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);
  /// Renames every staged file into place, in staging order. A failure part-way (the folder
  /// removed under us) reports the first file not moved; those already moved stay.
  Status commit();

 private:
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // (temporary, final)
};

/// An exclusive lock on a folder, held while this value lives: two processes exporting into one
/// folder would otherwise mix their files (the front of one card with the back of another).
/// flock(2) on the folder itself, so nothing is created in it; released by the kernel when the
/// process dies. `acquire` waits up to `wait_ms` for the holder to finish, then fails with
/// Errc::io naming the folder. On a file system that cannot lock a folder (NFS) it returns an
/// empty lock: the export goes on unprotected rather than failing.
class FolderLock {
 public:
  FolderLock() = default;
  ~FolderLock();
  FolderLock(FolderLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FolderLock& operator=(FolderLock&&) = delete;
  static Result<FolderLock> acquire(const std::filesystem::path& dir, int wait_ms = 10000);

 private:
  int fd_ = -1;
};

}  // namespace sdc::detail
