// Checker::check_captures: one card from several captures of it (retakes), each checked as
// check_card does, their card checks combined.
#include <sdc/verify.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "verify/checker_detail.hpp"

namespace sdc {

namespace {

// The card checks a retake can complete: each judges the print of one capture, and warns (glare,
// a shadow, a blur, a place in doubt) where that capture could not show it whole.
constexpr const char* kCombined[] = {"photo", "pattern", "copy", "text", "mrz"};

bool read_a_seal(const Report& r) {
  const Finding* f = r.find("seal_format", 0);
  return f && f->outcome == Outcome::pass;
}

// Whether the capture's own images gave a code with the seal prefix (else its seals, if any, are
// another capture's: Checker::check_card_under).
bool own_code(const Report& r) {
  const Finding* f = r.find("qr", -1);
  return f && f->outcome == Outcome::pass;
}

// Whether the capture was checked against another capture's seals.
bool under_another(const Report& r) {
  return !own_code(r) && read_a_seal(r);
}

// The same seals: key ids and signed payloads, in order.
bool same_seals(const Report& a, const Report& b) {
  if (a.seals.size() != b.seals.size()) return false;
  for (std::size_t i = 0; i < a.seals.size(); ++i) {
    const auto &x = a.seals[i].verification, &y = b.seals[i].verification;
    if (x.kid != y.kid || x.payload_bytes != y.payload_bytes) return false;
  }
  return true;
}

std::string document_of(const Report& r) {
  for (const auto& s : r.seals)
    if (s.verification.payload && !s.verification.payload->document_number.empty())
      return "document " + detail::clip(s.verification.payload->document_number, 40);
  return "another seal";
}

}  // namespace

Result<Report> Checker::check_captures(std::span<const CardImages> captures) const {
  if (captures.empty() || captures.size() > max_captures)
    return Error(Errc::invalid_argument,
                 "check_captures takes 1 to " + std::to_string(max_captures) + " captures, not " +
                     std::to_string(captures.size()) + ".",
                 "give each capture of the card once: its front and, where it was taken, its back.");
  // Each capture checked; one that reads no seal, against the first readable capture's seals (a
  // capture before that one is checked again once it is known).
  std::vector<Report> reports;
  reports.reserve(captures.size());
  std::size_t base = captures.size();  // the first capture that read a seal itself
  for (std::size_t i = 0; i < captures.size(); ++i) {
    const CardImages& c = captures[i];
    auto r = check_card_under(c.front, c.back, c.name, c.back_name, base < i ? &reports[base] : nullptr);
    if (!r) return std::move(r).error();
    reports.push_back(std::move(*r));
    if (base == captures.size() && read_a_seal(reports[i])) {
      base = i;
      for (std::size_t j = 0; j < i; ++j) {
        if (own_code(reports[j])) continue;  // its seal did not verify: its own report stands
        const CardImages& e = captures[j];
        auto again = check_card_under(e.front, e.back, e.name, e.back_name, &reports[base]);
        if (!again) return std::move(again).error();
        detail::add_first_check(*again, reports[j]);  // the first check's time is part of this one's
        reports[j] = std::move(*again);
      }
    }
  }
  if (reports.size() == 1) return std::move(reports.front());
  if (base == reports.size()) base = 0;
  Report out = reports[base];
  out.sides.clear();
  for (const Report& r : reports) out.sides.insert(out.sides.end(), r.sides.begin(), r.sides.end());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (i == base) continue;
    for (const StageTime& t : reports[i].timings) {
      const auto at =
          std::find_if(out.timings.begin(), out.timings.end(), [&](const StageTime& o) { return o.stage == t.stage; });
      if (at != out.timings.end())
        at->ms += t.ms;
      else
        out.timings.insert(out.timings.end() - (out.timings.empty() ? 0 : 1), t);
    }
  }
  const auto capture_name = [&](std::size_t i) {
    const std::string n(captures[i].name);
    return "capture " + std::to_string(i + 1) + (n.empty() ? "" : " ('" + detail::clip(n, 60) + "')");
  };

  std::string unread, under_base, different;
  std::vector<std::size_t> used{base};
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (i == base) continue;
    if (under_another(reports[i])) {
      under_base += (under_base.empty() ? "" : ", ") + capture_name(i);
      used.push_back(i);
    } else if (!read_a_seal(reports[i]))
      unread += (unread.empty() ? "" : ", ") + capture_name(i);
    else if (!same_seals(reports[i], reports[base]))
      different += (different.empty() ? "" : ", ") + capture_name(i) + " (" + document_of(reports[i]) + ")";
    else
      used.push_back(i);
  }

  Finding note;
  note.check = "captures";
  note.seal = -1;
  if (!different.empty() || !read_a_seal(reports[base])) {
    note.outcome = Outcome::warn;
    note.code = read_a_seal(reports[base]) ? "different_cards" : "no_seal";
    note.reason = read_a_seal(reports[base])
                      ? "the captures show different cards: " + different + " against " + capture_name(base) + " (" +
                            document_of(reports[base]) + "); the checks are " + capture_name(base) +
                            "'s alone: check one card at a time"
                      : "no capture read a seal: the checks are " + capture_name(base) + "'s alone";
    out.findings.push_back(std::move(note));
    detail::conclude(out);
    return out;
  }

  // Per card check and seal: a fail anywhere fails; else a pass anywhere passes; else the base's.
  std::string from;
  for (Finding& f : out.findings) {
    if (std::find(std::begin(kCombined), std::end(kCombined), f.check) == std::end(kCombined)) continue;
    if (f.outcome == Outcome::fail) continue;
    const Finding* pick = nullptr;
    std::size_t pick_from = base;
    for (const std::size_t i : used) {
      if (i == base) continue;
      const Finding* g = reports[i].find(f.check, f.seal);
      if (!g) continue;
      if (g->outcome == Outcome::fail) {
        pick = g, pick_from = i;
        break;
      }
      if (g->outcome == Outcome::pass && f.outcome != Outcome::pass && !pick) pick = g, pick_from = i;
    }
    if (!pick && (f.check == "text" || f.check == "mrz")) {
      // Parts unread in places on every capture (text elements, MRZ lines), each capture having
      // read and matched the rest (a mismatch fails; a warning names every part it left unread):
      // where no part went unread on all of them, every part was read and matched on one capture
      // or another.
      // Capture i's warning that names what it left unread, or null.
      const auto partial = [&](std::size_t i) -> const Finding* {
        const Finding* g = i == base ? &f : reports[i].find(f.check, f.seal);
        return g && g->outcome == Outcome::warn && !g->unread.empty() ? g : nullptr;
      };
      std::vector<std::string> unread_on_all;
      std::size_t readers = 0;
      for (const std::size_t i : used) {
        const Finding* g = partial(i);
        if (!g) continue;
        if (readers++ == 0) {
          unread_on_all = g->unread;
          continue;
        }
        std::erase_if(unread_on_all, [&](const std::string& e) {
          return std::find(g->unread.begin(), g->unread.end(), e) == g->unread.end();
        });
      }
      if (readers >= 2 && unread_on_all.empty()) {
        const bool text = f.check == "text";
        std::string per;
        for (const std::size_t i : used) {
          const Finding* g = partial(i);
          if (!g) continue;
          std::string names;
          for (const auto& e : g->unread) names += (names.empty() ? "'" : ", '") + detail::clip(e, 40) + "'";
          per += (per.empty() ? "" : "; ") + names + " not read on " + capture_name(i);
        }
        f.outcome = Outcome::pass;
        f.code = "ok";
        f.reason = std::string(text ? "every personal text element was read and shows the sealed data"
                                    : "every line of the printed MRZ was read and matches the sealed data") +
                   " on one capture or another (" + per + ")";
        f.unread.clear();
        from += (from.empty() ? "" : ", ") + ("'" + f.check + "' from the captures together");
      }
      continue;
    }
    if (!pick) continue;
    f = *pick;
    from += (from.empty() ? "" : ", ") + ("'" + f.check + "' from " + capture_name(pick_from));
  }
  note.outcome = Outcome::pass;
  note.code = "ok";
  note.reason =
      (used.size() == 1 ? capture_name(base) + "'s checks alone"
                        : std::to_string(used.size()) + " captures of one card combined (" + capture_name(base) +
                              " first" + (from.empty() ? std::string() : "; " + from) + ")") +
      (under_base.empty() ? std::string()
                          : "; no seal read on " + under_base + ", checked against " + capture_name(base) + "'s") +
      (unread.empty() ? std::string() : "; no seal read on " + unread + ", left out");
  out.findings.push_back(std::move(note));
  detail::conclude(out);
  return out;
}

}  // namespace sdc
