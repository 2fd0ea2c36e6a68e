// N-up press sheets written in strips: one row of cards and one scanline in memory at a time.
#include <sdc/export.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "export/tiff_stream.hpp"

namespace sdc {

bool parse_sheet_size(std::string_view name, MmSize& out) noexcept {
  std::string u(name);
  for (auto& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (u == "SRA3")
    out = {Mm{320}, Mm{450}};
  else if (u == "A3")
    out = {Mm{297}, Mm{420}};
  else if (u == "A4")
    out = {Mm{210}, Mm{297}};
  else
    return false;
  return true;
}

namespace {

constexpr double kMarkOffset = 3.0;  // mm from the trim line's end (outside the grid's bleed)
constexpr double kMarkLength = 5.0;  // mm

struct Rect {
  int x0, y0, x1, y1;  // half-open
};

struct Layout {
  MmSize sheet;
  double gutter = 0;
  int width = 0, height = 0;
  std::vector<int> col_x, row_y;    // trim left / top of each column / row, px
  std::vector<int> own_x0, own_x1;  // the sheet columns each card column owns (trim + clipped bleed)
  std::vector<int> own_y0, own_y1;
  std::vector<Rect> marks;
};

// The largest gutter (>= 0) that fits `n` cards of `card` mm plus margins into `avail` mm.
double max_gutter(int n, double card, double avail, double margin) {
  if (n <= 1) return 1e9;
  return (avail - 2 * margin - n * card) / (n - 1);
}

Result<Layout> make_layout(const SideGeometry& g, const SheetOptions& o) {
  const double tw = g.trim().w.v, th = g.trim().h.v, b = g.bleed.v, m = o.min_margin.v;
  auto fits = [&](MmSize s, double gut) {
    return o.columns * tw + (o.columns - 1) * gut + 2 * m <= s.w.v + 1e-9 &&
           o.rows * th + (o.rows - 1) * gut + 2 * m <= s.h.v + 1e-9;
  };
  Layout L;
  bool found = false;
  for (MmSize s : {o.sheet, MmSize{o.sheet.h, o.sheet.w}}) {
    double gut = o.gutter.v;
    if (gut < 0) {
      gut = std::min({2 * b, max_gutter(o.columns, tw, s.w.v, m), max_gutter(o.rows, th, s.h.v, m)});
      gut = std::max(gut, 0.0);
    }
    if (fits(s, gut)) {
      L.sheet = s;
      L.gutter = gut;
      found = true;
      break;
    }
  }
  if (!found)
    return Error(Errc::does_not_fit,
                 std::to_string(o.columns) + " x " + std::to_string(o.rows) + " cards of " + std::to_string(tw) +
                     " x " + std::to_string(th) + " mm do not fit on a " + std::to_string(o.sheet.w.v) + " x " +
                     std::to_string(o.sheet.h.v) + " mm sheet with " + std::to_string(m) + " mm margins.",
                 "use fewer rows or columns, a larger sheet, or a smaller gutter and margin.");
  const Dpi d = o.dpi;
  L.width = to_px(L.sheet.w, d).v;
  L.height = to_px(L.sheet.h, d).v;
  const double grid_w = o.columns * tw + (o.columns - 1) * L.gutter;
  const double grid_h = o.rows * th + (o.rows - 1) * L.gutter;
  const double x0 = (L.sheet.w.v - grid_w) / 2, y0 = (L.sheet.h.v - grid_h) / 2;
  const double reach = std::min(b, L.gutter / 2);  // bleed kept around each card
  const int tw_px = to_px(g.trim().w, d).v, th_px = to_px(g.trim().h, d).v;
  for (int c = 0; c < o.columns; ++c) {
    const double left = x0 + c * (tw + L.gutter);
    L.col_x.push_back(to_px(Mm{left}, d).v);
    L.own_x0.push_back(to_px(Mm{left - reach}, d).v);
    L.own_x1.push_back(to_px(Mm{left + tw + reach}, d).v);
  }
  for (int r = 0; r < o.rows; ++r) {
    const double top = y0 + r * (th + L.gutter);
    L.row_y.push_back(to_px(Mm{top}, d).v);
    L.own_y0.push_back(to_px(Mm{top - reach}, d).v);
    L.own_y1.push_back(to_px(Mm{top + th + reach}, d).v);
  }
  // Neighbours must not overlap: when the gutter is odd in pixels, the left card wins.
  for (int c = 1; c < o.columns; ++c) L.own_x0[c] = std::max(L.own_x0[c], L.own_x1[c - 1]);
  for (int r = 1; r < o.rows; ++r) L.own_y0[r] = std::max(L.own_y0[r], L.own_y1[r - 1]);

  // Crop marks in the margins, on every cut line, starting outside the grid's bleed.
  const int lw = std::max(1, to_px(Mm{0.1}, d).v);
  const double off = b + kMarkOffset;
  const int gx0 = to_px(Mm{x0 - off - kMarkLength}, d).v, gx1 = to_px(Mm{x0 - off}, d).v;
  const int gx2 = to_px(Mm{x0 + grid_w + off}, d).v, gx3 = to_px(Mm{x0 + grid_w + off + kMarkLength}, d).v;
  const int gy0 = to_px(Mm{y0 - off - kMarkLength}, d).v, gy1 = to_px(Mm{y0 - off}, d).v;
  const int gy2 = to_px(Mm{y0 + grid_h + off}, d).v, gy3 = to_px(Mm{y0 + grid_h + off + kMarkLength}, d).v;
  std::vector<int> cuts_x, cuts_y;
  for (int c = 0; c < o.columns; ++c) cuts_x.insert(cuts_x.end(), {L.col_x[c], L.col_x[c] + tw_px});
  for (int r = 0; r < o.rows; ++r) cuts_y.insert(cuts_y.end(), {L.row_y[r], L.row_y[r] + th_px});
  std::sort(cuts_x.begin(), cuts_x.end());
  cuts_x.erase(std::unique(cuts_x.begin(), cuts_x.end()), cuts_x.end());
  std::sort(cuts_y.begin(), cuts_y.end());
  cuts_y.erase(std::unique(cuts_y.begin(), cuts_y.end()), cuts_y.end());
  for (int x : cuts_x) {
    L.marks.push_back({x - lw / 2, std::max(0, gy0), x - lw / 2 + lw, gy1});
    L.marks.push_back({x - lw / 2, gy2, x - lw / 2 + lw, std::min(L.height, gy3)});
  }
  for (int y : cuts_y) {
    L.marks.push_back({std::max(0, gx0), y - lw / 2, gx1, y - lw / 2 + lw});
    L.marks.push_back({gx2, y - lw / 2, std::min(L.width, gx3), y - lw / 2 + lw});
  }
  return L;
}

}  // namespace

Result<SheetInfo> write_sheet(std::size_t count, const SideGeometry& g, const SheetCardSource& cards,
                              const std::filesystem::path& path, const SheetOptions& o) {
  const Where where{.file = path.string()};
  if (count == 0) return Error(Errc::invalid_argument, "no cards to impose.", "pass at least one record.", where);
  if (o.columns < 1 || o.columns > 50 || o.rows < 1 || o.rows > 50)
    return Error(Errc::invalid_argument, "a sheet layout needs 1 to 50 columns and rows.", "use for example 3x8.",
                 where);
  if (o.dpi.v < 72 || o.dpi.v > 1200)
    return Error(Errc::invalid_argument, "sheet dpi " + std::to_string(o.dpi.v) + " is outside 72 to 1200.",
                 "use 300 or 600.", where);
  if (!cards) return Error(Errc::invalid_argument, "no card source.", "pass a function that returns cards.", where);
  auto layout = make_layout(g, o);
  if (!layout) return std::move(layout).error().in_file(path.string());
  const Layout& L = *layout;
  const int per_sheet = o.columns * o.rows;
  const int pages =
      static_cast<int>((count + static_cast<std::size_t>(per_sheet) - 1) / static_cast<std::size_t>(per_sheet));
  const int card_w = to_px(g.bleed_box().w, o.dpi).v, card_h = to_px(g.bleed_box().h, o.dpi).v;
  const int bleed_px = to_px(g.bleed, o.dpi).v;
  CmykTiffOptions tiff = o.tiff;
  tiff.dpi = o.dpi;

  auto status = detail::write_atomically_named(path, [&](const std::filesystem::path& tmp) -> Status {
    SDC_TRY_ASSIGN(auto opened, detail::CmykTiffStream::open(tmp, path));
    auto& st = *opened;
    std::vector<std::uint8_t> line(static_cast<std::size_t>(L.width) * 4);
    std::vector<Image> band(static_cast<std::size_t>(o.columns));  // the current row of cards
    for (int page = 0; page < pages; ++page) {
      if (auto r = st.begin_page(L.width, L.height, tiff, page, pages,
                                 "sheet " + std::to_string(page + 1) + (o.back_side ? " back" : " front"));
          !r)
        return r;
      int band_row = -1;
      for (int y = 0; y < L.height; ++y) {
        std::fill(line.begin(), line.end(), std::uint8_t{0});
        // Which card row owns this scanline?
        int r = -1;
        for (int i = 0; i < o.rows; ++i)
          if (y >= L.own_y0[static_cast<std::size_t>(i)] && y < L.own_y1[static_cast<std::size_t>(i)]) r = i;
        if (r >= 0 && r != band_row) {
          band_row = r;
          for (int c = 0; c < o.columns; ++c) {
            const std::size_t index = static_cast<std::size_t>(page * per_sheet + r * o.columns + c);
            Image& slot = band[static_cast<std::size_t>(c)];
            slot = Image();  // release the previous row's card before making the next
            if (index >= count) continue;
            auto card = cards(index);
            if (!card) return std::move(card).error().at_record(static_cast<long>(index));
            if (card->format() != PixelFormat::cmyk8 || card->width() != card_w || card->height() != card_h)
              return Error(Errc::invalid_argument,
                           "card " + std::to_string(index + 1) + " is not a cmyk8 image of " + std::to_string(card_w) +
                               " x " + std::to_string(card_h) + " pixels.",
                           "render and separate the cards at the sheet's dpi.", where);
            slot = std::move(*card);
          }
        }
        if (r >= 0) {
          const int cy = y - L.row_y[static_cast<std::size_t>(r)] + bleed_px;  // row inside the card image
          for (int c = 0; c < o.columns; ++c) {
            // Work-and-turn: on the back, the card of column c sits in the mirrored column.
            const int col = o.back_side ? o.columns - 1 - c : c;
            const Image& im = band[static_cast<std::size_t>(c)];
            if (im.empty() || cy < 0 || cy >= im.height()) continue;
            const auto uc = static_cast<std::size_t>(col);
            int x0 = std::max(L.own_x0[uc], 0);
            const int x1 = std::min(L.own_x1[uc], L.width);
            int cx0 = x0 - L.col_x[uc] + bleed_px;
            if (cx0 < 0) x0 -= cx0, cx0 = 0;
            const int n = std::min(x1 - x0, im.width() - cx0);
            if (n > 0) std::memcpy(line.data() + 4 * x0, im.row(cy) + 4 * cx0, static_cast<std::size_t>(n) * 4);
          }
        }
        for (const Rect& m : L.marks)
          if (y >= m.y0 && y < m.y1)
            for (int x = std::max(m.x0, 0); x < std::min(m.x1, L.width); ++x) {
              std::uint8_t* p = line.data() + 4 * x;
              p[0] = p[1] = p[2] = 0;
              p[3] = 255;
            }
        if (auto w = st.write_row(line.data()); !w) return w;
      }
      for (auto& im : band) im = Image();
      if (auto r = st.end_page(); !r) return r;
    }
    return st.close();
  });
  if (!status) return std::move(status).error();
  SheetInfo info;
  info.pages = pages;
  info.width_px = L.width;
  info.height_px = L.height;
  info.sheet = L.sheet;
  info.gutter = Mm{L.gutter};
  return info;
}

}  // namespace sdc
