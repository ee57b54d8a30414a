#pragma once
// TimelineModel: the Qt adapter over one recording's AnnotationSet. The domain types (Segment,
// AnnotationSet) know nothing of Qt; this class exposes them as a QAbstractItemModel (one row per
// segment) and adds what the viewer needs on top: stable segment ids for undo commands, lanes
// (one per protocol label and source), media offsets and the prediction score threshold.
//
// Only undo commands (ui/commands/) call the mutating functions; widgets push commands.

#include <QAbstractTableModel>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "annotations/annotation_set.h"

namespace teamor::ui {

/// Identifies a segment for as long as the document is open (survives undo/redo and reordering).
using SegmentId = std::uint64_t;

/// One timeline lane: all segments of one protocol label from one source.
struct LaneKey {
  std::string label;
  annotations::Source source = annotations::Source::GroundTruth;
  friend bool operator==(const LaneKey&, const LaneKey&) = default;
};

/// @brief Adapts an AnnotationSet to Qt's item model; rows are segments in insertion order.
class TimelineModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kLabel, kStart, kEnd, kScore, kSource, kState, kView, kColumnCount };
  enum Role {
    kIdRole = Qt::UserRole + 1,  ///< SegmentId (qulonglong)
    kStartRole,                  ///< start, seconds (double)
    kEndRole,                    ///< end, seconds (double)
    kScoreRole,                  ///< score in [0, 1], invalid QVariant when none
    kLaneRole,                   ///< lane index (int)
    kVisibleRole,                ///< passes the score threshold (bool)
  };

  explicit TimelineModel(QObject* parent = nullptr);

  // QAbstractItemModel
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  /// @brief Replaces everything (not undoable: used when a document is opened or recovered).
  void reset(annotations::AnnotationSet set);
  /// @brief The current content as a plain AnnotationSet (segments in row order).
  annotations::AnnotationSet annotation_set() const;

  int segment_count() const { return static_cast<int>(segments_.size()); }
  const annotations::Segment& segment(int row) const { return segments_.at(row); }
  SegmentId id_at(int row) const { return ids_.at(row); }
  /// Row of @p id, or -1 when no such segment exists.
  int row_of(SegmentId id) const;
  /// The segment with @p id, or nullopt.
  std::optional<annotations::Segment> find(SegmentId id) const;

  // ---- mutations, for undo commands only ----
  /// @brief Inserts @p segment at @p row (clamped; -1 = end) under @p id (0 = allocate a new id).
  /// @return the id used
  SegmentId insert(const annotations::Segment& segment, int row = -1, SegmentId id = 0);
  /// @brief Appends many segments at once (one change notification).
  /// @param ids ids to use (same length as @p segments), or empty to allocate new ones
  /// @return the ids used
  std::vector<SegmentId> append(const std::vector<annotations::Segment>& segments,
                                std::vector<SegmentId> ids = {});
  /// @brief Removes many segments at once (one change notification); absent ids are ignored.
  void remove(const std::vector<SegmentId>& ids);
  /// @brief Removes the segment @p id. @return its row before removal, -1 when absent
  int remove(SegmentId id);
  /// @brief Replaces the segment @p id with @p segment.
  void replace(SegmentId id, const annotations::Segment& segment);
  /// @brief Sets the offset of media entry @p view (view_time = timeline + offset), seconds.
  void set_media_offset(const std::string& view, double offset_s);

  const std::vector<annotations::MediaEntry>& media() const { return set_.media; }
  const std::string& recording_id() const { return set_.recording_id; }
  std::optional<double> fps() const { return set_.fps; }
  void set_fps(std::optional<double> fps) { set_.fps = fps; }
  std::optional<double> duration_s() const { return set_.duration_s; }
  void set_duration_s(std::optional<double> d) { set_.duration_s = d; }
  /// @brief Sets media entries (not undoable: used when a recording is opened).
  void set_media(std::vector<annotations::MediaEntry> media);

  /// @brief Predictions with a score below @p threshold are hidden (0 shows all).
  void set_score_threshold(double threshold);
  double score_threshold() const { return threshold_; }
  /// True when the segment at @p row is shown under the current threshold.
  bool is_visible(int row) const;

  /// The lanes in display order: standard protocols first, then any other label; per label the
  /// sources ground truth, prediction, reviewer. Always contains the standard lanes.
  const std::vector<LaneKey>& lanes() const { return lanes_; }
  int lane_of(const annotations::Segment& segment) const;

 signals:
  /// Emitted after any change of segments (insert, remove, replace, reset).
  void segments_changed();
  void media_changed();
  void threshold_changed(double threshold);

 private:
  void rebuild_index();
  void rebuild_lanes();

  annotations::AnnotationSet set_;  ///< metadata and media; segments live in segments_
  std::vector<annotations::Segment> segments_;
  std::vector<SegmentId> ids_;
  std::unordered_map<SegmentId, int> rows_;
  std::vector<LaneKey> lanes_;
  SegmentId next_id_ = 1;
  double threshold_ = 0;
};

/// Human name of a source for lane headers ("Ground truth", "Predictions", "Reviewed").
QString source_display_name(annotations::Source source);
/// Human name of a review state ("proposed", ...).
QString state_display_name(annotations::ReviewState state);

}  // namespace teamor::ui
