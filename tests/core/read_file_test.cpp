// Input files: only regular files are read, never blocking, never past their limit
// (hostile inputs #7 and #24: /dev/zero and FIFOs as template, record, profile or passphrase).
#include <sdc/color.hpp>
#include <sdc/export.hpp>
#include <sdc/record.hpp>
#include <sdc/seal.hpp>
#include <sdc/template.hpp>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/read_file.hpp"

namespace sdc {
namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("sdc-read-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(ReadInputFile, ReadsARegularFileWhole) {
  TempDir d;
  const auto f = d.path / "a.txt";
  std::ofstream(f) << "hello";
  auto r = detail::read_input_file(f, 100, "test file");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(*r, "hello");
  auto over = detail::read_input_file(f, 4, "test file");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code(), Errc::limit_exceeded);
}

TEST(ReadInputFile, RefusesFifosDevicesAndFoldersWithoutBlocking) {
  TempDir d;
  const auto fifo = d.path / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto& [path, kind] : {std::pair{fifo, "FIFO"}, std::pair{std::filesystem::path("/dev/zero"), "device"},
                                   std::pair{d.path, "folder"}}) {
    auto r = detail::read_input_file(path, 1 << 20, "template file");  // a FIFO without writer would hang here
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().code(), Errc::io) << path;
    EXPECT_NE(r.error().to_string().find(kind), std::string::npos) << r.error().to_string();
    EXPECT_NE(r.error().to_string().find(path.string()), std::string::npos) << r.error().to_string();
  }
  auto missing = detail::read_input_file(d.path / "missing", 10, "record file");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
}

TEST(ReadInputFile, EveryPublicLoaderUsesIt) {
  TempDir d;
  const auto fifo = d.path / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(Template::load(fifo).error().code(), Errc::io);
  EXPECT_EQ(Template::load("/dev/zero").error().code(), Errc::io);
  EXPECT_EQ(load_records("/dev/zero").error().code(), Errc::io);
  EXPECT_EQ(load_printer_profile(fifo).error().code(), Errc::io);
  EXPECT_EQ(read_passphrase_file("/dev/zero").error().code(), Errc::io);
  EXPECT_EQ(read_passphrase_file(fifo).error().code(), Errc::io);
  EXPECT_FALSE(load_signer(fifo, fifo));
  auto icc = ColorTransform::create({.output_profile = "/dev/zero"});
  ASSERT_FALSE(icc);
  EXPECT_EQ(icc.error().to_string().find("does not exist"), std::string::npos) << "it exists: say what it is";
  EXPECT_FALSE(TrustStore::load(fifo));
}

}  // namespace
}  // namespace sdc
