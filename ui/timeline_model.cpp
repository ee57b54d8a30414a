#include "ui/timeline_model.h"

#include <algorithm>

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Segment;
using annotations::Source;

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {
  rebuild_lanes();
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : segment_count();
}

int TimelineModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= segment_count()) return {};
  const Segment& s = segments_[index.row()];
  switch (role) {
    case kIdRole:
      return QVariant::fromValue<qulonglong>(ids_[index.row()]);
    case kStartRole:
      return s.start_s;
    case kEndRole:
      return s.end_s;
    case kScoreRole:
      return s.score ? QVariant(*s.score) : QVariant();
    case kLaneRole:
      return lane_of(s);
    case kVisibleRole:
      return is_visible(index.row());
    case Qt::DisplayRole:
    case Qt::EditRole:
      switch (index.column()) {
        case kLabel:
          return QString::fromStdString(s.label);
        case kStart:
          return s.start_s;
        case kEnd:
          return s.end_s;
        case kScore:
          return s.score ? QVariant(*s.score) : QVariant();
        case kSource:
          return source_display_name(s.source);
        case kState:
          return state_display_name(s.state);
        case kView:
          return QString::fromStdString(s.view);
        default:
          return {};
      }
    default:
      return {};
  }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kLabel:
      return tr("Protocol");
    case kStart:
      return tr("Start (s)");
    case kEnd:
      return tr("End (s)");
    case kScore:
      return tr("Score");
    case kSource:
      return tr("Source");
    case kState:
      return tr("State");
    case kView:
      return tr("View");
    default:
      return {};
  }
}

void TimelineModel::reset(annotations::AnnotationSet set) {
  beginResetModel();
  segments_ = std::move(set.segments);
  set.segments.clear();
  set_ = std::move(set);
  ids_.clear();
  for (std::size_t i = 0; i < segments_.size(); ++i)
    ids_.push_back(next_id_++);
  rebuild_index();
  rebuild_lanes();
  endResetModel();
  emit segments_changed();
  emit media_changed();
}

annotations::AnnotationSet TimelineModel::annotation_set() const {
  annotations::AnnotationSet out = set_;
  out.segments = segments_;
  return out;
}

int TimelineModel::row_of(SegmentId id) const {
  auto it = rows_.find(id);
  return it == rows_.end() ? -1 : it->second;
}

std::optional<Segment> TimelineModel::find(SegmentId id) const {
  const int row = row_of(id);
  if (row < 0) return std::nullopt;
  return segments_[row];
}

SegmentId TimelineModel::insert(const Segment& segment, int row, SegmentId id) {
  if (row < 0 || row > segment_count()) row = segment_count();
  if (id == 0) id = next_id_++;
  next_id_ = std::max(next_id_, id + 1);
  beginInsertRows({}, row, row);
  segments_.insert(segments_.begin() + row, segment);
  ids_.insert(ids_.begin() + row, id);
  rebuild_index();
  endInsertRows();
  if (lane_of(segment) < 0) rebuild_lanes();
  emit segments_changed();
  return id;
}

std::vector<SegmentId> TimelineModel::append(const std::vector<Segment>& segments,
                                             std::vector<SegmentId> ids) {
  if (segments.empty()) return {};
  if (ids.size() != segments.size()) {
    ids.clear();
    for (std::size_t i = 0; i < segments.size(); ++i)
      ids.push_back(next_id_++);
  }
  for (SegmentId id : ids)
    next_id_ = std::max(next_id_, id + 1);
  const int first = segment_count();
  beginInsertRows({}, first, first + static_cast<int>(segments.size()) - 1);
  segments_.insert(segments_.end(), segments.begin(), segments.end());
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  rebuild_index();
  endInsertRows();
  rebuild_lanes();
  emit segments_changed();
  return ids;
}

void TimelineModel::remove(const std::vector<SegmentId>& ids) {
  if (ids.empty()) return;
  std::unordered_map<SegmentId, bool> gone;
  for (SegmentId id : ids)
    gone[id] = true;
  // A model reset is cheaper than thousands of single-row removals and views re-read everything.
  beginResetModel();
  std::vector<Segment> kept_segments;
  std::vector<SegmentId> kept_ids;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (gone.count(ids_[i])) continue;
    kept_segments.push_back(std::move(segments_[i]));
    kept_ids.push_back(ids_[i]);
  }
  segments_ = std::move(kept_segments);
  ids_ = std::move(kept_ids);
  rebuild_index();
  endResetModel();
  emit segments_changed();
}

int TimelineModel::remove(SegmentId id) {
  const int row = row_of(id);
  if (row < 0) return -1;
  beginRemoveRows({}, row, row);
  segments_.erase(segments_.begin() + row);
  ids_.erase(ids_.begin() + row);
  rebuild_index();
  endRemoveRows();
  emit segments_changed();
  return row;
}

void TimelineModel::replace(SegmentId id, const Segment& segment) {
  const int row = row_of(id);
  if (row < 0) return;
  segments_[row] = segment;
  if (lane_of(segment) < 0) rebuild_lanes();
  emit dataChanged(index(row, 0), index(row, kColumnCount - 1));
  emit segments_changed();
}

void TimelineModel::set_media_offset(const std::string& view, double offset_s) {
  for (auto& m : set_.media) {
    if (m.name == view) {
      m.offset_s = offset_s;
      emit media_changed();
      return;
    }
  }
}

void TimelineModel::set_media(std::vector<annotations::MediaEntry> media) {
  set_.media = std::move(media);
  emit media_changed();
}

void TimelineModel::set_score_threshold(double threshold) {
  threshold = std::clamp(threshold, 0.0, 1.0);
  if (threshold == threshold_) return;
  threshold_ = threshold;
  if (segment_count() > 0)
    emit dataChanged(index(0, 0), index(segment_count() - 1, kColumnCount - 1), {kVisibleRole});
  emit threshold_changed(threshold_);
}

bool TimelineModel::is_visible(int row) const {
  const Segment& s = segments_.at(row);
  // Only detector output is filtered: what people marked is always shown.
  if (s.source != Source::Prediction || !s.score) return true;
  return *s.score >= threshold_;
}

int TimelineModel::lane_of(const Segment& segment) const {
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    if (lanes_[i].label == segment.label && lanes_[i].source == segment.source)
      return static_cast<int>(i);
  return -1;
}

void TimelineModel::rebuild_index() {
  rows_.clear();
  rows_.reserve(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i)
    rows_[ids_[i]] = static_cast<int>(i);
}

void TimelineModel::rebuild_lanes() {
  std::vector<std::string> labels{std::string(annotations::kTimeOut),
                                  std::string(annotations::kStop)};
  std::vector<std::string> extra;
  for (const auto& s : segments_)
    if (std::find(labels.begin(), labels.end(), s.label) == labels.end() &&
        std::find(extra.begin(), extra.end(), s.label) == extra.end())
      extra.push_back(s.label);
  std::sort(extra.begin(), extra.end());
  labels.insert(labels.end(), extra.begin(), extra.end());
  lanes_.clear();
  for (const auto& label : labels)
    for (Source source : {Source::GroundTruth, Source::Prediction, Source::Reviewer})
      lanes_.push_back({label, source});
}

QString source_display_name(Source source) {
  switch (source) {
    case Source::GroundTruth:
      return QObject::tr("ground truth");
    case Source::Prediction:
      return QObject::tr("predictions");
    case Source::Reviewer:
      return QObject::tr("reviewed");
  }
  return {};
}

QString state_display_name(ReviewState state) {
  switch (state) {
    case ReviewState::Proposed:
      return QObject::tr("proposed");
    case ReviewState::Accepted:
      return QObject::tr("accepted");
    case ReviewState::Rejected:
      return QObject::tr("rejected");
    case ReviewState::Edited:
      return QObject::tr("edited");
  }
  return {};
}

}  // namespace teamor::ui
