#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace sdc::detail {

namespace {

Error io_error(const std::filesystem::path& path, const std::string& what, int err) {
  return Error(Errc::io, what + ": " + std::strerror(err) + ".",
               "check that the folder exists, is writable and the disk has room.", Where{.file = path.string()});
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// rename() replaces whatever has the name, so a device, FIFO or socket under the output name would
// be swapped for a regular file (as root, --out /dev/null turned /dev/null into a file). Only a
// regular file, a symbolic link to one (the link is replaced, its target never written) or a
// dangling link may be replaced. Checked before writing and again just before the rename; a
// swap in between by someone who can write to the folder is not prevented.
Status check_target(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return io_error(path, "cannot inspect the output path", errno);
  }
  if (S_ISREG(st.st_mode)) return {};
  bool link = false;
  if (S_ISLNK(st.st_mode)) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0 || S_ISREG(target.st_mode)) return {};
    link = true;
    st = target;
  }
  const std::string what = std::string(link ? "is a symbolic link to " : "is ") + kind_of(st.st_mode);
  return Error(Errc::io, "the output path " + what + "; sdc writes only regular files and will not replace it.",
               S_ISDIR(st.st_mode) ? "give a file name inside the folder, or another path."
                                   : "give the path of a regular file (or one that does not exist yet); to "
                                     "discard the output, write it into a temporary folder and delete it.",
               Where{.file = path.string()});
}

// A unique temporary name in the same folder (so rename is atomic): ".<name>.tmp-XXXXXX".
Result<std::pair<int, std::filesystem::path>> make_temp(const std::filesystem::path& path) {
  SDC_TRY(check_target(path));
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Error(Errc::io, "the output folder " + dir.string() + " does not exist.",
                 "create it first or choose another output path.", Where{.file = path.string()});
  std::string templ = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) return io_error(path, "cannot create a temporary file in " + dir.string(), errno);
  ::fchmod(fd, 0644);
  return std::make_pair(fd, std::filesystem::path(templ));
}

// Files this large are written around the page cache (O_DIRECT): a card's uncompressed TIFF
// copied into the page cache and written back later cost 6 to 10 ms of CPU per 5.5 MB card on
// the development machine, written directly 1.3 to 1.6 (bench/RESULTS.md, twelfth session).
// The bytes go through a small aligned buffer, as O_DIRECT needs the memory, the offset and the
// length aligned; the tail after the last whole block is written through the page cache. A file
// system that refuses O_DIRECT (tmpfs on older kernels, some network file systems) gets every
// byte through the page cache; the fsync after it makes both ways equally durable.
constexpr std::size_t kDirectMin = std::size_t{1} << 20;
constexpr std::size_t kDirectAlign = 4096;  // a multiple of every disk's logical block size
constexpr std::size_t kDirectChunk = std::size_t{1} << 20;

struct FreeDeleter {
  void operator()(std::uint8_t* p) const noexcept { std::free(p); }
};

// Writes all of `bytes` at the current offset of `fd`. Returns 0 or the errno of the failure.
int write_all(int fd, std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  const int flags = bytes.size() >= kDirectMin ? ::fcntl(fd, F_GETFL) : -1;
  if (flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0) {
    const std::unique_ptr<std::uint8_t, FreeDeleter> bounce(
        static_cast<std::uint8_t*>(std::aligned_alloc(kDirectAlign, kDirectChunk)));
    const std::size_t whole = bytes.size() / kDirectAlign * kDirectAlign;
    while (bounce && done < whole) {
      const std::size_t n = std::min(kDirectChunk, whole - done);
      std::memcpy(bounce.get(), bytes.data() + done, n);
      const ssize_t w = ::write(fd, bounce.get(), n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EINVAL) break;  // direct I/O refused here: the rest through the cache
      if (w < 0) return errno;
      if (w == 0) return ENOSPC;
      done += static_cast<std::size_t>(w);
      if (static_cast<std::size_t>(w) % kDirectAlign != 0) break;  // short: the offset is unaligned now
    }
    if (::fcntl(fd, F_SETFL, flags) != 0) return errno;
  }
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return ENOSPC;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

Status finish(int fd, const std::filesystem::path& tmp, const std::filesystem::path& path) {
  if (fd >= 0 && ::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    std::filesystem::remove(tmp);
    return io_error(path, "cannot flush the file to disk", e);
  }
  if (fd >= 0 && ::close(fd) != 0) {
    const int e = errno;
    std::filesystem::remove(tmp);
    return io_error(path, "cannot close the file", e);
  }
  if (auto st = check_target(path); !st) {
    std::filesystem::remove(tmp);
    return st;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::filesystem::remove(tmp);
    return io_error(path, "cannot move the finished file into place", e);
  }
  return {};
}

}  // namespace

Status write_atomically(const std::filesystem::path& path, const std::function<Status(std::FILE*)>& write) {
  SDC_TRY_ASSIGN(auto t, make_temp(path));
  auto [fd, tmp] = t;
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    const int e = errno;
    ::close(fd);
    std::filesystem::remove(tmp);
    return io_error(path, "cannot open the temporary file", e);
  }
  Status st = write(f);
  if (st && std::fflush(f) != 0) st = io_error(path, "cannot write the file", errno);
  if (st && ::fsync(::fileno(f)) != 0) st = io_error(path, "cannot flush the file to disk", errno);
  if (std::fclose(f) != 0 && st) st = io_error(path, "cannot close the file", errno);
  if (!st) {
    std::filesystem::remove(tmp);
    return st;
  }
  return finish(-1, tmp, path);
}

Status write_atomically_named(const std::filesystem::path& path,
                              const std::function<Status(const std::filesystem::path& tmp)>& write) {
  SDC_TRY_ASSIGN(auto t, make_temp(path));
  auto [fd, tmp] = t;
  ::close(fd);
  Status st = write(tmp);
  if (!st) {
    std::filesystem::remove(tmp);
    return st;
  }
  const int rfd = ::open(tmp.c_str(), O_RDONLY);
  return finish(rfd, tmp, path);
}

Status write_bytes_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  SDC_TRY_ASSIGN(auto t, make_temp(path));
  auto [fd, tmp] = t;
  if (const int e = write_all(fd, bytes); e != 0) {
    ::close(fd);
    std::filesystem::remove(tmp);
    return io_error(path, "cannot write the file", e);
  }
  return finish(fd, tmp, path);
}

StagedFiles::~StagedFiles() {
  for (const auto& [tmp, path] : staged_) ::unlink(tmp.c_str());
}

Status StagedFiles::stage(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  SDC_TRY_ASSIGN(auto t, make_temp(path));
  auto [fd, tmp] = std::move(t);
  staged_.emplace_back(tmp, path);  // removed by the destructor from here on
  if (const int e = write_all(fd, bytes); e != 0) {
    ::close(fd);
    return io_error(path, "cannot write the file", e);
  }
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    return io_error(path, "cannot flush the file to disk", e);
  }
  if (::close(fd) != 0) return io_error(path, "cannot close the file", errno);
  return {};
}

Status StagedFiles::commit() {
  for (const auto& [tmp, path] : staged_) SDC_TRY(check_target(path));
  while (!staged_.empty()) {
    const auto& [tmp, path] = staged_.front();
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      return io_error(path, "cannot move the finished file into place", errno);
    staged_.erase(staged_.begin());
  }
  return {};
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

Result<FolderLock> FolderLock::acquire(const std::filesystem::path& dir, int wait_ms) {
  FolderLock lock;
  lock.fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock.fd_ < 0) return io_error(dir, "cannot open the output folder", errno);
  for (int waited = 0;; waited += 50) {
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) == 0) return lock;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      // A file system without flock on folders (NFS emulates it with write locks, which a folder
      // opened for reading cannot take): export unlocked rather than not at all.
      ::close(std::exchange(lock.fd_, -1));
      return lock;
    }
    if (waited >= wait_ms)
      return Error(Errc::io, "another sdc process is writing into this folder.",
                   "wait for it to finish, or write into another folder: two cards in one folder would mix their "
                   "files.",
                   Where{.file = dir.string()});
    ::usleep(50 * 1000);
  }
}

}  // namespace sdc::detail
