#include "detector/candidate_windows.h"

#include <algorithm>

#include "common/error.h"

namespace teamor::detector {

std::vector<CellRange> candidate_windows(std::vector<std::int64_t> positions, std::int64_t halo,
                                         std::int64_t length, std::int64_t join_gap) {
  TEAMOR_ASSERT(halo >= 0 && length >= 0 && join_gap >= 0);
  std::sort(positions.begin(), positions.end());
  std::vector<CellRange> out;
  for (const std::int64_t p : positions) {
    TEAMOR_ASSERT(p >= 0 && p < length);
    const CellRange r{std::max<std::int64_t>(0, p - halo), std::min(length, p + halo + 1)};
    if (!out.empty() && r.begin <= out.back().end + join_gap) {
      out.back().end = std::max(out.back().end, r.end);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::int64_t covered_cells(const std::vector<CellRange>& ranges) {
  std::int64_t n = 0;
  for (const auto& r : ranges)
    n += r.end - r.begin;
  return n;
}

}  // namespace teamor::detector
