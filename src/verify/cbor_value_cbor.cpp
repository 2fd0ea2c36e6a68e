// Schema-less CBOR decoding for the report: a libcbor item tree copied into sdc::CborValue.
#include <sdc/verify.hpp>

#include "seal/cbor_util_cbor.hpp"

#include <limits>
#include <string>

namespace sdc {
namespace {

void append_chunks(const cbor_item_t* item, bool text, std::string& out) {
  const std::size_t n = text ? cbor_string_chunk_count(item) : cbor_bytestring_chunk_count(item);
  cbor_item_t** chunks = text ? cbor_string_chunks_handle(item) : cbor_bytestring_chunks_handle(item);
  for (std::size_t i = 0; i < n; ++i) {
    const cbor_item_t* c = chunks[i];
    const auto* h = text ? cbor_string_handle(c) : cbor_bytestring_handle(c);
    const std::size_t len = text ? cbor_string_length(c) : cbor_bytestring_length(c);
    if (h) out.append(reinterpret_cast<const char*>(h), len);
  }
}

// Depth is bounded by cbor_load_checked (kMaxCborDepth), so the recursion is too.
CborValue convert(const cbor_item_t* item) {
  CborValue v;
  if (!item) return v;
  switch (cbor_typeof(item)) {
    case CBOR_TYPE_UINT: {
      const std::uint64_t u = cbor_get_int(item);
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        v.kind = CborValue::Kind::integer;
        v.integer = static_cast<std::int64_t>(u);
      } else {
        v.kind = CborValue::Kind::big_integer;
        v.text = std::to_string(u);
      }
      break;
    }
    case CBOR_TYPE_NEGINT: {
      const std::uint64_t u = cbor_get_int(item);  // the value is -1 - u
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        v.kind = CborValue::Kind::integer;
        v.integer = -1 - static_cast<std::int64_t>(u);
      } else {
        v.kind = CborValue::Kind::big_integer;
        // -1 - u = -(u + 1), where u + 1 may be 2^64.
        v.text = u == std::numeric_limits<std::uint64_t>::max() ? "-18446744073709551616" : "-" + std::to_string(u + 1);
      }
      break;
    }
    case CBOR_TYPE_BYTESTRING: {
      v.kind = CborValue::Kind::bytes;
      std::string s;
      if (cbor_bytestring_is_definite(item)) {
        const auto* h = cbor_bytestring_handle(item);
        if (h) s.assign(reinterpret_cast<const char*>(h), cbor_bytestring_length(item));
      } else {
        append_chunks(item, false, s);
      }
      v.bytes.assign(s.begin(), s.end());
      break;
    }
    case CBOR_TYPE_STRING:
      v.kind = CborValue::Kind::text;
      if (cbor_string_is_definite(item)) {
        const auto* h = cbor_string_handle(item);
        if (h) v.text.assign(reinterpret_cast<const char*>(h), cbor_string_length(item));
      } else {
        append_chunks(item, true, v.text);
      }
      break;
    case CBOR_TYPE_ARRAY: {
      v.kind = CborValue::Kind::array;
      const std::size_t n = cbor_array_size(item);
      cbor_item_t** el = cbor_array_handle(item);
      v.items.reserve(n);
      for (std::size_t i = 0; i < n; ++i) v.items.push_back(convert(el[i]));
      break;
    }
    case CBOR_TYPE_MAP: {
      v.kind = CborValue::Kind::map;
      const std::size_t n = cbor_map_size(item);
      const cbor_pair* pairs = cbor_map_handle(item);
      v.items.reserve(2 * n);
      for (std::size_t i = 0; i < n; ++i) {
        v.items.push_back(convert(pairs[i].key));
        v.items.push_back(convert(pairs[i].value));
      }
      break;
    }
    case CBOR_TYPE_TAG:
      v.kind = CborValue::Kind::tag;
      v.tag = cbor_tag_value(item);
      v.items.push_back(convert(detail::cbor_tag_content(item)));
      break;
    case CBOR_TYPE_FLOAT_CTRL:
      if (!cbor_float_ctrl_is_ctrl(item)) {
        v.kind = CborValue::Kind::floating;
        v.number = cbor_float_get_float(item);
      } else if (cbor_is_bool(item)) {
        v.kind = CborValue::Kind::boolean;
        v.boolean = cbor_get_bool(item);
      } else if (cbor_is_null(item)) {
        v.kind = CborValue::Kind::null;
      } else if (cbor_is_undef(item)) {
        v.kind = CborValue::Kind::undefined;
      } else {
        v.kind = CborValue::Kind::simple;
        v.integer = cbor_ctrl_value(item);
      }
      break;
  }
  return v;
}

}  // namespace

Result<CborValue> decode_cbor(std::span<const std::uint8_t> cbor) {
  try {
    std::string error;
    detail::CborPtr root = detail::cbor_load_checked(cbor, error);
    if (!root) return Error(Errc::bad_seal, "not CBOR: " + error, "the data is not a CBOR item");
    return convert(root.get());
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory while decoding CBOR", "free memory and retry");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("internal error while decoding CBOR: ") + e.what(), "please report it");
  }
}

}  // namespace sdc
