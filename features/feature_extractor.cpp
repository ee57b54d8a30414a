#include "features/feature_extractor.h"

#include <algorithm>

#include "common/error.h"
#include "features/registry.h"
#include "features/view_backend.h"

namespace teamor::features {
namespace {

bool is_ceiling(io::ViewRole role) {
  return role != io::ViewRole::Endoscope;
}

/// Where each view goes in the fused vector.
struct Layout {
  int view_dim = 0;
  int ceiling_blocks = 0;  ///< 1 for mean/max, ceiling_slots for concat
  bool endoscope = false;  ///< endoscope block present
  std::vector<int> slot;   ///< per view: ceiling block index, -1 endoscope, -2 ignored
  int dimension() const { return (ceiling_blocks + (endoscope ? 1 : 0)) * (view_dim + 1); }
};

Layout make_layout(const BackendConfig& config, int view_dim, const std::vector<io::View>& views) {
  Layout layout;
  layout.view_dim = view_dim;
  layout.endoscope = config.fusion.endoscope;
  const bool concat = config.fusion.ceiling == CeilingFusion::Concat;
  layout.ceiling_blocks = concat ? config.fusion.ceiling_slots : 1;
  int next_ceiling = 0;
  for (const auto& view : views) {
    if (is_ceiling(view.role)) {
      if (concat && next_ceiling >= layout.ceiling_blocks)
        throw ConfigError("the recording has more ceiling views than the model's " +
                              std::to_string(layout.ceiling_blocks) + " concat slots (view '" +
                              view.name + "')",
                          view.path.string(), "features.fusion.ceiling_slots");
      layout.slot.push_back(concat ? next_ceiling++ : 0);
    } else {
      layout.slot.push_back(layout.endoscope ? -1 : -2);
    }
  }
  return layout;
}

}  // namespace

struct FeatureExtractor::Impl {
  BackendConfig config;
  std::unique_ptr<ViewBackend> backend;
  std::vector<io::View> views;
  io::ClipGrid grid;
  Layout layout;
  bool begun = false;
  std::vector<int> indices;  ///< frame_indices(grid)

  std::vector<std::vector<float>> run(const std::vector<ClipFrames>& clips);
};

std::unique_ptr<FeatureExtractor> FeatureExtractor::create(
    const BackendConfig& config, const std::filesystem::path& bundle_dir) {
  return std::make_unique<FeatureExtractor>(make_backend(config, bundle_dir), config);
}

FeatureExtractor::FeatureExtractor(std::unique_ptr<ViewBackend> backend,
                                   const BackendConfig& config)
    : impl_(std::make_unique<Impl>()) {
  TEAMOR_ASSERT(backend != nullptr);
  impl_->config = config;
  impl_->backend = std::move(backend);
}

FeatureExtractor::~FeatureExtractor() = default;

const std::string& FeatureExtractor::backend_name() const {
  return impl_->config.backend;
}
const BackendConfig& FeatureExtractor::config() const {
  return impl_->config;
}
io::FrameFormat FeatureExtractor::input_format() const {
  return impl_->backend->input_format();
}
int FeatureExtractor::frames_per_clip() const {
  return impl_->backend->frames_per_clip();
}
int FeatureExtractor::view_dimension() const {
  return impl_->backend->dimension();
}

std::vector<int> FeatureExtractor::frame_indices(const io::ClipGrid& grid) const {
  auto indices = impl_->backend->frame_indices(grid.clip_frames);
  for (int k : indices)
    TEAMOR_ASSERT(k >= 0 && k < grid.clip_frames);
  return indices;
}

int FeatureExtractor::dimension(const std::vector<io::View>& views) const {
  return make_layout(impl_->config, view_dimension(), views).dimension();
}

std::vector<std::string> FeatureExtractor::channel_names(const std::vector<io::View>& views) const {
  const Layout layout = make_layout(impl_->config, view_dimension(), views);
  const auto base = impl_->backend->channel_names();
  TEAMOR_ASSERT(static_cast<int>(base.size()) == layout.view_dim);
  std::vector<std::string> names;
  auto block = [&](const std::string& prefix) {
    for (const auto& b : base)
      names.push_back(prefix + "." + b);
    names.push_back(prefix + ".present");
  };
  if (impl_->config.fusion.ceiling == CeilingFusion::Concat) {
    for (int i = 0; i < layout.ceiling_blocks; ++i)
      block("ceiling" + std::to_string(i + 1));
  } else {
    block("ceiling");
  }
  if (layout.endoscope) block("endoscope");
  return names;
}

void FeatureExtractor::begin(const std::vector<io::View>& views, const io::ClipGrid& grid) {
  if (frames_per_clip() > grid.clip_frames)
    throw ConfigError(
        "the " + backend_name() + " backend wants " + std::to_string(frames_per_clip()) +
            " frames per clip but the grid's clips have " + std::to_string(grid.clip_frames),
        {}, "features.settings.frames_per_clip");
  impl_->layout = make_layout(impl_->config, view_dimension(), views);
  impl_->views = views;
  impl_->grid = grid;
  impl_->indices = frame_indices(grid);
  impl_->backend->begin(views.size());
  impl_->begun = true;
}

FeatureSequence FeatureExtractor::make_sequence(const std::vector<io::View>& views,
                                                const io::ClipGrid& grid) const {
  FeatureSequence seq;
  seq.grid = grid;
  seq.backend = backend_name();
  seq.channel_names = channel_names(views);
  seq.C = static_cast<int>(seq.channel_names.size());
  seq.config_json = impl_->config.to_json().dump();
  return seq;
}

std::vector<float> FeatureExtractor::extract_clip(const ClipFrames& clip_frames) {
  return impl_->run({clip_frames}).front();
}

std::vector<std::vector<float>> FeatureExtractor::extract_clips(
    const std::vector<ClipFrames>& clips) {
  return impl_->run(clips);
}

std::vector<std::vector<float>> FeatureExtractor::Impl::run(const std::vector<ClipFrames>& clips) {
  if (!begun) throw ConfigError("FeatureExtractor::begin() must be called before extracting clips");
  const int n = backend->frames_per_clip();
  const int dim = layout.view_dim;
  // Gather the present views of every clip; a view is present when any wanted frame is there.
  std::vector<ViewClip> items;
  std::vector<std::pair<std::size_t, std::size_t>> owner;  // (clip, view) of each item
  for (std::size_t c = 0; c < clips.size(); ++c) {
    const auto& clip = clips[c];
    if (clip.size() != views.size())
      throw ConfigError("clip has frames of " + std::to_string(clip.size()) + " views, expected " +
                        std::to_string(views.size()));
    for (std::size_t v = 0; v < clip.size(); ++v) {
      if (layout.slot[v] == -2) continue;
      const auto& row = clip[v];
      std::vector<const io::Frame*> picked;
      if (static_cast<int>(row.size()) == grid.clip_frames) {
        for (int k : indices)
          picked.push_back(row[k] ? &*row[k] : nullptr);
      } else if (static_cast<int>(row.size()) == n) {
        for (const auto& f : row)
          picked.push_back(f ? &*f : nullptr);
      } else {
        throw ConfigError("view '" + views[v].name + "' has " + std::to_string(row.size()) +
                              " frames in a clip, expected " + std::to_string(grid.clip_frames) +
                              " (whole clip) or " + std::to_string(n) + " (sampled)",
                          views[v].path.string());
      }
      if (std::none_of(picked.begin(), picked.end(), [](auto* f) { return f != nullptr; }))
        continue;
      // Fill gaps from the nearest present frame (earlier one on ties): a view that starts or ends
      // inside the clip still gives a sensible, motion-free stretch instead of garbage.
      std::vector<const io::Frame*> filled(picked.size());
      for (std::size_t k = 0; k < picked.size(); ++k) {
        for (std::size_t d = 0; !filled[k]; ++d) {
          if (k >= d && picked[k - d])
            filled[k] = picked[k - d];
          else if (k + d < picked.size() && picked[k + d])
            filled[k] = picked[k + d];
        }
      }
      items.push_back({v, views[v].role, std::move(filled)});
      owner.emplace_back(c, v);
    }
  }
  std::vector<float> out(items.size() * static_cast<std::size_t>(dim));
  if (!items.empty()) backend->extract(items, out);

  // Fuse: blocks of (dim values + presence).
  const int block = dim + 1;
  const bool pool_max = config.fusion.ceiling == CeilingFusion::Max;
  const bool concat = config.fusion.ceiling == CeilingFusion::Concat;
  int ceiling_views = 0;
  for (std::size_t v = 0; v < views.size(); ++v)
    ceiling_views += layout.slot[v] >= 0 ? 1 : 0;
  std::vector<std::vector<float>> fused(clips.size(), std::vector<float>(layout.dimension(), 0.0f));
  std::vector<int> ceiling_count(clips.size(), 0), endo_count(clips.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto [c, v] = owner[i];
    const float* x = out.data() + i * dim;
    const int slot = layout.slot[v];
    float* dst;
    int* count;
    bool max_pool = false;
    if (slot >= 0) {
      dst = fused[c].data() + (concat ? slot : 0) * block;
      count = &ceiling_count[c];
      max_pool = pool_max;
    } else {
      dst = fused[c].data() + layout.ceiling_blocks * block;
      count = &endo_count[c];
    }
    const bool first = concat || (slot >= 0 ? ceiling_count[c] : endo_count[c]) == 0;
    for (int j = 0; j < dim; ++j) {
      if (first)
        dst[j] = x[j];
      else if (max_pool)
        dst[j] = std::max(dst[j], x[j]);
      else
        dst[j] += x[j];
    }
    if (concat && slot >= 0) dst[dim] = 1.0f;
    ++*count;
  }
  for (std::size_t c = 0; c < clips.size(); ++c) {
    if (!concat && ceiling_count[c] > 0) {
      float* dst = fused[c].data();
      if (!pool_max)
        for (int j = 0; j < dim; ++j)
          dst[j] /= static_cast<float>(ceiling_count[c]);
      // Presence is the fraction of the recording's ceiling views seen in this clip.
      dst[dim] = static_cast<float>(ceiling_count[c]) / static_cast<float>(ceiling_views);
    }
    if (layout.endoscope && endo_count[c] > 0) {
      float* dst = fused[c].data() + layout.ceiling_blocks * block;
      for (int j = 0; j < dim; ++j)
        dst[j] /= static_cast<float>(endo_count[c]);
      dst[dim] = 1.0f;
    }
  }
  return fused;
}

}  // namespace teamor::features
