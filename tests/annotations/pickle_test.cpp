#include "annotations/formats/pickle.h"

#include <gtest/gtest.h>

#include "annotations/formats/team_or_pickle.h"
#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

using testing::data_dir;
using testing::slurp;

// The same dict pickled by Python with every protocol 0..5 (tests/data/annotations/plain_p*.pkl).
class PickleProtocols : public ::testing::TestWithParam<int> {};

TEST_P(PickleProtocols, ReadsEveryPlainValueType) {
  const auto path = data_dir() / "annotations" / ("plain_p" + std::to_string(GetParam()) + ".pkl");
  const auto c = read_team_or_pickle(slurp(path), path.string(), {.fps = 30.0});
  ASSERT_EQ(c.size(), 5u);
  const auto& a = c.at("a_view1");
  ASSERT_EQ(a.segments.size(), 1u);
  EXPECT_EQ(a.segments[0].label, "Time-out");
  EXPECT_DOUBLE_EQ(a.segments[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(a.segments[0].end_s, 3.0);
  EXPECT_EQ(a.media.at(0).path, "a_view1.mp4");
  EXPECT_EQ(c.at("b_view1").segments.at(0).label, "StOP?");  // events given as a tuple
  EXPECT_DOUBLE_EQ(c.at("b_view1").segments.at(0).end_s, 10.5);
  EXPECT_EQ(c.at("c_view1").segments.at(0).label, "other");  // events as {0: ...}
  EXPECT_TRUE(c.at("d_view1").segments.empty());
  EXPECT_DOUBLE_EQ(c.at("e_view1").segments.at(0).start_s, 1099511627776.0 / 30);
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, PickleProtocols, ::testing::Range(0, 6));

TEST(Pickle, ReadsPlainValuesAndSharedMemo) {
  const auto path = data_dir() / "annotations" / "plain_p4.pkl";
  const auto doc = pickle::load(slurp(path), path.string());
  const auto& top = doc.dict(std::get<pickle::DictRef>(doc.root));
  ASSERT_EQ(top.size(), 5u);
  const auto& events = doc.list(std::get<pickle::ListRef>(top[0].second));
  const auto& ev = doc.dict(std::get<pickle::DictRef>(events[0]));
  // "extra": (1, 2.5, None, True, False)
  const auto& extra = doc.tuple(std::get<pickle::TupleRef>(ev[3].second));
  ASSERT_EQ(extra.size(), 5u);
  EXPECT_EQ(std::get<std::int64_t>(extra[0]), 1);
  EXPECT_DOUBLE_EQ(std::get<double>(extra[1]), 2.5);
  EXPECT_TRUE(std::holds_alternative<pickle::None>(extra[2]));
  EXPECT_TRUE(std::get<bool>(extra[3]));
  EXPECT_FALSE(std::get<bool>(extra[4]));
}

TEST(Pickle, RefusesCodeExecutionWithTheByteOffset) {
  const auto path = data_dir() / "annotations" / "evil_reduce.pkl";
  try {
    pickle::load(slurp(path), path.string());
    FAIL() << "a REDUCE/STACK_GLOBAL pickle must be refused";
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(e.position(), "byte 40");  // STACK_GLOBAL after 'posix', 'system'
    EXPECT_NE(e.message().find("STACK_GLOBAL"), std::string::npos) << e.message();
  }
  // Protocol 0 GLOBAL, hand-written: c os\nsystem\n
  try {
    pickle::load("cos\nsystem\n(S'ls'\ntR.", "g.pkl");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position(), "byte 0");
    EXPECT_NE(e.message().find("GLOBAL"), std::string::npos);
  }
}

TEST(Pickle, RefusesBytesAndSets) {
  for (const char* name : {"bytes_value.pkl", "set_value.pkl"}) {
    const auto path = data_dir() / "annotations" / name;
    EXPECT_THROW(pickle::load(slurp(path), path.string()), FormatError) << name;
  }
}

TEST(Pickle, TruncatedAndMalformedInputFailsCleanly) {
  const auto full = slurp(data_dir() / "annotations" / "plain_p4.pkl");
  for (std::size_t n = 0; n < full.size(); ++n)
    EXPECT_THROW(pickle::load(std::string_view(full).substr(0, n), "cut.pkl"), FormatError) << n;
  EXPECT_THROW(pickle::load("\x80\x04.", "x.pkl"), FormatError);            // STOP, empty stack
  EXPECT_THROW(pickle::load("\x80\x04h\x05.", "x.pkl"), FormatError);       // memo miss
  EXPECT_THROW(pickle::load("\x80\x04K\x01K\x02.", "x.pkl"), FormatError);  // 2 values at STOP
  EXPECT_THROW(pickle::load("\x80\x04K\x01"
                            "a.",
                            "x.pkl"),
               FormatError);  // APPEND to an int
  EXPECT_THROW(pickle::load("\x80\x04\x8a\x09"
                            "123456789.",
                            "x.pkl"),
               FormatError);  // > 64 bits
}

TEST(Pickle, SelfReferencingListNeedsNoReferenceCounting) {
  // l = []; l.append(l)  ->  ] MEMOIZE h\x00 a .
  const std::string data(
      "\x80\x04]\x94h\x00"
      "a.",
      8);
  const auto doc = pickle::load(data, "self.pkl");
  const auto& l = doc.list(std::get<pickle::ListRef>(doc.root));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(std::get<pickle::ListRef>(l[0]).index, std::get<pickle::ListRef>(doc.root).index);
}

TEST(TeamOrPickle, ReadsTheReferenceFixture) {
  auto path = testing::shared_dir() / "reference/fixture-v1/annotations.pkl";
  if (!std::filesystem::exists(path)) path = data_dir() / "fixture-v1/annotations.pkl";
  const auto c = read_team_or_pickle(slurp(path), path.string(), {.fps = 30.0});
  ASSERT_EQ(c.size(), 10u);
  const auto& or06 = c.at("or06_view1");
  ASSERT_EQ(or06.segments.size(), 3u);
  EXPECT_EQ(or06.segments[0].label, "Time-out");
  EXPECT_DOUBLE_EQ(or06.segments[0].start_s, 2320.0 / 30);
  EXPECT_DOUBLE_EQ(or06.segments[0].end_s, (2320.0 + 4448) / 30);
  EXPECT_EQ(or06.segments[1].label, "StOP?");
  EXPECT_EQ(or06.media.at(0).path, "or06_view1.mp4");
}

TEST(TeamOrPickle, NeedsFps) {
  const auto path = data_dir() / "fixture-v1/annotations.pkl";
  EXPECT_THROW(read_team_or_pickle(slurp(path), path.string(), {}), ConfigError);
}

}  // namespace
}  // namespace teamor::annotations
