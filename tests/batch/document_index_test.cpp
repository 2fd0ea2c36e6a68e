// The batch's duplicate check: every number is found again with its first record, whatever the
// growth of the table and the blocks; numbers that share a hash bucket or a prefix stay apart.
#include "batch/document_index.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace sdc::detail {
namespace {

std::string number_of(long i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "XB%07ld", i);
  return buf;
}

TEST(DocumentIndex, FindsEveryNumberAgainWithItsFirstRecord) {
  DocumentIndex index;
  constexpr long kCount = 200'000;  // several table growths, some 80 blocks
  for (long i = 0; i < kCount; ++i) ASSERT_FALSE(index.insert(number_of(i), i + 1)) << i;
  EXPECT_EQ(index.size(), static_cast<std::size_t>(kCount));
  for (long i = 0; i < kCount; i += 7) {
    const auto first = index.insert(number_of(i), kCount + i);
    ASSERT_TRUE(first) << i;
    EXPECT_EQ(*first, i + 1);
  }
  EXPECT_EQ(index.size(), static_cast<std::size_t>(kCount)) << "a duplicate is not held";
  // What a batch of 200,000 nine-character numbers costs: under 40 bytes each (35 when measured; a
  // hash map of strings took 84).
  EXPECT_LT(index.bytes(), static_cast<std::size_t>(kCount) * 40) << index.bytes();
}

TEST(DocumentIndex, PrefixesEmptyAndLongNumbersAreDistinct) {
  DocumentIndex index;
  EXPECT_FALSE(index.insert("A", 1));
  EXPECT_FALSE(index.insert("AB", 2));
  EXPECT_FALSE(index.insert("", 3));
  EXPECT_EQ(index.insert("A", 4).value_or(0), 1);
  EXPECT_EQ(index.insert("AB", 5).value_or(0), 2);
  EXPECT_EQ(index.insert("", 6).value_or(0), 3);
  const std::string big(DocumentIndex::kMaxNumber, 'x');
  EXPECT_FALSE(index.insert(big, 7));
  EXPECT_EQ(index.insert(big, 8).value_or(0), 7) << "a number of kMaxNumber bytes is held";
  const std::string huge(DocumentIndex::kMaxNumber + 1, 'x');
  EXPECT_FALSE(index.insert(huge, 9));
  EXPECT_FALSE(index.insert(huge, 10)) << "longer numbers are not held";
  // An entry never straddles two blocks: numbers of 3 KB fill some 20 to a block.
  const std::string wide(3000, 'w');
  for (long i = 0; i < 100; ++i) ASSERT_FALSE(index.insert(wide + std::to_string(i), 100 + i));
  for (long i = 0; i < 100; ++i) ASSERT_EQ(index.insert(wide + std::to_string(i), 0).value_or(0), 100 + i);
}

}  // namespace
}  // namespace sdc::detail
