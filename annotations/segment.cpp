#include "annotations/segment.h"

#include <array>
#include <utility>

#include "common/error.h"

namespace teamor::annotations {
namespace {

constexpr std::array<std::pair<Source, std::string_view>, 3> kSourceNames{{
    {Source::GroundTruth, "ground_truth"},
    {Source::Prediction, "prediction"},
    {Source::Reviewer, "reviewer"},
}};

constexpr std::array<std::pair<ReviewState, std::string_view>, 4> kStateNames{{
    {ReviewState::Proposed, "proposed"},
    {ReviewState::Accepted, "accepted"},
    {ReviewState::Rejected, "rejected"},
    {ReviewState::Edited, "edited"},
}};

}  // namespace

std::string_view to_string(Source source) {
  for (const auto& [value, name] : kSourceNames)
    if (value == source) return name;
  return "ground_truth";
}

std::string_view to_string(ReviewState state) {
  for (const auto& [value, name] : kStateNames)
    if (value == state) return name;
  return "proposed";
}

Source source_from_string(std::string_view text) {
  for (const auto& [value, name] : kSourceNames)
    if (name == text) return value;
  if (text == "gt" || text == "groundtruth" || text == "ground truth") return Source::GroundTruth;
  if (text == "pred" || text == "predicted") return Source::Prediction;
  throw FormatError("unknown source '" + std::string(text) +
                    "', expected ground_truth, prediction or reviewer");
}

ReviewState review_state_from_string(std::string_view text) {
  for (const auto& [value, name] : kStateNames)
    if (name == text) return value;
  throw FormatError("unknown review state '" + std::string(text) +
                    "', expected proposed, accepted, rejected or edited");
}

}  // namespace teamor::annotations
