#pragma once
// Deterministic random numbers for the synthetic recordings. Standard-library distributions differ
// between implementations, so the generator and every distribution are spelled out here: the same
// seed gives the same recording on every platform.

#include <cmath>
#include <cstdint>

namespace teamor::synth {

/// @brief splitmix64: a small, fast, well-mixed 64-bit generator.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [lo, hi].
  int integer(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  /// Standard normal (Box-Muller).
  double normal() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// A generator for a named sub-stream, so adding draws in one part never shifts another.
  Rng fork(std::uint64_t stream) { return Rng(next() ^ (stream * 0xD1B54A32D192ED03ull)); }

 private:
  std::uint64_t state_;
};

/// Stateless hash of a few integers to 64 bits (per-frame choices that must not depend on order).
inline std::uint64_t hash64(std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  Rng r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full ^
        (c + 0x85EBCA77C2B2AE63ull) * 0x165667B19E3779F9ull);
  r.next();
  return r.next();
}

}  // namespace teamor::synth
