// Internal: the one calendar of sdc (proleptic Gregorian): strict YYYY-MM-DD parsing and day
// counts, shared by records, the seal payload and seal verification.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sdc::detail {

constexpr bool is_leap_year(int y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/// Days in month `m` (1..12) of year `y`.
int days_in_month(int y, int m) noexcept;

/// Strict "YYYY-MM-DD": exactly 10 characters, ASCII digits, a real calendar date (no 02-30),
/// year in [min_year, max_year]. On success sets y, m, d; on failure leaves them unspecified.
bool parse_ymd(std::string_view s, int min_year, int max_year, int& y, int& m, int& d) noexcept;

/// "YYYY-MM-DD" for a date with year 0..9999.
std::string format_ymd(int y, int m, int d);

/// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(int y, int m, int d) noexcept;
void civil_from_days(std::int64_t z, int& y, int& m, int& d) noexcept;

/// Seconds since 1970 (UTC) for a civil date and time.
std::int64_t unix_from_civil(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) noexcept;

/// "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds.
std::string utc_text(std::int64_t t);

}  // namespace sdc::detail
