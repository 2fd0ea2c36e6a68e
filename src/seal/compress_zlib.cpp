// zlib for the seal transport: the only seal file that includes zlib.
#include "seal/seal_detail.hpp"

#include <zlib.h>

#include <limits>
#include <memory>
#include <new>

namespace sdc::detail {

namespace {

// One deflate stream per thread, initialised once and reset per seal: initialising deflate (about
// 270 KiB of state) cost more than the signature itself. deflateReset gives the same bytes as a
// fresh stream, so the output stays deterministic.
struct Deflater {
  z_stream zs{};
  bool ok = false;
  Deflater() {
    // windowBits 15 keeps the header byte 0x78 that readers look for; memLevel 1 is enough for
    // inputs of a few hundred bytes and keeps the state small.
    ok = deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15, 1, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ok) deflateEnd(&zs);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

}  // namespace

std::vector<std::uint8_t> zlib_compress(std::span<const std::uint8_t> data) {
  static thread_local Deflater d;
  if (!d.ok || deflateReset(&d.zs) != Z_OK) throw std::bad_alloc();
  std::vector<std::uint8_t> out(deflateBound(&d.zs, static_cast<uLong>(data.size())));
  d.zs.next_in = const_cast<Bytef*>(data.data());
  d.zs.avail_in = static_cast<uInt>(data.size());
  d.zs.next_out = out.data();
  d.zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&d.zs, Z_FINISH);
  out.resize(d.zs.total_out);
  if (rc != Z_STREAM_END) throw std::bad_alloc();  // cannot happen with a deflateBound-sized buffer
  return out;
}

InflateStatus zlib_inflate(std::span<const std::uint8_t> data, std::size_t max_out, std::vector<std::uint8_t>& out,
                           std::string& message) {
  out.clear();
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) throw std::bad_alloc();
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), std::numeric_limits<uInt>::max()));
  // Inflate in chunks and stop as soon as the output passes the cap: a zip bomb costs at most
  // max_out + one chunk of memory.
  std::uint8_t chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = chunk;
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_out) {
      inflateEnd(&zs);
      message = "the zlib data inflates to more than " + std::to_string(max_out) + " bytes; refused";
      return InflateStatus::too_large;
    }
    out.insert(out.end(), chunk, chunk + produced);
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_in == 0 || produced == 0) break;  // input ended before the stream did
      rc = Z_OK;
    }
  }
  const bool consumed_all = zs.avail_in == 0;
  const std::string why = zs.msg ? zs.msg : "bad data";
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    message = rc == Z_BUF_ERROR ? "the zlib stream is truncated" : "the zlib stream is corrupt (" + why + ")";
    return InflateStatus::corrupt;
  }
  if (!consumed_all) {
    message = "bytes follow the end of the zlib stream";
    return InflateStatus::corrupt;
  }
  return InflateStatus::ok;
}

}  // namespace sdc::detail
