#include "image/tiff_memory_tiff.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace sdc::detail {
namespace {

tmsize_t mem_read(thandle_t h, void* buf, tmsize_t n) {
  auto* f = static_cast<TiffMemFile*>(h);
  if (n < 0 || f->pos >= f->size) return 0;
  const auto avail = static_cast<tmsize_t>(f->size - f->pos);
  const tmsize_t k = n < avail ? n : avail;
  std::memcpy(buf, f->data + f->pos, static_cast<std::size_t>(k));
  f->pos += static_cast<toff_t>(k);
  return k;
}
tmsize_t mem_write(thandle_t, void*, tmsize_t) {
  return 0;
}
toff_t mem_seek(thandle_t h, toff_t off, int whence) {
  auto* f = static_cast<TiffMemFile*>(h);
  toff_t base = 0;
  if (whence == SEEK_CUR) base = f->pos;
  if (whence == SEEK_END) base = f->size;
  f->pos = base + off;
  return f->pos;
}
int mem_close(thandle_t) {
  return 0;
}
toff_t mem_size(thandle_t h) {
  return static_cast<TiffMemFile*>(h)->size;
}
int mem_map(thandle_t, void**, toff_t*) {
  return 0;
}
void mem_unmap(thandle_t, void*, toff_t) {}

int on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* f = static_cast<TiffMemFile*>(user);
  if (f->error.empty()) {
    char buf[256];
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    f->error = std::string(module != nullptr ? module : "libtiff") + ": " + buf;
  }
  return 1;
}
int on_warning(TIFF*, void*, const char*, const char*, va_list) {
  return 1;
}

}  // namespace

TIFF* open_tiff_memory(TiffMemFile& file, tmsize_t max_single_alloc) {
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  if (opts == nullptr) return nullptr;
  TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &file);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, &file);
  if (max_single_alloc > 0) TIFFOpenOptionsSetMaxSingleMemAlloc(opts, max_single_alloc);
  TIFF* t = TIFFClientOpenExt("image", "rm", &file, mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map,
                              mem_unmap, opts);
  TIFFOpenOptionsFree(opts);
  return t;
}

}  // namespace sdc::detail
