#include "seal/cbor_util_cbor.hpp"

#include <limits>
#include <stdexcept>

namespace sdc::detail {
namespace {

// Tracks open containers during the streaming pre-pass. Each entry is the number of items still
// expected (definite) or -1 (indefinite, closed by a break).
struct ScanState {
  std::vector<std::int64_t> open;
  std::size_t remaining = 0;  // bytes after the current head
  bool bad = false;
  std::string why;

  void item() {
    // One complete item consumed by the innermost definite container; close finished ones.
    while (!open.empty() && open.back() > 0) {
      if (--open.back() > 0) return;
      open.pop_back();
      // The closed container is itself an item of its parent: loop continues.
    }
  }
  void push(std::int64_t n, const char* what) {
    if (static_cast<int>(open.size()) >= kMaxCborDepth) {
      fail(std::string(what) + " nested more than " + std::to_string(kMaxCborDepth) + " deep");
      return;
    }
    if (n == 0) {
      item();
      return;
    }
    open.push_back(n);
  }
  void fail(std::string w) {
    if (!bad) {
      bad = true;
      why = std::move(w);
    }
  }
};

ScanState& st(void* ctx) {
  return *static_cast<ScanState*>(ctx);
}

void on_scalar8(void* c, uint8_t) {
  st(c).item();
}
void on_scalar16(void* c, uint16_t) {
  st(c).item();
}
void on_scalar32(void* c, uint32_t) {
  st(c).item();
}
void on_scalar64(void* c, uint64_t) {
  st(c).item();
}
void on_simple(void* c) {
  st(c).item();
}
void on_bool(void* c, bool) {
  st(c).item();
}
void on_f4(void* c, float) {
  st(c).item();
}
void on_f8(void* c, double) {
  st(c).item();
}
void on_string(void* c, cbor_data, size_t) {
  st(c).item();
}
void on_tag(void*, uint64_t) {}  // a tag prefixes the next item; not an item itself
void on_indef_start(void* c) {
  st(c).push(-1, "an indefinite-length item");
}
void on_array(void* c, size_t n) {
  auto& s = st(c);
  if (n > s.remaining)
    return s.fail("an array claims " + std::to_string(n) + " items with " + std::to_string(s.remaining) +
                  " bytes left");
  s.push(static_cast<std::int64_t>(n), "an array");
}
void on_map(void* c, size_t n) {
  auto& s = st(c);
  if (n > s.remaining / 2)
    return s.fail("a map claims " + std::to_string(n) + " pairs with " + std::to_string(s.remaining) + " bytes left");
  s.push(static_cast<std::int64_t>(n) * 2, "a map");
}
void on_break(void* c) {
  auto& s = st(c);
  if (s.open.empty() || s.open.back() != -1) return s.fail("a break byte outside an indefinite-length item");
  s.open.pop_back();
  s.item();
}

cbor_callbacks scan_callbacks() {
  cbor_callbacks cb = cbor_empty_callbacks;
  cb.uint8 = cb.negint8 = on_scalar8;
  cb.uint16 = cb.negint16 = on_scalar16;
  cb.uint32 = cb.negint32 = on_scalar32;
  cb.uint64 = cb.negint64 = on_scalar64;
  cb.byte_string = cb.string = on_string;
  cb.byte_string_start = cb.string_start = on_indef_start;
  cb.indef_array_start = cb.indef_map_start = on_indef_start;
  cb.array_start = on_array;
  cb.map_start = on_map;
  cb.tag = on_tag;
  cb.float2 = cb.float4 = on_f4;
  cb.float8 = on_f8;
  cb.undefined = cb.null = on_simple;
  cb.boolean = on_bool;
  cb.indef_break = on_break;
  return cb;
}

}  // namespace

CborPtr cbor_load_checked(std::span<const std::uint8_t> bytes, std::string& error) {
  if (bytes.empty()) {
    error = "no CBOR data (0 bytes)";
    return nullptr;
  }
  static const cbor_callbacks callbacks = scan_callbacks();
  ScanState s;
  std::size_t pos = 0;
  bool started = false;
  while (pos < bytes.size()) {
    if (started && s.open.empty()) {
      error =
          std::to_string(bytes.size() - pos) + " unexpected bytes after the CBOR item at offset " + std::to_string(pos);
      return nullptr;
    }
    started = true;
    s.remaining = bytes.size() - pos;
    const auto r = cbor_stream_decode(bytes.data() + pos, bytes.size() - pos, &callbacks, &s);
    if (r.status != CBOR_DECODER_FINISHED) {
      error = r.status == CBOR_DECODER_NEDATA ? "CBOR data truncated at offset " + std::to_string(pos)
                                              : "malformed CBOR at offset " + std::to_string(pos);
      return nullptr;
    }
    pos += r.read;
    if (s.bad) {
      error = s.why + " (offset " + std::to_string(pos - r.read) + ")";
      return nullptr;
    }
  }
  if (!s.open.empty()) {
    error = "CBOR data ends inside an unfinished array, map or string";
    return nullptr;
  }
  cbor_load_result res{};
  CborPtr item(cbor_load(bytes.data(), bytes.size(), &res));
  if (!item || res.error.code != CBOR_ERR_NONE) {
    error = "malformed CBOR at offset " + std::to_string(res.error.position);
    return nullptr;
  }
  if (res.read != bytes.size()) {
    error = std::to_string(bytes.size() - res.read) + " unexpected bytes after the CBOR item";
    return nullptr;
  }
  return item;
}

namespace {

// A CBOR head is at most 9 bytes. `encode` is one of libcbor's cbor_encode_* functions.
template <class T>
void put_head(std::vector<std::uint8_t>& out, std::size_t (*encode)(T, unsigned char*, std::size_t), T value) {
  unsigned char head[9];
  const std::size_t n = encode(value, head, sizeof head);
  if (n == 0) throw std::logic_error("sdc: libcbor could not encode a CBOR head");
  out.insert(out.end(), head, head + n);
}

}  // namespace

void CborWriter::integer(std::int64_t v) {
  if (v >= 0) return put_head<uint64_t>(out_, cbor_encode_uint, static_cast<std::uint64_t>(v));
  put_head<uint64_t>(out_, cbor_encode_negint, static_cast<std::uint64_t>(-(v + 1)));  // -1 - v, no overflow
}
void CborWriter::array(std::size_t n) {
  put_head<size_t>(out_, cbor_encode_array_start, n);
}
void CborWriter::map(std::size_t n) {
  put_head<size_t>(out_, cbor_encode_map_start, n);
}
void CborWriter::tag(std::uint64_t t) {
  put_head<uint64_t>(out_, cbor_encode_tag, t);
}
void CborWriter::bytes(std::span<const std::uint8_t> b) {
  put_head<size_t>(out_, cbor_encode_bytestring_start, b.size());
  out_.insert(out_.end(), b.begin(), b.end());
}
void CborWriter::text(std::string_view s) {
  put_head<size_t>(out_, cbor_encode_string_start, s.size());
  out_.insert(out_.end(), s.begin(), s.end());
}

bool get_int(const cbor_item_t* item, std::int64_t& out) {
  if (!item || (!cbor_isa_uint(item) && !cbor_isa_negint(item))) return false;
  const std::uint64_t u = cbor_get_int(item);
  if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out = cbor_isa_uint(item) ? static_cast<std::int64_t>(u) : -1 - static_cast<std::int64_t>(u);
  return true;
}

bool get_bytes(const cbor_item_t* item, std::vector<std::uint8_t>& out) {
  if (!item || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) return false;
  const auto* p = cbor_bytestring_handle(item);
  out.assign(p, p + cbor_bytestring_length(item));
  return true;
}

bool get_text(const cbor_item_t* item, std::string& out) {
  if (!item || !cbor_isa_string(item) || !cbor_string_is_definite(item)) return false;
  const auto* p = cbor_string_handle(item);
  out.assign(reinterpret_cast<const char*>(p), cbor_string_length(item));
  return true;
}

}  // namespace sdc::detail

namespace sdc::detail {

const cbor_item_t* cbor_tag_content(const cbor_item_t* tag) {
  cbor_item_t* inner = cbor_tag_item(tag);  // incref
  const cbor_item_t* borrowed = inner;
  if (inner) cbor_decref(&inner);  // the tag still holds its reference, so the item stays alive
  return borrowed;
}

}  // namespace sdc::detail
