#include "annotations/formats/boris_comment.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "annotations/formats/format_support.h"

namespace teamor::annotations::detail {

std::string boris_comment(const Segment& s) {
  const bool default_state =
      s.state == (s.source == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted);
  if (!s.score && default_state && s.source == Source::GroundTruth) return s.note;
  std::string out = "[teamor";
  if (s.score) out += " score=" + format_number(*s.score);
  out += " state=" + std::string(to_string(s.state));
  out += " source=" + std::string(to_string(s.source));
  out += "]";
  if (!s.note.empty()) out += " " + s.note;
  return out;
}

void apply_boris_comment(std::string_view comment, Segment& s) {
  constexpr std::string_view kPrefix = "[teamor";
  auto close = comment.find(']');
  if (comment.substr(0, kPrefix.size()) != kPrefix || close == std::string_view::npos) {
    s.note = std::string(comment);
    return;
  }
  std::istringstream fields(std::string(comment.substr(kPrefix.size(), close - kPrefix.size())));
  for (std::string kv; fields >> kv;) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    try {
      double v = 0;
      if (key == "score" && parse_number(value, v) && v >= 0 && v <= 1) s.score = v;
      if (key == "state") s.state = review_state_from_string(value);
      if (key == "source") s.source = source_from_string(value);
    } catch (const std::exception&) {
      // An unknown value in a hand-edited comment: keep the default rather than refuse the file.
    }
  }
  comment.remove_prefix(close + 1);
  if (!comment.empty() && comment.front() == ' ') comment.remove_prefix(1);
  s.note = std::string(comment);
}

}  // namespace teamor::annotations::detail

namespace teamor::annotations::detail {

std::vector<std::string> boris_subjects(const std::vector<const Segment*>& segments) {
  std::vector<std::size_t> order(segments.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return segments[a]->start_s < segments[b]->start_s;
  });
  // Per (label, view, source): the end time of each lane.
  std::map<std::tuple<std::string, std::string, Source>, std::vector<double>> lanes;
  std::vector<std::string> out(segments.size());
  for (std::size_t i : order) {
    const Segment& s = *segments[i];
    auto& ends = lanes[{s.label, s.view, s.source}];
    std::size_t lane = 0;
    // A zero-length interval at a lane's end time would toggle the state twice at one instant;
    // keep it in the lane only when strictly after the previous interval.
    while (lane < ends.size() &&
           !(ends[lane] < s.start_s || (ends[lane] == s.start_s && s.end_s > s.start_s)))
      ++lane;
    if (lane == ends.size())
      ends.push_back(s.end_s);
    else
      ends[lane] = s.end_s;
    std::string subject = s.view;
    if (s.source != Source::GroundTruth || lane > 0) {
      if (!subject.empty()) subject += " ";
      subject += "[" + std::string(to_string(s.source));
      if (lane > 0) subject += " " + std::to_string(lane + 1);
      subject += "]";
    }
    out[i] = subject;
  }
  return out;
}

void apply_boris_subject(std::string_view subject, Segment& s) {
  s.view = std::string(subject);
  if (subject.empty() || subject.back() != ']') return;
  const auto open = subject.rfind('[');
  if (open == std::string_view::npos) return;
  std::string inside(subject.substr(open + 1, subject.size() - open - 2));
  if (auto sp = inside.find(' '); sp != std::string::npos) {
    const std::string lane = inside.substr(sp + 1);
    if (lane.empty() || lane.find_first_not_of("0123456789") != std::string::npos) return;
    inside.resize(sp);
  }
  try {
    s.source = source_from_string(inside);
  } catch (const std::exception&) {
    return;  // an ordinary subject name that happens to end in ']'
  }
  auto view = subject.substr(0, open);
  if (!view.empty() && view.back() == ' ') view.remove_suffix(1);
  s.view = std::string(view);
}

std::vector<BorisStateEvent> boris_state_events(const std::vector<Segment>& segments) {
  std::vector<const Segment*> ptrs;
  for (const auto& s : segments)
    ptrs.push_back(&s);
  const std::vector<std::string> subject_of = boris_subjects(ptrs);
  struct Ev {
    double t;
    int group;  // 0: STOP of an interval, 1: zero-length START/STOP, 2: START of an interval
    std::size_t seq;
    int within;  // 0: START, 1: STOP
  };
  std::vector<Ev> evs;
  for (std::size_t k = 0; k < ptrs.size(); ++k) {
    const Segment* s = ptrs[k];
    const bool point = s->end_s == s->start_s;
    evs.push_back({s->start_s, point ? 1 : 2, k, 0});
    evs.push_back({s->end_s, point ? 1 : 0, k, 1});
  }
  std::sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
    return std::tie(a.t, a.group, a.seq, a.within) < std::tie(b.t, b.group, b.seq, b.within);
  });
  std::vector<BorisStateEvent> out;
  out.reserve(evs.size());
  for (const auto& e : evs)
    out.push_back({e.t, e.within == 0, ptrs[e.seq], subject_of[e.seq]});
  return out;
}

}  // namespace teamor::annotations::detail
