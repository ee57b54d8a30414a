#include "detector/config.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace teamor::detector {
namespace {

/// Reads typed values from YAML nodes and turns every problem into a ConfigError with the key and
/// line. One instance per file.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& what) const {
    const std::string line =
        node.Mark().is_null() ? "" : "line " + std::to_string(node.Mark().line + 1);
    throw ConfigError("config key '" + key + "': " + what, source_,
                      line.empty() ? "key '" + key + "'" : line + ", key '" + key + "'");
  }

  template <typename T>
  T scalar(const YAML::Node& node, const std::string& key, const char* expected) const {
    if (!node.IsScalar()) fail(node, key, std::string("expected ") + expected);
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(node, key, std::string("expected ") + expected + ", found '" + node.Scalar() + "'");
    }
  }
  int integer(const YAML::Node& n, const std::string& k) const {
    const double v = scalar<double>(n, k, "an integer");
    if (v != std::floor(v) || std::abs(v) > 2e9)
      fail(n, k, "expected an integer, found '" + n.Scalar() + "'");
    return static_cast<int>(v);
  }
  double number(const YAML::Node& n, const std::string& k) const {
    return scalar<double>(n, k, "a number");
  }
  bool boolean(const YAML::Node& n, const std::string& k) const {
    return scalar<bool>(n, k, "true or false");
  }
  std::string string(const YAML::Node& n, const std::string& k) const {
    if (n.IsNull()) return {};
    return scalar<std::string>(n, k, "a string");
  }

  using Setter = std::function<void(const YAML::Node&, const std::string&)>;
  /// Applies @p setters to the keys of mapping @p node; unknown keys throw.
  void section(const YAML::Node& node, const std::string& prefix,
               const std::map<std::string, Setter>& setters) const {
    if (node.IsNull()) return;
    if (!node.IsMap()) fail(node, prefix, "expected a mapping of keys");
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>();
      const std::string full = prefix.empty() ? key : prefix + "." + key;
      const auto it = setters.find(key);
      if (it == setters.end()) fail(kv.first, full, "unknown key");
      it->second(kv.second, full);
    }
  }

  const std::string& source() const { return source_; }

 private:
  std::string source_;
};

// Keys the reference accepts but that change nothing (spec 0 / 8.6); accepted and ignored.
Reader::Setter ignore() {
  return [](const YAML::Node&, const std::string&) {};
}

void apply(const YAML::Node& root, DetectorConfig& c, const Reader& r) {
  using S = Reader::Setter;
  auto int_ = [&](int& dst) -> S {
    return [&r, &dst](const YAML::Node& n, const std::string& k) { dst = r.integer(n, k); };
  };
  auto num_ = [&](double& dst) -> S {
    return [&r, &dst](const YAML::Node& n, const std::string& k) { dst = r.number(n, k); };
  };
  auto bool_ = [&](bool& dst) -> S {
    return [&r, &dst](const YAML::Node& n, const std::string& k) { dst = r.boolean(n, k); };
  };
  auto str_ = [&](std::string& dst) -> S {
    return [&r, &dst](const YAML::Node& n, const std::string& k) { dst = r.string(n, k); };
  };

  auto& d = c.dataset;
  const std::map<std::string, S> dataset{
      {"json_file", str_(d.json_file)},
      {"feat_folder", str_(d.feat_folder)},
      {"file_prefix", ignore()},
      {"file_ext", ignore()},
      {"num_classes", int_(d.num_classes)},
      {"input_dim", int_(d.input_dim)},
      {"feat_stride", int_(d.feat_stride)},
      {"num_frames", int_(d.num_frames)},
      {"default_fps", num_(d.default_fps)},
      {"trunc_thresh", num_(d.trunc_thresh)},
      {"crop_ratio",
       [&](const YAML::Node& n, const std::string& k) {
         if (!n.IsSequence() || n.size() != 2) r.fail(n, k, "expected a list of two numbers");
         d.crop_ratio = {r.number(n[0], k), r.number(n[1], k)};
       }},
      {"max_seq_len", int_(d.max_seq_len)},
      {"seg_name", str_(d.seg_name)},
      {"train_set_ratio", num_(d.train_set_ratio)},
      {"downsample_rate",
       [&](const YAML::Node& n, const std::string& k) {
         if (r.integer(n, k) != 1) r.fail(n, k, "only 1 is supported (the reference's value)");
       }},
      {"force_upsampling",
       [&](const YAML::Node& n, const std::string& k) {
         if (r.boolean(n, k)) r.fail(n, k, "only false is supported (the reference's value)");
       }},
  };
  auto& m = c.model;
  const std::map<std::string, S> model{
      {"backbone_type", str_(m.backbone_type)},
      {"backbone_arch",
       [&](const YAML::Node& n, const std::string& k) {
         if (!n.IsSequence() || n.size() != 3) r.fail(n, k, "expected a list of three integers");
         for (int i = 0; i < 3; ++i)
           m.backbone_arch[i] = r.integer(n[i], k);
       }},
      {"scale_factor", int_(m.scale_factor)},
      {"regression_range",
       [&](const YAML::Node& n, const std::string& k) {
         if (!n.IsSequence()) r.fail(n, k, "expected a list of [lo, hi] pairs");
         m.regression_range.clear();
         for (const auto& p : n) {
           if (!p.IsSequence() || p.size() != 2) r.fail(p, k, "expected [lo, hi]");
           m.regression_range.emplace_back(r.number(p[0], k), r.number(p[1], k));
         }
       }},
      {"fpn_type", str_(m.fpn_type)},
      {"fpn_with_ln", bool_(m.fpn_with_ln)},
      {"fpn_dim", int_(m.fpn_dim)},
      {"embd_dim", int_(m.embd_dim)},
      {"embd_kernel_size", int_(m.embd_kernel_size)},
      {"embd_with_ln", bool_(m.embd_with_ln)},
      {"head_dim", int_(m.head_dim)},
      {"head_kernel_size", int_(m.head_kernel_size)},
      {"head_num_layers", int_(m.head_num_layers)},
      {"head_with_ln", bool_(m.head_with_ln)},
      {"boudary_kernel_size", int_(m.boundary_kernel_size)},
      {"boundary_kernel_size", int_(m.boundary_kernel_size)},
      {"use_trident_head", bool_(m.use_trident_head)},
      {"num_bins", int_(m.num_bins)},
      {"iou_weight_power", num_(m.iou_weight_power)},
      {"max_buffer_len_factor", num_(m.max_buffer_len_factor)},
      {"n_sgp_win_size", int_(m.n_sgp_win_size)},
      // dead in the reference (spec 8.6) or copied from other sections
      {"k", ignore()},
      {"sgp_mlp_dim", ignore()},
      {"init_conv_vars", ignore()},
      {"downsample_type", ignore()},
      {"use_abs_pe", ignore()},
      {"input_noise", ignore()},
      {"input_dim", int_(d.input_dim)},
      {"num_classes", int_(d.num_classes)},
      {"max_seq_len", int_(d.max_seq_len)},
  };
  auto& t = c.train;
  const std::map<std::string, S> train{
      {"center_sample", str_(t.center_sample)},
      {"center_sample_radius", num_(t.center_sample_radius)},
      {"loss_weight", num_(t.loss_weight)},
      {"cls_prior_prob", num_(t.cls_prior_prob)},
      {"init_loss_norm", num_(t.init_loss_norm)},
      {"clip_grad_l2norm", num_(t.clip_grad_l2norm)},
      {"label_smoothing", num_(t.label_smoothing)},
      {"dropout", num_(t.dropout)},
      {"droppath", num_(t.droppath)},
      {"head_empty_cls", ignore()},
  };
  auto& e = c.test;
  const std::map<std::string, S> test{
      {"pre_nms_thresh", num_(e.pre_nms_thresh)},
      {"pre_nms_topk", int_(e.pre_nms_topk)},
      {"duration_thresh", num_(e.duration_thresh)},
      {"nms_method", str_(e.nms_method)},
      {"multiclass_nms", bool_(e.multiclass_nms)},
      {"nms_sigma", num_(e.nms_sigma)},
      {"min_score", num_(e.min_score)},
      {"max_seg_num", int_(e.max_seg_num)},
      {"iou_threshold", num_(e.iou_threshold)},
      {"voting_thresh", num_(e.voting_thresh)},
      {"ext_score_file", ignore()},
  };
  auto& o = c.opt;
  const std::map<std::string, S> opt{
      {"type", str_(o.type)},
      {"learning_rate", num_(o.learning_rate)},
      {"weight_decay", num_(o.weight_decay)},
      {"warmup", bool_(o.warmup)},
      {"warmup_epochs", int_(o.warmup_epochs)},
      {"epochs", int_(o.epochs)},
      {"schedule_type", str_(o.schedule_type)},
      {"eta_min", num_(o.eta_min)},
      {"momentum", num_(o.momentum)},
      {"schedule_steps", ignore()},
      {"schedule_gamma", ignore()},
      {"early_stop_epochs", ignore()},
  };
  const std::map<std::string, S> loader{{"batch_size", int_(c.loader.batch_size)},
                                        {"num_workers", int_(c.loader.num_workers)}};
  auto& im = c.improvements;
  const std::map<std::string, S> improvements{
      {"reference_compat", bool_(im.reference_compat)},
      {"adaptive_padding", bool_(im.adaptive_padding)},
      {"clip_to_duration", bool_(im.clip_to_duration)},
      {"fixed_schedule", bool_(im.fixed_schedule)},
      {"sparse_heads", bool_(im.sparse_heads)},
      {"chunk_steps", int_(im.chunk_steps)},
  };
  auto sub = [&](const std::map<std::string, S>& setters) -> S {
    return [&r, &setters](const YAML::Node& n, const std::string& k) { r.section(n, k, setters); };
  };
  const std::map<std::string, S> top{
      {"init_rand_seed",
       [&](const YAML::Node& n, const std::string& k) {
         c.init_rand_seed = static_cast<std::int64_t>(r.number(n, k));
       }},
      {"devices",
       [&](const YAML::Node& n, const std::string& k) {
         if (!n.IsSequence() || n.size() == 0) r.fail(n, k, "expected a non-empty list");
         c.num_devices = static_cast<int>(n.size());
       }},
      {"model_name", str_(c.model_name)},
      {"dataset_name", ignore()},
      {"train_split", ignore()},
      {"val_split", ignore()},
      {"output_folder", ignore()},
      {"dataset", sub(dataset)},
      {"model", sub(model)},
      {"train_cfg", sub(train)},
      {"test_cfg", sub(test)},
      {"opt", sub(opt)},
      {"loader", sub(loader)},
      {"improvements", sub(improvements)},
      {"reference_compat", bool_(im.reference_compat)},
  };
  r.section(root, "", top);
}

[[noreturn]] void bad(const std::string& key, const std::string& what) {
  throw ConfigError("config key '" + key + "': " + what, {}, "key '" + key + "'");
}

}  // namespace

void DetectorConfig::finalize() {
  auto positive = [](double v, const char* key) {
    if (!(v > 0)) bad(key, "must be > 0, found " + std::to_string(v));
  };
  positive(dataset.input_dim, "dataset.input_dim");
  positive(dataset.num_classes, "dataset.num_classes");
  positive(dataset.feat_stride, "dataset.feat_stride");
  positive(dataset.num_frames, "dataset.num_frames");
  positive(dataset.default_fps, "dataset.default_fps");
  positive(dataset.max_seq_len, "dataset.max_seq_len");
  if (!(dataset.crop_ratio[0] > 0 && dataset.crop_ratio[0] <= dataset.crop_ratio[1] &&
        dataset.crop_ratio[1] <= 1))
    bad("dataset.crop_ratio", "expected 0 < lo <= hi <= 1");
  if (!(dataset.train_set_ratio > 0 && dataset.train_set_ratio < 1))
    bad("dataset.train_set_ratio", "expected a value in (0, 1)");
  if (!(dataset.trunc_thresh >= 0 && dataset.trunc_thresh <= 1))
    bad("dataset.trunc_thresh", "expected a value in [0, 1]");
  if (model.backbone_arch[0] < 1 || model.backbone_arch[1] < 0 || model.backbone_arch[2] < 0 ||
      model.backbone_arch[2] > 12)
    bad("model.backbone_arch", "expected [>= 1, >= 0, 0..12]");
  if (model.scale_factor != 2) bad("model.scale_factor", "only 2 is supported");
  if (static_cast<int>(model.regression_range.size()) != num_levels())
    bad("model.regression_range", "expected " + std::to_string(num_levels()) +
                                      " [lo, hi] pairs (one per level), found " +
                                      std::to_string(model.regression_range.size()));
  for (const auto& [lo, hi] : model.regression_range)
    if (!(lo >= 0 && lo <= hi)) bad("model.regression_range", "expected 0 <= lo <= hi per level");
  for (auto [v, key] :
       {std::pair{model.embd_dim, "model.embd_dim"}, std::pair{model.head_dim, "model.head_dim"},
        std::pair{model.fpn_dim, "model.fpn_dim"}})
    positive(v, key);
  for (auto [v, key] : {std::pair{model.embd_kernel_size, "model.embd_kernel_size"},
                        std::pair{model.head_kernel_size, "model.head_kernel_size"},
                        std::pair{model.boundary_kernel_size, "model.boudary_kernel_size"}})
    if (v < 1 || v % 2 == 0)
      bad(key, "expected an odd kernel size >= 1, found " + std::to_string(v));
  if (model.head_num_layers < 1) bad("model.head_num_layers", "expected >= 1");
  if (model.num_bins < 1 || model.num_bins > 1024) bad("model.num_bins", "expected 1..1024");
  if (model.n_sgp_win_size < 1) bad("model.n_sgp_win_size", "expected >= 1");
  positive(model.max_buffer_len_factor, "model.max_buffer_len_factor");
  // max_div_factor as the reference derives it from the strides and window sizes.
  model.max_div_factor = 1;
  for (int l = 0, s = 1; l < num_levels(); ++l, s *= model.scale_factor) {
    const int w = model.n_sgp_win_size;
    model.max_div_factor = std::max(model.max_div_factor, w > 1 ? s * (w / 2) * 2 : s);
  }
  if (dataset.max_seq_len % model.max_div_factor != 0)
    bad("dataset.max_seq_len", "must be a multiple of " + std::to_string(model.max_div_factor) +
                                   ", found " + std::to_string(dataset.max_seq_len));
  if (improvements.chunk_steps < 0) bad("improvements.chunk_steps", "expected >= 0 (0 = one pass)");
  if (train.center_sample != "radius" && train.center_sample != "none")
    bad("train_cfg.center_sample", "expected 'radius' or 'none'");
  if (!(train.cls_prior_prob > 0 && train.cls_prior_prob < 1))
    bad("train_cfg.cls_prior_prob", "expected a value in (0, 1)");
  positive(train.init_loss_norm, "train_cfg.init_loss_norm");
  if (test.nms_method != "soft")
    bad("test_cfg.nms_method", "only 'soft' (Gaussian) is implemented");
  if (!test.multiclass_nms) bad("test_cfg.multiclass_nms", "only true is implemented");
  positive(test.nms_sigma, "test_cfg.nms_sigma");
  positive(test.pre_nms_topk, "test_cfg.pre_nms_topk");
  positive(test.max_seg_num, "test_cfg.max_seg_num");
  if (!(test.min_score >= 0 && test.min_score < 1)) bad("test_cfg.min_score", "expected [0, 1)");
  if (!(test.pre_nms_thresh >= 0 && test.pre_nms_thresh < 1))
    bad("test_cfg.pre_nms_thresh", "expected [0, 1)");
  if (!(test.duration_thresh >= 0)) bad("test_cfg.duration_thresh", "expected >= 0");
  if (opt.type != "AdamW") bad("opt.type", "only 'AdamW' is implemented");
  if (opt.schedule_type != "cosine") bad("opt.schedule_type", "only 'cosine' is implemented");
  if (!(opt.learning_rate >= 0)) bad("opt.learning_rate", "expected >= 0");
  if (!(opt.weight_decay >= 0)) bad("opt.weight_decay", "expected >= 0");
  if (opt.epochs < 0 || opt.warmup_epochs < 0 || opt.epochs + opt.warmup_epochs < 1)
    bad("opt.epochs", "expected epochs >= 0, warmup_epochs >= 0 and at least one in total");
  positive(loader.batch_size, "loader.batch_size");
  if (num_devices < 1) bad("devices", "expected at least one device");
}

DetectorConfig parse_config(const std::string& text, const DetectorConfig& base,
                            const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError("malformed YAML/JSON: " + e.msg, source_name,
                      "line " + std::to_string(e.mark.line + 1));
  }
  DetectorConfig config = base;
  if (!root.IsNull()) {
    if (!root.IsMap()) throw ConfigError("the config must be a mapping of sections", source_name);
    apply(root, config, Reader(source_name));
  }
  try {
    config.finalize();
  } catch (const ConfigError& e) {
    throw ConfigError(e.message(), source_name, e.position());
  }
  return config;
}

DetectorConfig load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the config file", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), DetectorConfig{}, path.string());
}

std::string to_json(const DetectorConfig& c) {
  nlohmann::ordered_json j;
  j["model_name"] = c.model_name;
  j["init_rand_seed"] = c.init_rand_seed;
  j["devices"] = std::vector<std::string>(c.num_devices, "cpu");
  const auto& d = c.dataset;
  j["dataset"] = {{"num_classes", d.num_classes}, {"input_dim", d.input_dim},
                  {"feat_stride", d.feat_stride}, {"num_frames", d.num_frames},
                  {"default_fps", d.default_fps}, {"trunc_thresh", d.trunc_thresh},
                  {"crop_ratio", d.crop_ratio},   {"max_seq_len", d.max_seq_len},
                  {"seg_name", d.seg_name},       {"train_set_ratio", d.train_set_ratio},
                  {"json_file", d.json_file},     {"feat_folder", d.feat_folder}};
  j["loader"] = {{"batch_size", c.loader.batch_size}, {"num_workers", c.loader.num_workers}};
  const auto& m = c.model;
  nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
  for (const auto& [lo, hi] : m.regression_range)
    ranges.push_back({lo, hi});
  j["model"] = {{"backbone_type", m.backbone_type},
                {"backbone_arch", m.backbone_arch},
                {"scale_factor", m.scale_factor},
                {"regression_range", ranges},
                {"fpn_type", m.fpn_type},
                {"fpn_with_ln", m.fpn_with_ln},
                {"fpn_dim", m.fpn_dim},
                {"embd_dim", m.embd_dim},
                {"embd_kernel_size", m.embd_kernel_size},
                {"embd_with_ln", m.embd_with_ln},
                {"head_dim", m.head_dim},
                {"head_kernel_size", m.head_kernel_size},
                {"head_num_layers", m.head_num_layers},
                {"head_with_ln", m.head_with_ln},
                {"boudary_kernel_size", m.boundary_kernel_size},
                {"use_trident_head", m.use_trident_head},
                {"num_bins", m.num_bins},
                {"iou_weight_power", m.iou_weight_power},
                {"max_buffer_len_factor", m.max_buffer_len_factor},
                {"n_sgp_win_size", m.n_sgp_win_size}};
  const auto& t = c.train;
  j["train_cfg"] = {{"center_sample", t.center_sample},
                    {"center_sample_radius", t.center_sample_radius},
                    {"loss_weight", t.loss_weight},
                    {"cls_prior_prob", t.cls_prior_prob},
                    {"init_loss_norm", t.init_loss_norm},
                    {"clip_grad_l2norm", t.clip_grad_l2norm},
                    {"label_smoothing", t.label_smoothing},
                    {"dropout", t.dropout},
                    {"droppath", t.droppath}};
  const auto& e = c.test;
  j["test_cfg"] = {{"pre_nms_thresh", e.pre_nms_thresh},
                   {"pre_nms_topk", e.pre_nms_topk},
                   {"duration_thresh", e.duration_thresh},
                   {"nms_method", e.nms_method},
                   {"multiclass_nms", e.multiclass_nms},
                   {"nms_sigma", e.nms_sigma},
                   {"min_score", e.min_score},
                   {"max_seg_num", e.max_seg_num},
                   {"iou_threshold", e.iou_threshold},
                   {"voting_thresh", e.voting_thresh}};
  const auto& o = c.opt;
  j["opt"] = {{"type", o.type},
              {"learning_rate", o.learning_rate},
              {"weight_decay", o.weight_decay},
              {"warmup", o.warmup},
              {"warmup_epochs", o.warmup_epochs},
              {"epochs", o.epochs},
              {"schedule_type", o.schedule_type},
              {"eta_min", o.eta_min},
              {"momentum", o.momentum}};
  const auto& im = c.improvements;
  j["improvements"] = {
      {"reference_compat", im.reference_compat}, {"adaptive_padding", im.adaptive_padding},
      {"clip_to_duration", im.clip_to_duration}, {"fixed_schedule", im.fixed_schedule},
      {"sparse_heads", im.sparse_heads},         {"chunk_steps", im.chunk_steps}};
  return j.dump(2);
}

}  // namespace teamor::detector
