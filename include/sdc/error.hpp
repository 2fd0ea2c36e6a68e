/// @file error.hpp
/// One way to report an error across sdc.
///
/// Public functions never throw for bad input: they return `Result<T>`, which holds either a value
/// or an `Error`. An `Error` says what went wrong (`message`), where (`Where`: file, JSON path and
/// line, record number and field, element name) and what to do about it (`hint`).
///
/// The code that detects an error writes the message; code that only passes it up may add context
/// to `Where` (a batch adds the record number) but never rewrites the message.
///
/// Outcomes of a check (a forged seal, an unreadable QR code) are not errors: they are findings in
/// a verification report. Programmer errors (null pointers, negative sizes) are documented
/// preconditions; constructors that cannot return a `Result` throw `std::invalid_argument` for them.
///
/// **Exception policy.** No exception crosses sdc's public API for anything but the documented
/// precondition violations above and `Result::value()` on an error. Every public entry point that
/// calls code which may throw (the standard library's `bad_alloc`, a third-party library) catches at
/// its boundary and returns `Errc::limit_exceeded` for memory exhaustion and `Errc::internal` for
/// anything else, never a verdict about the caller's input. Inside sdc, `SDC_TRY` and
/// `SDC_TRY_ASSIGN` pass errors up without hand-written boilerplate.
#pragma once

#include <sdc/api.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace sdc {

/// The kind of an error: callers branch on this, people read the message.
enum class Errc {
  invalid_argument,  ///< an argument outside its documented range
  invalid_template,  ///< template JSON malformed or inconsistent
  invalid_record,    ///< record file malformed (CSV quoting, JSON syntax, encoding)
  missing_field,     ///< a required record field is absent or empty
  invalid_field,     ///< a record field is present but wrong (format, range, length)
  bad_image,         ///< an image cannot be decoded, is empty, or is too large
  bad_font,          ///< a font cannot be loaded or lacks needed glyphs
  bad_key,           ///< a key or certificate cannot be loaded or does not fit
  bad_seal,          ///< a seal cannot be decoded or verified
  bad_profile,       ///< an ICC profile is unreadable or of the wrong colour space
  does_not_fit,      ///< content cannot be laid out in its box within the allowed limits
  limit_exceeded,    ///< input would exceed a safety limit (size, segments, memory)
  io,                ///< reading or writing a file failed
  unsupported,       ///< a valid request sdc does not implement
  internal,          ///< a bug in sdc: please report it
};

/// The name of an error code, for logs and JSON ("invalid_template").
SDC_EXPORT const char* to_string(Errc code) noexcept;

/// Where an error happened. Every member is optional; `to_string()` prints those that are set.
struct Where {
  std::string file;       ///< template, record, photo, key or output path
  std::string json_path;  ///< JSON pointer inside a template or record ("/front/elements/3/size")
  int line = 0;           ///< 1-based line in `file`, 0 when unknown
  int column = 0;         ///< 1-based column in `file`, 0 when unknown
  long record = -1;       ///< 0-based record index in a record file or batch, -1 when not a record
  std::string field;      ///< record field name ("date_of_birth")
  std::string element;    ///< template element name ("surname_value")
};

/// An error value: a code, what went wrong, where, and what to do.
class SDC_EXPORT Error {
 public:
  Error() = default;
  Error(Errc code, std::string message, std::string hint = {}, Where where = {})
      : code_(code), message_(std::move(message)), hint_(std::move(hint)), where_(std::move(where)) {}

  Errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }
  const Where& where() const noexcept { return where_; }

  /// Adds context while passing the error up; fields already set are kept (the detector knows best).
  Error& in_file(const std::string& file);
  Error& at_record(long record);
  Error& at_element(const std::string& element);
  Error& at_field(const std::string& field);

  /// One line for people: "specimen.csv: record 17, field date_of_birth: 1990-02-30 is not a
  /// calendar date. Fix: write dates as YYYY-MM-DD." The record number is printed 1-based.
  std::string to_string() const;

 private:
  Errc code_ = Errc::internal;
  std::string message_;
  std::string hint_;
  Where where_;
};

/// Thrown only by `Result::value()` on an error, for callers that prefer exceptions.
class SDC_EXPORT Exception : public std::runtime_error {
 public:
  explicit Exception(Error e) : std::runtime_error(e.to_string()), error_(std::move(e)) {}
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

/// A value or an Error, shaped like C++23 `std::expected` so it can become an alias later.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  /// From anything T can be made from (an alternative of a variant T, say), like std::expected.
  template <class U, std::enable_if_t<!std::is_same_v<std::remove_cvref_t<U>, Result> &&
                                          !std::is_same_v<std::remove_cvref_t<U>, Error> &&
                                          !std::is_same_v<std::remove_cvref_t<U>, T> && std::is_constructible_v<T, U&&>,
                                      int> = 0>
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT: implicit on purpose

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// The value; throws `sdc::Exception` if this holds an error.
  T& value() & {
    check();
    return std::get<0>(v_);
  }
  const T& value() const& {
    check();
    return std::get<0>(v_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(v_));
  }
  /// Unchecked access: precondition `has_value()`.
  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  /// The error: precondition `!has_value()`.
  const Error& error() const& noexcept { return *std::get_if<1>(&v_); }
  Error& error() & noexcept { return *std::get_if<1>(&v_); }
  Error&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }

  template <class U>
  T value_or(U&& other) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(other));
  }

 private:
  void check() const {
    if (!has_value()) throw Exception(std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

/// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit on purpose

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) throw Exception(error_);
  }
  const Error& error() const& noexcept { return error_; }
  Error& error() & noexcept { return error_; }
  Error&& error() && noexcept { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace sdc

#define SDC_CONCAT_IMPL_(a, b) a##b
#define SDC_CONCAT_(a, b) SDC_CONCAT_IMPL_(a, b)

/// Evaluates `expr` (a `Status` or `Result<T>`); on error returns the `Error` from the enclosing
/// function, whose return type must be constructible from `Error`.
#define SDC_TRY(expr)                                                                               \
  do {                                                                                              \
    if (auto sdc_try_result_ = (expr); !sdc_try_result_) return std::move(sdc_try_result_).error(); \
  } while (false)

/// `SDC_TRY_ASSIGN(auto x, expr)` or `SDC_TRY_ASSIGN(x, expr)`: evaluates `expr` (a `Result<T>`);
/// on error returns its `Error`, else moves the value into the declaration or variable `decl`.
#define SDC_TRY_ASSIGN(decl, expr) SDC_TRY_ASSIGN_IMPL_(SDC_CONCAT_(sdc_try_, __LINE__), decl, expr)
#define SDC_TRY_ASSIGN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                          \
  if (!tmp) return std::move(tmp).error();    \
  decl = std::move(*tmp)
