#pragma once
// safetensors files: a little-endian u64 header length, a JSON header {name: {dtype, shape,
// data_offsets}, "__metadata__": {...}}, then the tensor bytes. Hand-written on purpose (no package).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/npy.h"

namespace teamor::io {

struct SafeTensors {
  std::map<std::string, NpyArray> tensors;        ///< name -> array (dtype F16, F32 or I64)
  std::map<std::string, std::string> metadata;    ///< the optional "__metadata__" strings
};

/// @throws IoError / FormatError naming the file, the tensor and the byte offset: malformed header,
/// overlapping or out-of-range offsets, shape/size mismatch, unsupported dtype, truncated data
SafeTensors read_safetensors(const std::filesystem::path& path);
/// Writes atomically; tensors in name order.
void write_safetensors(const std::filesystem::path& path, const SafeTensors& file);

}  // namespace teamor::io
