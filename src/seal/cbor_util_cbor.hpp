// libcbor helpers shared by the *_cbor.cpp files of the seal: owning pointers, a streaming
// writer that always chooses the shortest form (deterministic encoding, RFC 8949 §4.2.1), and a
// loader that refuses hostile input before libcbor allocates for it.
// Include only from files whose name ends in _cbor.cpp.
#pragma once

#include <cbor.h>

#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc::detail {

struct CborDeleter {
  void operator()(cbor_item_t* item) const noexcept {
    if (item) cbor_decref(&item);
  }
};
using CborPtr = std::unique_ptr<cbor_item_t, CborDeleter>;

/// Nesting deeper than this is refused: libcbor frees items recursively.
inline constexpr int kMaxCborDepth = 16;

/// Parses one CBOR data item that must span all of `bytes`. Before libcbor builds anything, a
/// streaming pass checks that no container claims more items than there are bytes left (a 5-byte
/// header could otherwise make libcbor allocate gigabytes) and that nesting stays within
/// kMaxCborDepth. On failure returns null and sets `error` to a sentence with the byte offset.
CborPtr cbor_load_checked(std::span<const std::uint8_t> bytes, std::string& error);

/// Appends CBOR to a byte vector with libcbor's streaming encoders (cbor_encode_*): no item tree
/// and no allocation beyond the vector's own, which is what keeps sealing within 20 % of the bare
/// signature (bench/RESULTS.md). Heads always take the shortest form (RFC 8949 §4.2.1).
class CborWriter {
 public:
  explicit CborWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void integer(std::int64_t v);
  void array(std::size_t n);
  void map(std::size_t n);
  void tag(std::uint64_t t);
  void bytes(std::span<const std::uint8_t> b);
  void text(std::string_view s);

 private:
  std::vector<std::uint8_t>& out_;
};

/// Integer map keys seen so far, to refuse duplicates: small keys (0..63, all sdc uses) in a bit
/// mask, others in a set allocated only when one turns up.
class SeenKeys {
 public:
  /// False when `key` was seen before.
  bool insert(std::int64_t key) {
    if (key >= 0 && key < 64) {
      const std::uint64_t bit = std::uint64_t{1} << key;
      const bool fresh = (small_ & bit) == 0;
      small_ |= bit;
      return fresh;
    }
    return other_.insert(key).second;
  }

 private:
  std::uint64_t small_ = 0;
  std::set<std::int64_t> other_;
};

/// Reads a CBOR integer (major type 0 or 1) that fits int64.
bool get_int(const cbor_item_t* item, std::int64_t& out);
/// Copies a definite byte string / text string.
bool get_bytes(const cbor_item_t* item, std::vector<std::uint8_t>& out);
bool get_text(const cbor_item_t* item, std::string& out);

}  // namespace sdc::detail

namespace sdc::detail {
/// The tagged item of a tag, borrowed (no reference taken).
const cbor_item_t* cbor_tag_content(const cbor_item_t* tag);
}  // namespace sdc::detail
