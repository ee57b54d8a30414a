// Tests of the hand-written .npy reader/writer.
#include "io/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"

namespace fs = std::filesystem;
using teamor::FormatError;
using teamor::IoError;
using teamor::io::DType;
using teamor::io::NpyArray;
using teamor::io::read_npy;
using teamor::io::write_npy;

namespace {

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "teamor_npy_test";
  fs::create_directories(dir);
  return dir / name;
}

/// Writes a version-1 .npy with a hand-made header dict and @p data bytes.
void write_raw(const fs::path& path, const std::string& dict, const std::string& data,
               int major = 1) {
  std::string header = dict;
  const std::size_t pre = major == 1 ? 10 : 12;
  header.append((64 - (pre + header.size() + 1) % 64) % 64, ' ');
  header.push_back('\n');
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>((header.size() >> 8) & 0xff));
  if (major != 1) out.append(2, '\0');
  out += header + data;
  std::ofstream(path, std::ios::binary) << out;
}

template <typename T>
std::string bytes_of(std::initializer_list<T> values) {
  std::string s;
  for (T v : values)
    s.append(reinterpret_cast<const char*>(&v), sizeof v);
  return s;
}

std::string expect_format_error(const fs::path& path) {
  try {
    read_npy(path);
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_NE(e.position().find("byte"), std::string::npos) << e.what();
    return e.message();
  }
  ADD_FAILURE() << "no FormatError for " << path;
  return {};
}

}  // namespace

TEST(Npy, Float32RoundTripKeepsShapeAndValues) {
  const auto path = temp_path("f32.npy");
  std::vector<float> values{0.f, -1.5f, 3.25f, 1e-30f, 7.f, 8.f};
  write_npy(path, values, {2, 3});
  const NpyArray a = read_npy(path);
  EXPECT_EQ(a.dtype, DType::Float32);
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a.to_float32(), values);
}

TEST(Npy, ReadsFloat16IncludingSubnormalsAndInfinity) {
  const auto path = temp_path("f16.npy");
  // 1.0, -2.0, 0.5, smallest subnormal 2^-24, +inf, 65504 (max half)
  write_raw(path, "{'descr': '<f2', 'fortran_order': False, 'shape': (6,), }",
            bytes_of<std::uint16_t>({0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00, 0x7bff}));
  const auto v = read_npy(path).to_float32();
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.0f);
  EXPECT_EQ(v[2], 0.5f);
  EXPECT_EQ(v[3], std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(v[4]));
  EXPECT_EQ(v[5], 65504.0f);
}

TEST(Npy, ReadsInt64AndVersion2Headers) {
  const auto path = temp_path("i64.npy");
  write_raw(path, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 1), }",
            bytes_of<std::int64_t>({-5, 1234567890123}), 2);
  const NpyArray a = read_npy(path);
  EXPECT_EQ(a.dtype, DType::Int64);
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 1}));
  std::int64_t second;
  std::memcpy(&second, a.bytes.data() + 8, 8);
  EXPECT_EQ(second, 1234567890123);
}

TEST(Npy, ScalarAndEmptyShapes) {
  const auto p0 = temp_path("scalar.npy");
  write_raw(p0, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", bytes_of<float>({2.5f}));
  EXPECT_EQ(read_npy(p0).to_float32(), std::vector<float>{2.5f});
  const auto p1 = temp_path("empty.npy");
  write_raw(p1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1664), }", "");
  EXPECT_EQ(read_npy(p1).element_count(), 0);
}

TEST(Npy, RejectsBadMagicWrongDtypeFortranOrderAndGarbage) {
  const auto p = temp_path("bad.npy");
  std::ofstream(p, std::ios::binary) << "NOTNUMPYxxxxxxxxxxxxxxxxxxxxx";
  EXPECT_NE(expect_format_error(p).find("magic"), std::string::npos);

  write_raw(p, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", bytes_of<float>({1}));
  EXPECT_NE(expect_format_error(p).find("dtype"), std::string::npos);
  write_raw(p, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", bytes_of<float>({1}));
  EXPECT_NE(expect_format_error(p).find("Fortran"), std::string::npos);
  write_raw(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", bytes_of<float>({1}));
  EXPECT_NE(expect_format_error(p).find("shape"), std::string::npos);
  write_raw(p, "{'descr': '<f4', 'fortran_order': False}", bytes_of<float>({1}));
  EXPECT_NE(expect_format_error(p).find("lacks"), std::string::npos);
}

TEST(Npy, RejectsAbsurdSizesAndTruncatedData) {
  const auto p = temp_path("huge.npy");
  write_raw(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999), }", "");
  EXPECT_NE(expect_format_error(p).find("absurd"), std::string::npos);

  write_raw(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
            bytes_of<float>({1, 2}));
  const std::string msg = expect_format_error(p);
  EXPECT_NE(msg.find("truncated"), std::string::npos);
  EXPECT_NE(msg.find("16 bytes"), std::string::npos) << msg;

  // Header length pointing past the end.
  std::string bytes("\x93NUMPY\x01\x00\xff\x7f", 10);
  std::ofstream(p, std::ios::binary) << bytes;
  expect_format_error(p);
}

TEST(Npy, MissingFileIsAnIoError) {
  EXPECT_THROW(read_npy(temp_path("does_not_exist.npy")), IoError);
}

TEST(Npy, ReadsEveryReferenceFixtureFeatureFile) {
  const fs::path dir = fs::path(TEAMOR_SHARED_DIR) / "reference/fixture-v1/features";
  if (!fs::exists(dir)) GTEST_SKIP() << "fixture-v1 not present";
  int files = 0;
  for (const auto& stream : {"videomaev2", "stgcnpp"}) {
    for (const auto& entry : fs::directory_iterator(dir / stream)) {
      const NpyArray a = read_npy(entry.path());
      EXPECT_EQ(a.dtype, DType::Float16);
      ASSERT_EQ(a.shape.size(), 2u);
      EXPECT_EQ(a.shape[1], std::string(stream) == "videomaev2" ? 1408 : 256);
      EXPECT_GT(a.shape[0], 500);
      const auto v = a.to_float32();
      for (float x : v)
        ASSERT_TRUE(std::isfinite(x));
      ++files;
    }
  }
  EXPECT_EQ(files, 20);
}
