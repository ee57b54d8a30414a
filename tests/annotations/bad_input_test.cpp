// Every reader on bad input: empty, truncated, wrong types, negative or reversed intervals, NaN,
// duplicated ids, wrong encodings. Each must throw a teamor error naming the file and a position.
#include <gtest/gtest.h>

#include "annotations/annotation_io.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

struct Case {
  Format format;
  std::string what;
  std::string text;
};

std::string pickle_with(const std::string& body) {
  return std::string("\x80\x04", 2) + body;
}

// {"x.mp4": [{"label": "a", "start_frame": <start>, "frame_number": <count>}]} in protocol 4.
std::string event_pickle(const std::string& start, const std::string& count,
                         const std::string& key = "\x8c\x05x.mp4") {
  return pickle_with("}" + key +
                     "]}(\x8c\x05label\x8c\x01"
                     "a\x8c\x0bstart_frame" +
                     start +
                     "\x8c\x0c"
                     "frame_number" +
                     count + "uas.");
}

const std::string kEafHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ANNOTATION_DOCUMENT>\n<TIME_ORDER>\n";
std::string eaf(const std::string& slots, const std::string& value = "x") {
  return kEafHead + slots +
         "</TIME_ORDER>\n<TIER TIER_ID=\"t\">\n<ANNOTATION><ALIGNABLE_ANNOTATION "
         "ANNOTATION_ID=\"a\" "
         "TIME_SLOT_REF1=\"1\" TIME_SLOT_REF2=\"2\"><ANNOTATION_VALUE>" +
         value +
         "</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n</TIER>\n"
         "</ANNOTATION_DOCUMENT>\n";
}
std::string slots(const std::string& a, const std::string& b) {
  return "<TIME_SLOT TIME_SLOT_ID=\"1\" TIME_VALUE=\"" + a +
         "\"/>\n<TIME_SLOT TIME_SLOT_ID=\"2\" TIME_VALUE=\"" + b + "\"/>\n";
}

const std::string kBorisHead = R"({"behaviors_conf": {"0": {"type": "State event", "code": "s"}},
 "observations": {"o": {"events": )";
const std::string kTab = "Observation id\to\nTime\tSubject\tBehavior\tComment\tStatus\n";
const std::string kCsvHead = "recording,label,start_s,end_s\n";
const std::string kLsHead = R"([{"data": {"video": "v.mp4", "fps": 25},
  "annotations": [{"result": [{"type": "timelinelabels", "value": )";

std::vector<Case> cases() {
  return {
      // ActivityNet
      {Format::ActivityNet, "empty", ""},
      {Format::ActivityNet, "truncated", R"({"results": {"v": [{"label": "a", "sco)"},
      {Format::ActivityNet, "wrong type", R"({"results": []})"},
      {Format::ActivityNet, "segment type",
       R"({"database": {"v": {"annotations": [{"label": "a", "segment": "1-2"}]}}})"},
      {Format::ActivityNet, "negative",
       R"({"database": {"v": {"annotations": [{"label": "a", "segment": [-1, 2]}]}}})"},
      {Format::ActivityNet, "reversed",
       R"({"database": {"v": {"annotations": [{"label": "a", "segment": [3, 2]}]}}})"},
      {Format::ActivityNet, "NaN",
       R"({"database": {"v": {"annotations": [{"label": "a", "segment": [NaN, 2]}]}}})"},
      {Format::ActivityNet, "huge",
       R"({"database": {"v": {"annotations": [{"label": "a", "segment": [1, 1e999]}]}}})"},
      {Format::ActivityNet, "duplicate id", R"({"database": {"v": {}, "v": {}}})"},
      {Format::ActivityNet, "latin-1", "{\"database\": {\"caf\xe9\": {}}}"},
      {Format::ActivityNet, "utf-16", std::string("\xff\xfe{\0}\0", 6)},
      // ELAN
      {Format::Elan, "empty", ""},
      {Format::Elan, "truncated", eaf(slots("0", "10")).substr(0, 150)},
      {Format::Elan, "wrong type", eaf(slots("abc", "10"))},
      {Format::Elan, "negative", eaf(slots("-5", "10"))},
      {Format::Elan, "reversed", eaf(slots("10", "5"))},
      {Format::Elan, "NaN", eaf(slots("nan", "5"))},
      {Format::Elan, "duplicate id", eaf(slots("1", "5") + "<TIME_SLOT TIME_SLOT_ID=\"1\"/>\n")},
      {Format::Elan, "latin-1", eaf(slots("1", "5"), "caf\xe9")},
      {Format::Elan, "not eaf", "<html></html>"},
      // CSV
      {Format::Csv, "empty", ""},
      {Format::Csv, "truncated", kCsvHead + "r,a,1,\"2"},
      {Format::Csv, "wrong type", kCsvHead + "r,a,one,2\n"},
      {Format::Csv, "negative", kCsvHead + "r,a,-1,2\n"},
      {Format::Csv, "reversed", kCsvHead + "r,a,3,2\n"},
      {Format::Csv, "NaN", kCsvHead + "r,a,nan,2\n"},
      {Format::Csv, "infinite", kCsvHead + "r,a,1,inf\n"},
      {Format::Csv, "duplicate column", "recording,label,start_s,end_s,label\n"},
      {Format::Csv, "latin-1", kCsvHead + "r,caf\xe9,1,2\n"},
      // BORIS project
      {Format::Boris, "empty", ""},
      {Format::Boris, "truncated", kBorisHead + "[[1.0, \"\", \"s\""},
      {Format::Boris, "wrong type", kBorisHead + "\"many\"}}}"},
      {Format::Boris, "event type", kBorisHead + "[[\"1.0\", \"\", \"s\"]]}}}"},
      {Format::Boris, "negative", kBorisHead + "[[-1.0, \"\", \"s\"], [2.0, \"\", \"s\"]]}}}"},
      {Format::Boris, "reversed", kBorisHead + "[[5.0, \"\", \"s\"], [2.0, \"\", \"s\"]]}}}"},
      {Format::Boris, "duplicate id", R"({"observations": {"o": {}, "o": {}}})"},
      {Format::Boris, "latin-1", kBorisHead + "[[1.0, \"caf\xe9\", \"s\"]]}}}"},
      {Format::Boris, "no observations", R"({"project_name": "x"})"},
      // BORIS tabular
      {Format::BorisTabular, "empty", ""},
      {Format::BorisTabular, "no table", "Observation id\to\n"},
      {Format::BorisTabular, "wrong type", kTab + "abc\t\ts\t\tSTART\n"},
      {Format::BorisTabular, "reversed", kTab + "5\t\ts\t\tSTART\n2\t\ts\t\tSTOP\n"},
      {Format::BorisTabular, "NaN", kTab + "nan\t\ts\t\tSTART\n"},
      {Format::BorisTabular, "bad status", kTab + "1\t\ts\t\tBEGIN\n"},
      {Format::BorisTabular, "latin-1", kTab + "1\t\ts\tcaf\xe9\tSTART\n"},
      // THUMOS14
      {Format::Thumos14, "truncated", "video 1.0"},
      {Format::Thumos14, "wrong type", "video a b\n"},
      {Format::Thumos14, "negative", "video -1 2\n"},
      {Format::Thumos14, "reversed", "video 3 2\n"},
      {Format::Thumos14, "NaN", "video nan 2\n"},
      {Format::Thumos14, "latin-1", "vid\xe9o 1 2\n"},
      // Label Studio
      {Format::LabelStudio, "empty", ""},
      {Format::LabelStudio, "truncated", kLsHead + "{\"ranges\": [{\"start\": 1"},
      {Format::LabelStudio, "wrong type",
       kLsHead + "{\"ranges\": 3, \"timelinelabels\": [\"a\"]}}]}]}]"},
      {Format::LabelStudio, "negative",
       kLsHead + "{\"ranges\": [{\"start\": -4, \"end\": 2}], \"timelinelabels\": [\"a\"]}}]}]}]"},
      {Format::LabelStudio, "reversed",
       kLsHead + "{\"ranges\": [{\"start\": 9, \"end\": 2}], \"timelinelabels\": [\"a\"]}}]}]}]"},
      {Format::LabelStudio, "top type", "42"},
      {Format::LabelStudio, "latin-1",
       kLsHead + "{\"ranges\": [], \"timelinelabels\": [\"caf\xe9\"]}}]}]}]"},
      // Team-OR pickle
      {Format::TeamOrPickle, "empty", ""},
      {Format::TeamOrPickle, "truncated", event_pickle("K\x01", "K\x02").substr(0, 30)},
      {Format::TeamOrPickle, "wrong type",
       pickle_with("]K\x01"
                   "a.")},
      {Format::TeamOrPickle, "negative", event_pickle("J\xff\xff\xff\xff", "K\x02")},
      {Format::TeamOrPickle, "NaN", event_pickle(std::string("G\x7f\xf8\0\0\0\0\0\0", 9), "K\x02")},
      {Format::TeamOrPickle, "float frames",
       event_pickle(std::string("G\x3f\xf8\0\0\0\0\0\0", 9), "K\x02")},
      {Format::TeamOrPickle, "duplicate id", pickle_with("}(\x8c\x05x.mp4]\x8c\x05x.mkv]u.")},
      {Format::TeamOrPickle, "latin-1", event_pickle("K\x01", "K\x02", "\x8c\x05x\xe9mp4")},
      {Format::TeamOrPickle, "code", pickle_with("\x8c\x02os\x8c\x06system\x93.")},
  };
}

TEST(BadInput, EveryReaderNamesTheFileAndPosition) {
  for (const auto& c : cases()) {
    ReadOptions opt;
    opt.format = c.format;
    opt.fps = 30;
    const std::string file = "bad." + std::string(format_name(c.format));
    try {
      read_annotations_from_string(c.text, file, opt);
      ADD_FAILURE() << format_name(c.format) << " accepted: " << c.what;
    } catch (const FormatError& e) {
      EXPECT_EQ(e.file(), file) << c.what;
      EXPECT_FALSE(e.position().empty())
          << format_name(c.format) << " " << c.what << ": " << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << format_name(c.format) << " " << c.what
                    << ": not a FormatError: " << e.what();
    }
  }
}

TEST(BadInput, FrameBasedFormatsSayTheyNeedFps) {
  ReadOptions opt;
  opt.format = Format::TeamOrPickle;
  EXPECT_THROW(read_annotations_from_string(event_pickle("K\x01", "K\x02"), "a.pkl", opt),
               ConfigError);
  opt.format = Format::LabelStudio;
  const std::string ls = R"([{"data": {"video": "v.mp4"}, "annotations": [{"result": [{"type":
    "timelinelabels", "value": {"ranges": [{"start": 1, "end": 2}], "timelinelabels": ["a"]}}]}]}])";
  try {
    read_annotations_from_string(ls, "ls.json", opt);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--fps"), std::string::npos);
  }
}

TEST(BadInput, EmptyThumosFileIsAnEmptyResultNotAnError) {
  ReadOptions opt;
  opt.format = Format::Thumos14;
  EXPECT_TRUE(read_annotations_from_string("", "det.txt", opt).empty());
}

TEST(BadInput, MissingFileIsAnIoError) {
  EXPECT_THROW(read_annotations("/nonexistent/x.json"), IoError);
}

}  // namespace
}  // namespace teamor::annotations
