#pragma once
// .npy files (NumPy format 1.0/2.0/3.0): float16, float32, int64 arrays in C order. Hand-written on
// purpose: no Debian package reads/writes .npy from C++.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace teamor::io {

enum class DType { Float16, Float32, Int64 };

/// @brief A dense array as loaded from disk: raw little-endian bytes plus dtype and shape.
struct NpyArray {
  DType dtype = DType::Float32;
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> bytes;  ///< element data, C order, little-endian

  std::int64_t element_count() const;
  /// Values converted to float32 (float16 widened, int64 cast).
  std::vector<float> to_float32() const;
};

/// @throws IoError / FormatError naming the file and byte offset: bad magic, malformed header,
/// unsupported dtype or Fortran order, absurd sizes, truncated data
NpyArray read_npy(const std::filesystem::path& path);
/// Writes atomically.
void write_npy(const std::filesystem::path& path, const NpyArray& array);
/// Convenience: writes float32 data of @p shape.
void write_npy(const std::filesystem::path& path, const std::vector<float>& values,
               const std::vector<std::int64_t>& shape);

}  // namespace teamor::io
