#pragma once
// Configuration of the detector: one plain struct per section of the reference config
// (`configs/team_or.yaml` merged over `libs/core/config.py`, MAXAVG_SPEC section 0), defaults in
// code, overrides from the reference YAML or our JSON on top, derived fields filled in finalize().
// Unknown keys and impossible values throw ConfigError naming the key.
//
//   DetectorConfig cfg = load_config("reference_config.yaml");   // or a .json file
//   cfg.improvements.reference_compat = false;                     // opt into the improvements
//   cfg.finalize();

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace teamor::detector {

/// @brief `dataset:` section: feature grid and data handling.
struct DatasetConfig {
  int input_dim = 1664;       ///< feature channels (VideoMAEv2 1408 + ST-GCN++ 256)
  int num_classes = 1;        ///< classes per network (the reference trains one)
  int feat_stride = 32;       ///< video frames between feature rows
  int num_frames = 32;        ///< video frames per clip
  double default_fps = 30.0;  ///< frames per second of the grid convention
  int max_seq_len = 23040;    ///< reference padding length in feature steps
  double trunc_thresh = 0.3;  ///< crop keeps segments with at least this overlap ratio
  std::array<double, 2> crop_ratio{0.9, 1.0};  ///< crop length range as a fraction of L
  std::string seg_name = "11 (Time-Out)";      ///< the annotation label this network detects
  double train_set_ratio = 0.6;                ///< fraction of sorted ids used for training
  std::string json_file;    ///< annotation pickle (reference naming); informative only
  std::string feat_folder;  ///< feature folder; informative only
};

/// @brief `loader:` section.
struct LoaderConfig {
  int batch_size = 2;   ///< videos per training batch
  int num_workers = 4;  ///< reference data-loader workers (unused here)
};

/// @brief `model:` section: architecture hyper-parameters (spec sections 0 and 2).
struct ModelConfig {
  std::string backbone_type = "avg_max";      ///< only "avg_max" (registry name)
  std::array<int, 3> backbone_arch{2, 2, 5};  ///< embedding convs, stem pools, branch pools
  int scale_factor = 2;                       ///< stride between pyramid levels
  /// Regression range per level in level-0 grid units, inclusive (spec 3.1).
  std::vector<std::pair<double, double>> regression_range{{0, 4},  {2, 8},   {4, 16},
                                                          {8, 32}, {16, 64}, {32, 10000}};
  std::string fpn_type = "identity";   ///< only "identity" (LayerNorm neck)
  bool fpn_with_ln = true;             ///< LayerNorm in the neck
  int fpn_dim = 512;                   ///< neck channels (identity neck keeps embd_dim)
  int embd_dim = 512;                  ///< embedding channels
  int embd_kernel_size = 3;            ///< embedding conv kernel (odd)
  bool embd_with_ln = true;            ///< LayerNorm after the embedding convs
  int head_dim = 512;                  ///< head trunk channels
  int head_kernel_size = 3;            ///< head conv kernel (odd)
  int head_num_layers = 3;             ///< trunk convs + final conv
  bool head_with_ln = true;            ///< LayerNorm in the head trunks
  int boundary_kernel_size = 3;        ///< `boudary_kernel_size` in the reference (sic)
  bool use_trident_head = true;        ///< only true is supported
  int num_bins = 16;                   ///< Trident bins; windows are num_bins + 1 wide
  double iou_weight_power = 0.25;      ///< IoU^p weight of positives in the focal loss
  double max_buffer_len_factor = 4.0;  ///< point buffer = max_seq_len * factor
  int n_sgp_win_size = 1;              ///< only sets max_div_factor
  int max_div_factor = 32;             ///< derived: input length multiple (finalize())
};

/// @brief `train_cfg:` section (used by the trainer).
struct TrainConfig {
  std::string center_sample = "radius";  ///< "radius" or "none"
  double center_sample_radius = 1.5;     ///< in strides
  double loss_weight = 1.0;              ///< weight of the regression loss
  double cls_prior_prob = 0.01;          ///< classification bias init -log((1-p)/p)
  double init_loss_norm = 250.0;         ///< initial loss normaliser
  double clip_grad_l2norm = 1.0;         ///< global gradient clip; <= 0 disables
  double label_smoothing = 0.0;          ///< no-op in the reference
  double dropout = 0.0;                  ///< dead in the reference
  double droppath = 0.1;                 ///< dead in the reference
};

/// @brief `test_cfg:` section: inference post-processing (spec section 4).
struct TestConfig {
  double pre_nms_thresh = 0.001;    ///< keep probabilities above this
  int pre_nms_topk = 5000;          ///< per level
  double duration_thresh = 0.05;    ///< minimum segment length in grid units
  std::string nms_method = "soft";  ///< only "soft" (Gaussian)
  bool multiclass_nms = true;       ///< only true is supported
  double nms_sigma = 0.4;           ///< decay exp(-iou^2 / sigma)
  double min_score = 0.001;         ///< Soft-NMS drops scores below this
  int max_seg_num = 2000;           ///< detections kept per class and per video
  double iou_threshold = 0.1;       ///< inert for Gaussian Soft-NMS
  double voting_thresh = 0.75;      ///< inert (multiclass)
};

/// @brief `opt:` section (used by the trainer).
struct OptConfig {
  std::string type = "AdamW";   ///< only AdamW
  double learning_rate = 1e-4;  ///< base learning rate
  double weight_decay = 0.025;  ///< decay of conv weights
  bool warmup = true;           ///< linear warm-up before the cosine
  int warmup_epochs = 30;       ///< warm-up epochs
  int epochs = 30;              ///< epochs after warm-up
  std::string schedule_type = "cosine";
  double eta_min = 1e-8;  ///< cosine floor
  double momentum = 0.9;  ///< unused by AdamW
};

/// @brief Our improvements over the reference, each a switch. `reference_compat = true` (the
/// default) forces every switch off so that results equal the reference bit for bit.
struct ImprovementConfig {
  bool reference_compat = true;  ///< master switch: true = behave exactly like the reference
  /// Pad to 32*(ceil(L/32)+1) instead of max_seq_len, and pad one extra cell per level so results
  /// do not depend on padding (spec 1.7 / 8.1); compute grows with L.
  bool adaptive_padding = true;
  bool clip_to_duration = true;  ///< clip segments to [0, real duration] (spec 8.3/8.8)
  bool fixed_schedule =
      true;  ///< trainer: EMA schedule that leaves no initialisation (spec 8.3/8.4)
  /// Inference: run the start, end and regression heads (about 60 % of the arithmetic) only
  /// around cells whose class score can still become a detection; same detections.
  bool sparse_heads = true;
  /// Inference: sequences longer than this many feature steps (rounded up to max_div_factor) run
  /// in overlapping chunks of this length, so the network's memory stops growing with the
  /// recording (chunked_forward.h); 0 = always one pass. Needs adaptive_padding.
  int chunk_steps = 2048;
};

/// @brief The whole configuration.
struct DetectorConfig {
  std::int64_t init_rand_seed = 1234567891;  ///< seed for training / initialisation
  int num_devices = 1;                       ///< len(devices): lr multiplier in the reference
  std::string model_name = "MaxAvg_net";     ///< only "MaxAvg_net"
  DatasetConfig dataset;
  LoaderConfig loader;
  ModelConfig model;
  TrainConfig train;
  TestConfig test;
  OptConfig opt;
  ImprovementConfig improvements;

  /// @brief Number of pyramid levels (backbone_arch[2] + 1).
  int num_levels() const { return model.backbone_arch[2] + 1; }
  /// @brief Whether the adaptive (padding-independent) path is on after the master switch.
  bool use_adaptive_padding() const {
    return !improvements.reference_compat && improvements.adaptive_padding;
  }
  /// @brief Whether segments are clipped to the real duration after the master switch.
  bool use_clip_to_duration() const {
    return !improvements.reference_compat && improvements.clip_to_duration;
  }
  /// @brief Whether inference runs the boundary and regression heads only where needed.
  bool use_sparse_heads() const {
    return !improvements.reference_compat && improvements.sparse_heads;
  }
  /// @brief Chunk length for inference in steps (a multiple of max_div_factor), 0 = one pass.
  int64_t inference_chunk_steps() const {
    if (!use_adaptive_padding() || improvements.chunk_steps <= 0) return 0;
    const int64_t div = model.max_div_factor;
    return (improvements.chunk_steps + div - 1) / div * div;
  }
  /// @brief Whether the trainer uses the fixed EMA schedule after the master switch.
  bool use_fixed_schedule() const {
    return !improvements.reference_compat && improvements.fixed_schedule;
  }

  /// @brief Fills derived fields (max_div_factor) and checks every value.
  /// @throws ConfigError naming the key of the first impossible value
  void finalize();
};

/// @brief Reads a reference YAML (`*.yaml`/`*.yml`) or our JSON (`*.json`) and merges it over
/// the defaults, then finalize()s.
/// @param path the file; its extension picks the parser (JSON is also valid YAML)
/// @throws IoError when unreadable, ConfigError naming the file, line and key for unknown keys,
///         wrong types or impossible values
DetectorConfig load_config(const std::filesystem::path& path);

/// @brief Parses YAML or JSON text over @p base (keys absent keep @p base's values), then
/// finalize()s.
/// @param text YAML or JSON text
/// @param base the values to start from
/// @param source_name file name used in error messages
/// @throws ConfigError naming the key
DetectorConfig parse_config(const std::string& text, const DetectorConfig& base = {},
                            const std::string& source_name = "<config>");

/// @brief Serialises the whole configuration as JSON (same key names as the reference YAML, plus
/// `improvements`), so that parse_config(to_json(c)) == c.
std::string to_json(const DetectorConfig& config);

}  // namespace teamor::detector
