// Files of a megabyte and more are written around the page cache (O_DIRECT) through an aligned
// buffer, with the tail after the last whole block written through the cache: every size, source
// alignment and file system must still give the bytes back exactly, with no temporary file left.
#include <gtest/gtest.h>
#include <unistd.h>
#include <sdc/export.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "export/temp_folder.hpp"

namespace sdc {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> pattern(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

std::vector<std::uint8_t> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Sizes around the thresholds: below the direct path, exactly one chunk, one byte over, a tail of
// a block less one byte, and a card's uncompressed TIFF.
const std::size_t kSizes[] = {(std::size_t{1} << 20) - 1, std::size_t{1} << 20, (std::size_t{1} << 20) + 1,
                              3 * (std::size_t{1} << 20) + 4095, 5'500'123};

void expect_written_whole(const fs::path& dir) {
  unsigned seed = 1;
  for (const std::size_t n : kSizes) {
    SCOPED_TRACE(n);
    // One byte more than asked, written from the second byte: a source that is not aligned.
    const auto bytes = pattern(n + 1, seed++);
    const std::span<const std::uint8_t> src = std::span(bytes).subspan(1);
    const fs::path one = dir / ("one-" + std::to_string(n));
    ASSERT_TRUE(write_file_atomic(one, src));
    EXPECT_TRUE(read_all(one) == std::vector<std::uint8_t>(src.begin(), src.end()));

    const fs::path staged = dir / ("staged-" + std::to_string(n));
    {
      detail::StagedFiles set;
      ASSERT_TRUE(set.stage(staged, src));
      ASSERT_TRUE(set.commit());
    }
    EXPECT_TRUE(read_all(staged) == std::vector<std::uint8_t>(src.begin(), src.end()));

    // Replacing a longer file leaves no byte of the old one.
    ASSERT_TRUE(write_file_atomic(one, src.first(n / 2)));
    EXPECT_TRUE(read_all(one) == std::vector<std::uint8_t>(src.begin(), src.begin() + n / 2));
  }
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(AtomicFile, LargeFilesOfEverySizeAndAlignmentAreWrittenWhole) {
  test::TempFolder dir("sdc-atomic-large");
  expect_written_whole(dir.path);
}

// tmpfs takes O_DIRECT on newer kernels and refuses it on older ones; both ways give the bytes.
TEST(AtomicFile, LargeFilesAreWrittenWholeOnTmpfs) {
  std::error_code ec;
  if (!fs::is_directory("/dev/shm", ec)) GTEST_SKIP() << "no /dev/shm on this machine";
  const fs::path dir = fs::path("/dev/shm") / ("sdc-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir, ec);
  if (ec) GTEST_SKIP() << "/dev/shm is not writable: " << ec.message();
  expect_written_whole(dir);
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace sdc
