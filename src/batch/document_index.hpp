// The batch's duplicate check: every document number read so far, with the record that first used
// it, in a few bytes more than the numbers themselves. A batch of 100,000 records holds 100,000 of
// them; std::unordered_map<std::string, long> took 84 bytes per record (a node, a string, a bucket),
// this takes about 35 for a 9-character number (bench/RESULTS.md, "batch").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace sdc::detail {

class DocumentIndex {
 public:
  // Records `number` under `record` and returns nothing, or, when `number` is already held,
  // returns the record that holds it and changes nothing. Numbers longer than kMaxNumber bytes are
  // not held (no document number rule allows them; such a record fails validation). Throws
  // std::length_error past 16 GiB of numbers (some 700 million records: shard the batch).
  std::optional<long> insert(std::string_view number, long record);

  std::size_t size() const { return count_; }
  // Bytes allocated (blocks and slots).
  std::size_t bytes() const { return blocks_.size() * kBlock + slots_.capacity() * sizeof(std::uint32_t); }

  static constexpr std::size_t kMaxNumber = 4096;

 private:
  // Entries are packed into 64 KiB blocks that never move, at 4-byte boundaries: the record (8
  // bytes), the number's length (4 bytes), the number. A slot holds an entry's offset / 4 + 1 (0:
  // empty); open addressing, linear probing, at most 70 % full.
  static constexpr std::size_t kBlock = 64 * 1024;
  struct Entry {
    long record;
    std::string_view number;
  };
  Entry entry_at(std::uint32_t slot) const;
  std::uint32_t append(std::string_view number, long record);
  void grow();

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = kBlock;  // bytes used in the last block
  std::vector<std::uint32_t> slots_;
  std::size_t count_ = 0;
};

}  // namespace sdc::detail
