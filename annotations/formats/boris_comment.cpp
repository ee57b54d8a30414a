#include "annotations/formats/boris_comment.h"

#include <sstream>

#include "annotations/formats/format_support.h"

namespace teamor::annotations::detail {

std::string boris_comment(const Segment& s) {
  const bool default_state =
      s.state == (s.source == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted);
  if (!s.score && default_state && s.source == Source::GroundTruth) return s.note;
  std::string out = "[teamor";
  if (s.score) out += " score=" + format_number(*s.score);
  out += " state=" + std::string(to_string(s.state));
  out += " source=" + std::string(to_string(s.source));
  out += "]";
  if (!s.note.empty()) out += " " + s.note;
  return out;
}

void apply_boris_comment(std::string_view comment, Segment& s) {
  constexpr std::string_view kPrefix = "[teamor";
  auto close = comment.find(']');
  if (comment.substr(0, kPrefix.size()) != kPrefix || close == std::string_view::npos) {
    s.note = std::string(comment);
    return;
  }
  std::istringstream fields(std::string(comment.substr(kPrefix.size(), close - kPrefix.size())));
  for (std::string kv; fields >> kv;) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    try {
      double v = 0;
      if (key == "score" && parse_number(value, v) && v >= 0 && v <= 1) s.score = v;
      if (key == "state") s.state = review_state_from_string(value);
      if (key == "source") s.source = source_from_string(value);
    } catch (const std::exception&) {
      // An unknown value in a hand-edited comment: keep the default rather than refuse the file.
    }
  }
  comment.remove_prefix(close + 1);
  if (!comment.empty() && comment.front() == ' ') comment.remove_prefix(1);
  s.note = std::string(comment);
}

}  // namespace teamor::annotations::detail
