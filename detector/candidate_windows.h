#pragma once
// Which stretches of a pyramid level the boundary and regression heads must cover when they run
// only around candidate cells (improvements.sparse_heads). Plain integers, no tensors.

#include <cstdint>
#include <vector>

namespace teamor::detector {

/// @brief A half-open stretch [begin, end) of cells.
struct CellRange {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  friend bool operator==(const CellRange&, const CellRange&) = default;
};

/// @brief The cells within @p halo of any of @p positions, clipped to [0, @p length), as sorted
/// disjoint ranges. Ranges less than @p join_gap cells apart are joined: running a head on two
/// stretches costs their margins twice, so a short gap is cheaper to compute through.
/// @param positions candidate cells, any order, duplicates allowed, each in [0, length)
std::vector<CellRange> candidate_windows(std::vector<std::int64_t> positions, std::int64_t halo,
                                         std::int64_t length, std::int64_t join_gap);

/// Number of cells the ranges cover.
std::int64_t covered_cells(const std::vector<CellRange>& ranges);

}  // namespace teamor::detector
