// One card's files appear together or not at all, and two exports into one folder never mix
// (hostile inputs 16 and 17: a failed render left front.png and back.png without seal.txt; two
// runs into one --out gave the front of one card with the back and seal of another).
#include <gtest/gtest.h>
#include <sdc/export.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "color/print_support.hpp"
#include "core/atomic_file.hpp"
#include "export/temp_folder.hpp"

namespace sdc {
namespace {

namespace fs = std::filesystem;

struct Dir : test::TempFolder {
  Dir() : TempFolder("sdc-all-or-nothing") {}
};

ExportRequest png_and_seal() {
  ExportRequest r;
  r.resources = Resources::at(SDC_SOURCE_DIR);
  r.dpi = Dpi{150};
  r.png = r.seal_text = true;
  return r;
}

TEST(ExportAllOrNothing, AFailingOutputLeavesNoneOfTheOthers) {
  const auto& s = test::specimen();
  Dir dir;
  // seal.txt cannot be written (a folder has its name): front.png and back.png, written before
  // it, must not appear either, nor any temporary file.
  fs::create_directories(dir.path / "seal.txt");
  auto out = export_card_to(s.card, s.renderer, png_and_seal(), dir.path);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), Errc::io);
  EXPECT_EQ(out.error().where().file, (dir.path / "seal.txt").string());
  EXPECT_EQ(dir.names(), std::vector<std::string>{"seal.txt"});
  // With the obstacle gone, all three appear.
  fs::remove(dir.path / "seal.txt");
  out = export_card_to(s.card, s.renderer, png_and_seal(), dir.path);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"back.png", "front.png", "seal.txt"}));
}

TEST(ExportAllOrNothing, StagedFilesVanishUnlessCommitted) {
  Dir dir;
  const std::vector<std::uint8_t> bytes = {1, 2, 3};
  {
    detail::StagedFiles staged;
    ASSERT_TRUE(staged.stage(dir.path / "a.bin", bytes));
    ASSERT_TRUE(staged.stage(dir.path / "b.bin", bytes));
    EXPECT_EQ(dir.names().size(), 2u);  // two hidden temporaries, no final name yet
    for (const auto& n : dir.names()) EXPECT_EQ(n[0], '.') << n;
  }
  EXPECT_TRUE(dir.names().empty());
  detail::StagedFiles staged;
  ASSERT_TRUE(staged.stage(dir.path / "a.bin", bytes));
  ASSERT_TRUE(staged.commit());
  EXPECT_EQ(dir.names(), std::vector<std::string>{"a.bin"});
}

TEST(ExportAllOrNothing, AnExportWaitsForTheFolderLockAndAnotherProcessIsNamed) {
  const auto& s = test::specimen();
  Dir dir;
  auto held = detail::FolderLock::acquire(dir.path);
  ASSERT_TRUE(held);
  // A second holder gives up after its wait with a clear error.
  auto second = detail::FolderLock::acquire(dir.path, 100);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find("another sdc process is writing into this folder"), std::string::npos);
  // An export started while the folder is held waits, then writes once the holder is done.
  std::atomic<bool> released{false};
  std::thread holder([&, lock = std::move(*held)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    released = true;
    { auto drop = std::move(lock); }
  });
  auto out = export_card_to(s.card, s.renderer, png_and_seal(), dir.path);
  holder.join();
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_TRUE(released.load());
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"back.png", "front.png", "seal.txt"}));
}

}  // namespace
}  // namespace sdc
