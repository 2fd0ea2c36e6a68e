// Internals of the checker, reachable from tests: how findings, verdicts and errors are derived.
#pragma once

#include <sdc/verify.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace sdc::detail {

/// The error a Checker method returns when an exception stopped it: Errc::limit_exceeded for
/// std::bad_alloc, Errc::internal for anything else. `doing` says what was under way.
Error error_from_exception(std::exception_ptr e, std::string_view doing) noexcept;

/// The error for a verification that could not finish (SealReason::out_of_memory or
/// ::internal_error); empty for any other reason.
std::optional<Error> error_from_verification(const SealVerification& v);

/// Appends the findings seal_format .. expiry for seal number `index` of a report.
void add_seal_findings(const SealResult& seal, int index, PayloadFormat format, std::vector<Finding>& out);

/// The photo finding for seal `index`: `portrait_hash` empty when no portrait was given.
Finding photo_finding(SealResult& seal, int index, std::span<const std::uint8_t> portrait_hash, int threshold);

/// True when `v` is a CBOR map with the integer key 0 (an sdc payload's version), however broken.
bool looks_like_sdc_payload(const CborValue& v) noexcept;

/// The verdict of a set of findings (rules in verify.hpp).
Verdict verdict_of(const std::vector<Finding>& findings) noexcept;

/// Sets report.verdict and report.summary from its findings.
void conclude(Report& report);

/// At most `max` bytes of `s`, with "..." appended when cut (the cut may split a UTF-8 sequence;
/// the JSON writer replaces what is left of it).
std::string clip(std::string_view s, std::size_t max = 1024);

}  // namespace sdc::detail
