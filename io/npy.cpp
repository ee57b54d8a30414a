#include "io/npy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// Headers above this are not something NumPy writes; refuse instead of allocating.
constexpr std::uint32_t kMaxHeaderBytes = 1u << 20;
// 2^40 bytes: larger arrays are corrupt headers, not data.
constexpr std::int64_t kMaxArrayBytes = std::int64_t{1} << 40;

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::Float16:
      return 2;
    case DType::Float32:
      return 4;
    case DType::Int64:
      return 8;
  }
  return 0;
}

const char* dtype_descr(DType dtype) {
  switch (dtype) {
    case DType::Float16:
      return "<f2";
    case DType::Float32:
      return "<f4";
    case DType::Int64:
      return "<i8";
  }
  return "";
}

std::string byte_pos(std::uint64_t offset) {
  return "byte " + std::to_string(offset);
}

/// Minimal parser of the header dict NumPy writes: {'descr': ..., 'fortran_order': ..., 'shape':
/// (...)}.
class HeaderParser {
 public:
  HeaderParser(std::string text, std::string file, std::uint64_t base)
      : text_(std::move(text)), file_(std::move(file)), base_(base) {}

  void parse(DType& dtype, std::vector<std::int64_t>& shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip_ws();
    expect('{');
    while (true) {
      skip_ws();
      if (peek() == '}') break;
      const std::string key = parse_string();
      skip_ws();
      expect(':');
      skip_ws();
      if (key == "descr") {
        const std::string descr = parse_string();
        if (descr == "<f2" || descr == "|f2" || descr == "f2")
          dtype = DType::Float16;
        else if (descr == "<f4" || descr == "f4")
          dtype = DType::Float32;
        else if (descr == "<i8" || descr == "i8")
          dtype = DType::Int64;
        else
          fail("unsupported dtype '" + descr +
               "', expected little-endian float16, float32 or int64");
        have_descr = true;
      } else if (key == "fortran_order") {
        if (text_.compare(pos_, 5, "False") == 0) {
          pos_ += 5;
        } else if (text_.compare(pos_, 4, "True") == 0) {
          fail("Fortran-order arrays are not supported, expected C order");
        } else {
          fail("fortran_order must be True or False");
        }
        have_order = true;
      } else if (key == "shape") {
        shape = parse_shape();
        have_shape = true;
      } else {
        fail("unexpected header key '" + key + "'");
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_ws();
      if (peek() != '}') fail("expected ',' or '}' in the header dict");
    }
    if (!have_descr || !have_order || !have_shape)
      fail("header lacks one of 'descr', 'fortran_order', 'shape'");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError("malformed .npy header: " + what, file_, byte_pos(base_ + pos_));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
      ++pos_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string parse_string() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    ++pos_;
    const auto end = text_.find(quote, pos_);
    if (end == std::string::npos) fail("unterminated string");
    std::string s = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return s;
  }
  std::vector<std::int64_t> parse_shape() {
    expect('(');
    std::vector<std::int64_t> shape;
    while (true) {
      skip_ws();
      if (peek() == ')') {
        ++pos_;
        break;
      }
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        fail("expected a dimension in 'shape'");
      std::int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10) fail("dimension too large");
        v = v * 10 + (text_[pos_++] - '0');
      }
      shape.push_back(v);
      skip_ws();
      if (peek() == ',')
        ++pos_;
      else if (peek() != ')')
        fail("expected ',' or ')' in 'shape'");
    }
    return shape;
  }

  std::string text_;
  std::string file_;
  std::uint64_t base_;
  std::size_t pos_ = 0;
};

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1f;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ffu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace

std::int64_t NpyArray::element_count() const {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

std::vector<float> NpyArray::to_float32() const {
  const std::int64_t n = element_count();
  TEAMOR_ASSERT(static_cast<std::uint64_t>(n) * dtype_size(dtype) == bytes.size());
  std::vector<float> out(static_cast<std::size_t>(n));
  const std::uint8_t* p = bytes.data();
  for (std::int64_t i = 0; i < n; ++i) {
    switch (dtype) {
      case DType::Float16: {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        out[i] = half_to_float(h);
        break;
      }
      case DType::Float32:
        std::memcpy(&out[i], p + 4 * i, 4);
        break;
      case DType::Int64: {
        std::int64_t v;
        std::memcpy(&v, p + 8 * i, 8);
        out[i] = static_cast<float>(v);
        break;
      }
    }
  }
  return out;
}

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the .npy file for reading", file);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);

  char prefix[10] = {};
  if (file_size < 10 || !in.read(prefix, 10))
    throw FormatError("file too short for a .npy preamble (10 bytes needed, " +
                          std::to_string(file_size) + " found)",
                      file, byte_pos(0));
  if (std::memcmp(prefix, kMagic, kMagicSize) != 0)
    throw FormatError("not a .npy file: the magic string \\x93NUMPY is missing", file, byte_pos(0));
  const int major = static_cast<unsigned char>(prefix[6]);
  std::uint32_t header_len = 0;
  std::uint64_t header_start = 0;
  if (major == 1) {
    header_len =
        static_cast<unsigned char>(prefix[8]) | (static_cast<unsigned char>(prefix[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    char extra[2];
    if (!in.read(extra, 2)) throw FormatError("truncated .npy preamble", file, byte_pos(10));
    header_len = static_cast<unsigned char>(prefix[8]) |
                 (static_cast<unsigned char>(prefix[9]) << 8) |
                 (static_cast<std::uint32_t>(static_cast<unsigned char>(extra[0])) << 16) |
                 (static_cast<std::uint32_t>(static_cast<unsigned char>(extra[1])) << 24);
    header_start = 12;
  } else {
    throw FormatError("unsupported .npy version " + std::to_string(major) + ", expected 1, 2 or 3",
                      file, byte_pos(6));
  }
  if (header_len > kMaxHeaderBytes || header_start + header_len > file_size)
    throw FormatError("header length " + std::to_string(header_len) + " runs past the file end (" +
                          std::to_string(file_size) + " bytes)",
                      file, byte_pos(8));
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);

  NpyArray array;
  HeaderParser(header, file, header_start).parse(array.dtype, array.shape);

  // Overflow-safe size computation.
  std::int64_t count = 1;
  for (auto d : array.shape) {
    if (d != 0 && count > kMaxArrayBytes / d)
      throw FormatError("absurd array shape in header (more than 2^40 bytes)", file,
                        byte_pos(header_start));
    count *= d;
  }
  const auto elem = dtype_size(array.dtype);
  if (count > kMaxArrayBytes / static_cast<std::int64_t>(elem))
    throw FormatError("absurd array shape in header (more than 2^40 bytes)", file,
                      byte_pos(header_start));
  const std::uint64_t data_bytes = static_cast<std::uint64_t>(count) * elem;
  const std::uint64_t data_start = header_start + header_len;
  if (data_start + data_bytes > file_size)
    throw FormatError("truncated data: the header promises " + std::to_string(data_bytes) +
                          " bytes but only " + std::to_string(file_size - data_start) + " follow",
                      file, byte_pos(file_size));
  array.bytes.resize(data_bytes);
  if (data_bytes > 0 && !in.read(reinterpret_cast<char*>(array.bytes.data()),
                                 static_cast<std::streamsize>(data_bytes)))
    throw IoError("read error in .npy data", file, byte_pos(data_start));
  return array;
}

void write_npy(const std::filesystem::path& path, const NpyArray& array) {
  TEAMOR_ASSERT(static_cast<std::uint64_t>(array.element_count()) * dtype_size(array.dtype) ==
                array.bytes.size());
  std::ostringstream dict;
  dict << "{'descr': '" << dtype_descr(array.dtype) << "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < array.shape.size(); ++i) {
    dict << array.shape[i];
    if (array.shape.size() == 1 || i + 1 < array.shape.size()) dict << ",";
    if (i + 1 < array.shape.size()) dict << " ";
  }
  dict << "), }";
  std::string header = dict.str();
  // Pad with spaces so that the data starts on a 64-byte boundary; end with '\n'.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::string out(kMagic, kMagicSize);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>((header.size() >> 8) & 0xff));
  out += header;
  out.append(reinterpret_cast<const char*>(array.bytes.data()), array.bytes.size());
  write_file_atomically(path, out);
}

void write_npy(const std::filesystem::path& path, const std::vector<float>& values,
               const std::vector<std::int64_t>& shape) {
  NpyArray array;
  array.dtype = DType::Float32;
  array.shape = shape;
  TEAMOR_ASSERT(static_cast<std::size_t>(array.element_count()) == values.size());
  array.bytes.resize(values.size() * 4);
  std::memcpy(array.bytes.data(), values.data(), array.bytes.size());
  write_npy(path, array);
}

}  // namespace teamor::io
