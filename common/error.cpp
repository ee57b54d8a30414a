#include "common/error.h"

namespace teamor {
namespace {

std::string compose(const std::string& message, const std::string& file, const std::string& position) {
  std::string text;
  if (!file.empty()) text += file + ": ";
  if (!position.empty()) text += position + ": ";
  return text + message;
}

}  // namespace

Error::Error(std::string message, std::string file, std::string position)
    : std::runtime_error(compose(message, file, position)),
      message_(std::move(message)),
      file_(std::move(file)),
      position_(std::move(position)) {}

namespace detail {
void assertion_failed(const char* expr, const char* file, int line) {
  throw Error(std::string("internal check failed: ") + expr, file, "line " + std::to_string(line));
}
}  // namespace detail

}  // namespace teamor
