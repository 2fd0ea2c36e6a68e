#include "batch/document_index.hpp"

#include <cstring>
#include <functional>
#include <stdexcept>

namespace sdc::detail {

namespace {

constexpr std::size_t kHeader = sizeof(long) + sizeof(std::uint32_t);

std::size_t hash_of(std::string_view s) {
  return std::hash<std::string_view>{}(s);
}

}  // namespace

DocumentIndex::Entry DocumentIndex::entry_at(std::uint32_t slot) const {
  const std::size_t offset = static_cast<std::size_t>(slot - 1) * 4;
  const char* p = blocks_[offset / kBlock].get() + offset % kBlock;
  long record = 0;
  std::uint32_t len = 0;
  std::memcpy(&record, p, sizeof record);
  std::memcpy(&len, p + sizeof record, sizeof len);
  return {record, std::string_view(p + kHeader, len)};
}

std::uint32_t DocumentIndex::append(std::string_view number, long record) {
  const std::size_t need = (kHeader + number.size() + 3) / 4 * 4;
  if (used_ + need > kBlock) {
    if ((blocks_.size() + 1) * kBlock / 4 >= 0xFFFFFFFFu)
      throw std::length_error("more than 16 GiB of document numbers in one batch");
    blocks_.push_back(std::make_unique<char[]>(kBlock));
    used_ = 0;
  }
  char* p = blocks_.back().get() + used_;
  const auto len = static_cast<std::uint32_t>(number.size());
  std::memcpy(p, &record, sizeof record);
  std::memcpy(p + sizeof record, &len, sizeof len);
  std::memcpy(p + kHeader, number.data(), number.size());
  const std::size_t offset = (blocks_.size() - 1) * kBlock + used_;
  used_ += need;
  return static_cast<std::uint32_t>(offset / 4 + 1);
}

void DocumentIndex::grow() {
  std::vector<std::uint32_t> next(slots_.empty() ? 1024 : slots_.size() * 2, 0);
  const std::size_t mask = next.size() - 1;
  for (const std::uint32_t s : slots_) {
    if (!s) continue;
    std::size_t i = hash_of(entry_at(s).number) & mask;
    while (next[i]) i = (i + 1) & mask;
    next[i] = s;
  }
  slots_ = std::move(next);
}

std::optional<long> DocumentIndex::insert(std::string_view number, long record) {
  if (number.size() > kMaxNumber) return std::nullopt;
  if ((count_ + 1) * 10 > slots_.size() * 7) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash_of(number) & mask;
  for (; slots_[i]; i = (i + 1) & mask) {
    const Entry e = entry_at(slots_[i]);
    if (e.number == number) return e.record;
  }
  slots_[i] = append(number, record);
  ++count_;
  return std::nullopt;
}

}  // namespace sdc::detail
