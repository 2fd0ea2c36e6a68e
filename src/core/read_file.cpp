#include "core/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sdc::detail {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

template <class Bytes>
Result<Bytes> read_whole(const std::filesystem::path& path, std::uintmax_t max_bytes, std::string_view what) {
  const std::string w(what);
  const Where where{.file = path.string()};
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int e = errno;
    return Error(Errc::io, "cannot open the " + w + ": " + std::strerror(e) + ".",
                 e == ENOENT ? "check the path." : "check the path and its permissions.", where);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Error(Errc::io, "cannot examine the " + w + ".", "check the path.", where);
  if (!S_ISREG(st.st_mode))
    return Error(Errc::io, "the " + w + " is " + kind_of(st.st_mode) + ", not a regular file.",
                 "give the path of a file.", where);
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max_bytes)
    return Error(Errc::limit_exceeded,
                 "the " + w + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
                     " bytes.",
                 "check that this is the right file.", where);
  Bytes out;
  out.resize(static_cast<std::size_t>(size));
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Error(Errc::io, "cannot read the " + w + ": " + std::strerror(errno) + ".", "check the disk.", where);
    if (n == 0) break;  // shrank while reading: keep what is there
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace

Result<std::string> read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                    std::string_view what) {
  return read_whole<std::string>(path, max_bytes, what);
}

Result<std::vector<std::uint8_t>> read_input_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                                   std::string_view what) {
  return read_whole<std::vector<std::uint8_t>>(path, max_bytes, what);
}

}  // namespace sdc::detail
