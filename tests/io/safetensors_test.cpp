// Tests of the hand-written safetensors reader/writer.
#include "io/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace fs = std::filesystem;
using teamor::FormatError;
using teamor::io::DType;
using teamor::io::NpyArray;
using teamor::io::read_safetensors;
using teamor::io::SafeTensors;
using teamor::io::write_safetensors;

namespace {

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "teamor_safetensors_test";
  fs::create_directories(dir);
  return dir / name;
}

NpyArray f32(std::vector<float> v, std::vector<std::int64_t> shape) {
  NpyArray a;
  a.dtype = DType::Float32;
  a.shape = std::move(shape);
  a.bytes.resize(v.size() * 4);
  std::memcpy(a.bytes.data(), v.data(), a.bytes.size());
  return a;
}

void write_raw(const fs::path& p, const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  std::ofstream(p, std::ios::binary) << out << header << data;
}

FormatError expect_error(const fs::path& p) {
  try {
    read_safetensors(p);
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), p.string());
    return e;
  }
  ADD_FAILURE() << "no FormatError";
  return FormatError("none");
}

}  // namespace

TEST(SafeTensors, RoundTripKeepsNamesShapesValuesAndMetadata) {
  SafeTensors st;
  st.tensors["b.weight"] = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  st.tensors["a.scale"] = f32({0.5f}, {});
  NpyArray idx;
  idx.dtype = DType::Int64;
  idx.shape = {2};
  std::int64_t vals[2] = {7, -9};
  idx.bytes.assign(reinterpret_cast<std::uint8_t*>(vals),
                   reinterpret_cast<std::uint8_t*>(vals) + 16);
  st.tensors["c.index"] = idx;
  st.metadata["format"] = "pt";
  const auto p = temp_path("round.safetensors");
  write_safetensors(p, st);
  const SafeTensors back = read_safetensors(p);
  ASSERT_EQ(back.tensors.size(), 3u);
  EXPECT_EQ(back.tensors.at("b.weight").shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(back.tensors.at("b.weight").to_float32(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(back.tensors.at("a.scale").shape.empty());
  EXPECT_EQ(back.tensors.at("a.scale").to_float32(), std::vector<float>{0.5f});
  EXPECT_EQ(back.tensors.at("c.index").bytes, idx.bytes);
  EXPECT_EQ(back.metadata.at("format"), "pt");
}

TEST(SafeTensors, RejectsMalformedHeaders) {
  const auto p = temp_path("bad.safetensors");
  write_raw(p, "{not json", "");
  EXPECT_NE(std::string(expect_error(p).what()).find("JSON"), std::string::npos);
  write_raw(p, R"({"x": {"dtype": "BF16", "shape": [1], "data_offsets": [0, 2]}})", "\0\0");
  EXPECT_EQ(expect_error(p).position(), "tensor 'x'");
  write_raw(p, R"({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})", "\0\0\0\0");
  EXPECT_NE(expect_error(p).message().find("mismatch"), std::string::npos);
  write_raw(p, R"({"x": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", "\0\0\0\0");
  expect_error(p);
  write_raw(p, R"({"x": {"dtype": "F32", "shape": [1]}})", "\0\0\0\0");
  expect_error(p);
}

TEST(SafeTensors, RejectsOverlapsAbsurdSizesAndTruncation) {
  const auto p = temp_path("bad2.safetensors");
  write_raw(p,
            R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
            std::string(8, '\0'));
  EXPECT_NE(expect_error(p).message().find("overlaps"), std::string::npos);
  write_raw(p, R"({"a": {"dtype": "F32", "shape": [4000000000000], "data_offsets": [0, 8]}})", "");
  EXPECT_NE(expect_error(p).message().find("absurd"), std::string::npos);
  write_raw(p, R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})",
            std::string(8, '\0'));
  const auto e = expect_error(p);
  EXPECT_NE(e.message().find("truncated"), std::string::npos);
  EXPECT_NE(e.position().find("byte"), std::string::npos) << e.position();
  // A header length larger than the file.
  std::ofstream(p, std::ios::binary) << std::string("\xff\xff\x00\x00\x00\x00\x00\x00{}", 10);
  EXPECT_NE(expect_error(p).position().find("byte 0"), std::string::npos);
}

TEST(SafeTensors, ReadsEveryReferenceFixtureFile) {
  const fs::path dir = fs::path(TEAMOR_SHARED_DIR) / "reference/fixture-v1";
  if (!fs::exists(dir / "model.safetensors")) GTEST_SKIP() << "fixture-v1 not present";
  const SafeTensors model = read_safetensors(dir / "model.safetensors");
  EXPECT_EQ(model.tensors.size(), 56u);
  EXPECT_EQ(model.tensors.at("backbone.embd.0.conv.weight").shape,
            (std::vector<std::int64_t>{512, 1664, 3}));
  // The reference's 0-d Scale parameters are stored with shape [1] in the fixture.
  EXPECT_EQ(model.tensors.at("reg_head.scale.3.scale").element_count(), 1);
  const SafeTensors raw = read_safetensors(dir / "expected_raw.safetensors");
  EXPECT_EQ(raw.tensors.size(), 4u * 4u * 6u);
  EXPECT_EQ(raw.tensors.at("or06_view1/reg_head/level0").shape,
            (std::vector<std::int64_t>{1, 34, 2304}));
}
