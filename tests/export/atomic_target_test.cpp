// Outputs replace only regular files: a FIFO, folder, device or a symbolic link to one of them
// under the output name is refused and left exactly as it was, with no temporary file behind
// (rename() would otherwise swap it for a regular file: as root, --out /dev/null did).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <sdc/export.hpp>
#include <sdc/image.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "export/temp_folder.hpp"

namespace sdc {
namespace {

namespace fs = std::filesystem;

struct Dir : test::TempFolder {
  Dir() : TempFolder("sdc-atomic-target") {}
};

struct ::stat lstat_of(const fs::path& p) {
  struct ::stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

// Every way sdc writes an output: raw bytes, a FILE* writer (PNG) and a named-file writer (TIFF).
std::vector<std::pair<std::string, std::function<Status(const fs::path&)>>> writers() {
  return {{"write_file_atomic",
           [](const fs::path& p) {
             return write_file_atomic(p, std::vector<std::uint8_t>{1, 2, 3});
           }},
          {"write_png",
           [](const fs::path& p) {
             Image im(4, 4, PixelFormat::rgb8);
             return write_png(im.view(), p);
           }},
          {"write_atomically_named", [](const fs::path& p) {
             return detail::write_atomically_named(p, [](const fs::path& tmp) -> Status {
               std::ofstream(tmp) << "proof";
               return {};
             });
           }}};
}

// Runs every writer against `target` and checks the refusal; `same` checks the target afterwards.
void expect_refused(const Dir& dir, const fs::path& target, const std::string& kind,
                    const std::function<void()>& same) {
  const auto before = dir.names();
  for (const auto& [name, write] : writers()) {
    SCOPED_TRACE(name);
    const Status st = write(target);
    ASSERT_FALSE(st) << "replaced " << kind;
    EXPECT_EQ(st.error().code(), Errc::io);
    EXPECT_EQ(st.error().where().file, target.string());
    EXPECT_NE(st.error().message().find(kind), std::string::npos) << st.error().to_string();
    EXPECT_FALSE(st.error().hint().empty());
    same();
    EXPECT_EQ(dir.names(), before) << "a temporary file was left behind";
  }
}

TEST(AtomicTarget, AFifoIsNotReplaced) {
  Dir dir;
  const auto fifo = dir.path / "front.png";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto ino = lstat_of(fifo).st_ino;
  expect_refused(dir, fifo, "named pipe", [&] {
    const auto st = lstat_of(fifo);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(st.st_ino, ino);
  });
}

TEST(AtomicTarget, AFolderIsNotReplaced) {
  Dir dir;
  const auto folder = dir.path / "card.png";
  fs::create_directory(folder);
  std::ofstream(folder / "inside.txt") << "kept";
  expect_refused(dir, folder, "folder", [&] {
    EXPECT_TRUE(S_ISDIR(lstat_of(folder).st_mode));
    EXPECT_TRUE(fs::exists(folder / "inside.txt"));
  });
}

TEST(AtomicTarget, ASymlinkToAFifoIsNotReplaced) {
  Dir dir;
  const auto fifo = dir.path / "pipe";
  const auto link = dir.path / "front.png";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  fs::create_symlink(fifo, link);
  expect_refused(dir, link, "symbolic link to a named pipe", [&] {
    EXPECT_TRUE(S_ISLNK(lstat_of(link).st_mode));
    EXPECT_EQ(fs::read_symlink(link), fifo);
    EXPECT_TRUE(S_ISFIFO(lstat_of(fifo).st_mode));
  });
}

TEST(AtomicTarget, ACharacterDeviceIsNotReplaced) {
  if (::geteuid() != 0) GTEST_SKIP() << "creating a device node needs root";
  Dir dir;
  const auto dev = dir.path / "null";
  // Same numbers as /dev/null (1, 3), in a private folder so the real one is never at risk.
  if (::mknod(dev.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0)
    GTEST_SKIP() << "mknod refused here (a container without CAP_MKNOD?)";
  expect_refused(dir, dev, "character device", [&] {
    const auto st = lstat_of(dev);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_EQ(st.st_rdev, ::makedev(1, 3));
  });
}

// Documented choice: a symbolic link to a regular file is itself replaced; its target is not
// written (so a link planted in a shared folder cannot make sdc overwrite another file).
TEST(AtomicTarget, ASymlinkToARegularFileIsReplacedAndItsTargetKept) {
  Dir dir;
  const auto other = dir.path / "other.txt";
  const auto link = dir.path / "out.bin";
  std::ofstream(other) << "untouched";
  fs::create_symlink(other, link);
  ASSERT_TRUE(write_file_atomic(link, std::vector<std::uint8_t>{'n', 'e', 'w'}));
  EXPECT_TRUE(S_ISREG(lstat_of(link).st_mode));
  std::ifstream in(other);
  std::string s;
  in >> s;
  EXPECT_EQ(s, "untouched");
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"other.txt", "out.bin"}));
}

}  // namespace
}  // namespace sdc
