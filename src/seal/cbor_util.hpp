// libcbor helpers shared by the *_cbor.cpp files of the seal: owning pointers, builders that
// always choose the shortest integer form (deterministic encoding, RFC 8949 §4.2.1), and a
// loader that refuses hostile input before libcbor allocates for it.
// Include only from files whose name ends in _cbor.cpp.
#pragma once

#include <cbor.h>

#include <cstdint>
#include <memory>
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

/// Shortest-form integer (major type 0 or 1).
CborPtr cbor_int(std::int64_t v);
CborPtr cbor_bytes(std::span<const std::uint8_t> b);
CborPtr cbor_text(std::string_view s);
/// Adds key -> value to a definite map (takes ownership of both).
bool cbor_map_put(cbor_item_t* map, CborPtr key, CborPtr value);
/// Serialises an item; empty on allocation failure.
std::vector<std::uint8_t> cbor_encode(const cbor_item_t* item);

/// Reads a CBOR integer (major type 0 or 1) that fits int64.
bool get_int(const cbor_item_t* item, std::int64_t& out);
/// Copies a definite byte string / text string.
bool get_bytes(const cbor_item_t* item, std::vector<std::uint8_t>& out);
bool get_text(const cbor_item_t* item, std::string& out);

}  // namespace sdc::detail

namespace sdc::detail {
/// Tag `tag` around `item` (ownership of item passes to the tag).
CborPtr cbor_tagged(std::uint64_t tag, CborPtr item);
/// The tagged item of a tag, borrowed (no reference taken).
const cbor_item_t* cbor_tag_content(const cbor_item_t* tag);
}  // namespace sdc::detail
