#include "io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::io {
namespace {

// A header above 100 MB is what the safetensors format itself refuses; we do too.
constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;
constexpr std::int64_t kMaxTensorBytes = std::int64_t{1} << 40;

std::size_t dtype_size(DType d) {
  return d == DType::Float16 ? 2 : d == DType::Float32 ? 4 : 8;
}

const char* dtype_name(DType d) {
  return d == DType::Float16 ? "F16" : d == DType::Float32 ? "F32" : "I64";
}

std::string byte_pos(std::uint64_t offset) {
  return "byte " + std::to_string(offset);
}

struct Entry {
  std::string name;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

}  // namespace

SafeTensors read_safetensors(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the safetensors file for reading", file);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  unsigned char len_bytes[8];
  if (file_size < 8 || !in.read(reinterpret_cast<char*>(len_bytes), 8))
    throw FormatError("file too short for a safetensors header length (8 bytes needed, " +
                          std::to_string(file_size) + " found)",
                      file, byte_pos(0));
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i)
    header_len = (header_len << 8) | len_bytes[i];
  if (header_len > kMaxHeaderBytes || 8 + header_len > file_size)
    throw FormatError("header length " + std::to_string(header_len) +
                          " is absurd or runs past the file end (" + std::to_string(file_size) +
                          " bytes)",
                      file, byte_pos(0));
  std::string header(header_len, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_len));

  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(header);
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("malformed JSON header: ") + e.what(), file,
                      byte_pos(8 + e.byte));
  }
  if (!doc.is_object()) throw FormatError("the JSON header is not an object", file, byte_pos(8));

  const std::uint64_t data_start = 8 + header_len;
  const std::uint64_t data_size = file_size - data_start;
  SafeTensors result;
  std::vector<Entry> entries;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& name = it.key();
    if (name == "__metadata__") {
      if (!it->is_object())
        throw FormatError("'__metadata__' must be an object of strings", file, byte_pos(8));
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string())
          throw FormatError("'__metadata__' value of '" + m.key() + "' is not a string", file,
                            byte_pos(8));
        result.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor '" + name + "'";
    auto bad = [&](const std::string& what) -> FormatError {
      return FormatError("malformed entry: " + what, file, where);
    };
    const auto& v = *it;
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") ||
        !v.contains("data_offsets"))
      throw bad("expected an object with 'dtype', 'shape' and 'data_offsets'");
    NpyArray array;
    if (!v["dtype"].is_string()) throw bad("'dtype' is not a string");
    const auto dtype = v["dtype"].get<std::string>();
    if (dtype == "F16")
      array.dtype = DType::Float16;
    else if (dtype == "F32")
      array.dtype = DType::Float32;
    else if (dtype == "I64")
      array.dtype = DType::Int64;
    else
      throw bad("unsupported dtype '" + dtype + "', expected F16, F32 or I64");
    if (!v["shape"].is_array()) throw bad("'shape' is not a list");
    std::int64_t count = 1;
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) throw bad("'shape' holds a value that is not a size");
      const auto dim = d.get<std::uint64_t>();
      if (dim > static_cast<std::uint64_t>(kMaxTensorBytes) ||
          (dim != 0 && count > kMaxTensorBytes / static_cast<std::int64_t>(dim)))
        throw bad("absurd shape (more than 2^40 bytes)");
      array.shape.push_back(static_cast<std::int64_t>(dim));
      count *= static_cast<std::int64_t>(dim);
    }
    const auto& offs = v["data_offsets"];
    if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() ||
        !offs[1].is_number_unsigned())
      throw bad("'data_offsets' must be two unsigned integers");
    Entry e{name, offs[0].get<std::uint64_t>(), offs[1].get<std::uint64_t>()};
    if (e.begin > e.end) throw bad("data_offsets begin after they end");
    const std::uint64_t expected = static_cast<std::uint64_t>(count) * dtype_size(array.dtype);
    if (e.end - e.begin != expected)
      throw FormatError("shape/size mismatch: the shape needs " + std::to_string(expected) +
                            " bytes but data_offsets span " + std::to_string(e.end - e.begin),
                        file, where);
    if (e.end > data_size)
      throw FormatError("truncated data: the tensor ends at data byte " + std::to_string(e.end) +
                            " but only " + std::to_string(data_size) +
                            " data bytes follow the header",
                        file, where + ", " + byte_pos(data_start + e.end));
    result.tensors.emplace(name, std::move(array));
    entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].begin < entries[i - 1].end)
      throw FormatError(
          "tensor data overlaps tensor '" + entries[i - 1].name + "'", file,
          "tensor '" + entries[i].name + "', " + byte_pos(data_start + entries[i].begin));
  }
  for (const auto& e : entries) {
    auto& array = result.tensors.at(e.name);
    array.bytes.resize(e.end - e.begin);
    in.seekg(static_cast<std::streamoff>(data_start + e.begin));
    if (!array.bytes.empty() && !in.read(reinterpret_cast<char*>(array.bytes.data()),
                                         static_cast<std::streamsize>(array.bytes.size())))
      throw IoError("read error in tensor data", file,
                    "tensor '" + e.name + "', " + byte_pos(data_start + e.begin));
  }
  return result;
}

void write_safetensors(const std::filesystem::path& path, const SafeTensors& file) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!file.metadata.empty()) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto& [k, v] : file.metadata)
      meta[k] = v;
    header["__metadata__"] = meta;
  }
  std::uint64_t offset = 0;
  for (const auto& [name, array] : file.tensors) {
    TEAMOR_ASSERT(static_cast<std::uint64_t>(array.element_count()) * dtype_size(array.dtype) ==
                  array.bytes.size());
    header[name] = {{"dtype", dtype_name(array.dtype)},
                    {"shape", array.shape},
                    {"data_offsets", {offset, offset + array.bytes.size()}}};
    offset += array.bytes.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keep tensor data 8-byte aligned
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
  out += text;
  for (const auto& [name, array] : file.tensors)
    out.append(reinterpret_cast<const char*>(array.bytes.data()), array.bytes.size());
  write_file_atomically(path, out);
}

}  // namespace teamor::io
