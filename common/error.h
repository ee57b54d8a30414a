#pragma once
// Errors for the user. Every exception teamor throws on bad input derives from teamor::Error and carries
// the file involved, a position inside it (line, byte, frame, tensor name) and one sentence saying what
// failed, what was expected and what was found. The CLI prints what() and exits 1; the viewer shows it.

#include <stdexcept>
#include <string>

namespace teamor {

/// @brief Base of every user-facing error: file, position and a sentence.
class Error : public std::runtime_error {
 public:
  /// @param message  one sentence: what failed, what was expected, what was found
  /// @param file     the file involved, empty when none
  /// @param position where in the file ("line 12", "byte 4096", "frame 8123", "tensor 'x'"), or empty
  explicit Error(std::string message, std::string file = {}, std::string position = {});

  const std::string& message() const noexcept { return message_; }
  const std::string& file() const noexcept { return file_; }
  const std::string& position() const noexcept { return position_; }

 private:
  std::string message_;
  std::string file_;
  std::string position_;
};

/// Reading or writing a file or device failed (missing, unreadable, truncated, decoder error).
class IoError : public Error {
 public:
  using Error::Error;
};

/// A file was read but its content does not follow its format.
class FormatError : public Error {
 public:
  using Error::Error;
};

/// Model weights or bundle do not fit the network (missing, extra or mis-shaped tensors).
class ModelError : public Error {
 public:
  using Error::Error;
};

/// A configuration or command-line value is unknown or impossible.
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// Long work was cancelled by the user (Ctrl-C, Cancel button).
class CancelledError : public Error {
 public:
  CancelledError() : Error("cancelled by the user") {}
};

namespace detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);
}  // namespace detail

}  // namespace teamor

/// Checks a programmer's precondition in every build type; throws teamor::Error naming the
/// expression, file and line. Never use it for user input: that gets a specific error.
#define TEAMOR_ASSERT(expr) \
  ((expr) ? static_cast<void>(0) : ::teamor::detail::assertion_failed(#expr, __FILE__, __LINE__))
