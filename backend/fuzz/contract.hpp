// What every fuzz target checks: the code under test returns, or throws only what its contract names.
#pragma once

#include <cxxabi.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>

#include "app/errors.hpp"

namespace otq::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The dynamic type of the exception being handled, demangled ("nlohmann::...::out_of_range").
inline std::string current_exception_type() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "unknown";
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status),
                                                   &std::free);
  return status == 0 && name ? name.get() : type->name();
}

/// Reports a broken contract and aborts, so libFuzzer saves the input as a crash artifact.
/// `kind` names the check and what broke it ("parse_login/nlohmann::...::out_of_range"). While a
/// finding is open, OTQ_FUZZ_KNOWN (comma-separated substrings of kinds) lets the fuzzer go on
/// past it: a matching violation is ignored and the input ends there. Sanitizer reports are not
/// affected (they abort on their own).
inline void violation(const std::string& kind, const std::string& detail) {
  if (const char* known = std::getenv("OTQ_FUZZ_KNOWN"); known != nullptr && *known != '\0') {
    std::string_view list = known;
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string_view item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      if (!item.empty() && kind.find(item) != std::string::npos) throw std::bad_exception();  // caught below
    }
  }
  std::fprintf(stderr, "\n==OTQ FUZZ CONTRACT VIOLATION== %s\n  %s\n", kind.c_str(), detail.c_str());
  std::abort();
}

/// Asserts a property of a result; `what` says which (and is part of the kind, for OTQ_FUZZ_KNOWN).
inline void require(bool holds, const std::string& check, const std::string& what) {
  if (!holds) violation(check + "/property: " + what, what);
}

/// Runs `f`, which may return or throw otq::Error with one of `allowed` codes (the client errors
/// its contract names). Anything else thrown is a violation of `check`.
template <typename F>
void expect_client_errors(const std::string& check, std::initializer_list<ErrorCode> allowed, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    for (const ErrorCode code : allowed) {
      if (e.code() == code) return;
    }
    violation(check + "/Error:" + std::string(error_code_name(e.code())), e.public_message() + " | " +
                                                                          e.internal_detail());
  } catch (const std::bad_exception&) {
    throw;  // a known finding, skipped (see violation)
  } catch (const std::exception& e) {
    violation(check + "/" + current_exception_type(), e.what());
  } catch (...) {
    violation(check + "/" + current_exception_type(), "a non-standard exception");
  }
}

/// Same, for code whose contract is to throw nothing.
template <typename F>
void expect_no_throw(const std::string& check, F&& f) {
  expect_client_errors(check, {}, std::forward<F>(f));
}

/// The body of LLVMFuzzerTestOneInput: a known finding skipped by OTQ_FUZZ_KNOWN ends the input.
template <typename F>
int run_input(F&& f) {
  try {
    f();
  } catch (const std::bad_exception&) {
  }
  return 0;
}

}  // namespace otq::fuzz
