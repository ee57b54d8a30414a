#include "detector/network.h"

#include <cstring>
#include <set>
#include <sstream>

#include <torch/torch.h>

#include "common/error.h"
#include "io/safetensors.h"

namespace teamor::detector {
namespace {

void check_supported(const DetectorConfig& c) {
  if (c.model_name != "MaxAvg_net")
    throw ConfigError("unsupported model_name '" + c.model_name + "', expected 'MaxAvg_net'", {},
                      "model_name");
  if (c.model.backbone_type != "avg_max")
    throw ConfigError(
        "unsupported backbone_type '" + c.model.backbone_type + "', expected 'avg_max'", {},
        "model.backbone_type");
  if (c.model.fpn_type != "identity")
    throw ConfigError("unsupported fpn_type '" + c.model.fpn_type + "', expected 'identity'", {},
                      "model.fpn_type");
  if (!c.model.use_trident_head)
    throw ConfigError("only the Trident head is implemented (use_trident_head: true)", {},
                      "model.use_trident_head");
}

}  // namespace

NetworkImpl::NetworkImpl(const DetectorConfig& config) : config_(config) {
  check_supported(config);
  const auto& m = config.model;
  const bool mask_norm = config.use_adaptive_padding();
  // Construction order = RNG order of the reference (spec 2.8).
  BackboneOptions bo;
  bo.input_dim = config.dataset.input_dim;
  bo.embd_dim = m.embd_dim;
  bo.kernel_size = m.embd_kernel_size;
  bo.with_ln = m.embd_with_ln;
  bo.num_embd = m.backbone_arch[0];
  bo.num_stem = m.backbone_arch[1];
  bo.num_branch = m.backbone_arch[2];
  bo.mask_after_norm = mask_norm;
  backbone = register_module("backbone", Backbone(bo));
  neck = register_module(
      "neck", Neck(NeckOptions{m.embd_dim, config.num_levels(), m.fpn_with_ln, mask_norm}));
  HeadOptions ho;
  ho.input_dim = m.embd_dim;
  ho.feat_dim = m.head_dim;
  ho.out_dim = config.dataset.num_classes;
  ho.kernel_size = m.head_kernel_size;
  ho.num_layers = m.head_num_layers;
  ho.with_ln = m.head_with_ln;
  ho.prior_prob = config.train.cls_prior_prob;
  ho.num_levels = config.num_levels();
  ho.mask_after_norm = mask_norm;
  cls_head = register_module("cls_head", ClsHead(ho));
  HeadOptions bound = ho;
  bound.kernel_size = m.boundary_kernel_size;
  start_head = register_module("start_head", ClsHead(bound));
  end_head = register_module("end_head", ClsHead(bound));
  HeadOptions reg = ho;
  reg.out_dim = 2 * (m.num_bins + 1);
  reg.prior_prob = 0;
  reg_head = register_module("reg_head", RegHead(reg));
}

NetworkOutput NetworkImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto pyramid = neck->forward(backbone->forward(x, mask));
  // Boundary heads see detached features: no gradient from them reaches backbone or neck.
  Pyramid detached;
  detached.masks = pyramid.masks;
  for (const auto& f : pyramid.features)
    detached.features.push_back(f.detach());
  NetworkOutput out;
  out.cls_logits = cls_head->forward(pyramid);
  out.reg_offsets = reg_head->forward(pyramid);
  out.start_logits = start_head->forward(detached);
  out.end_logits = end_head->forward(detached);
  out.masks = pyramid.masks;
  out.neck_features = pyramid.features;
  return out;
}

int64_t padded_length(int64_t max_length, const DetectorConfig& config, bool training) {
  TEAMOR_ASSERT(max_length > 0);
  const int64_t div = config.model.max_div_factor;
  const int64_t up = (max_length + div - 1) / div * div;
  if (config.use_adaptive_padding()) return up;
  const int64_t max_len = config.dataset.max_seq_len;
  if (training) {
    if (max_length > max_len)
      throw ConfigError("a training sequence has " + std::to_string(max_length) +
                            " steps, more than dataset.max_seq_len = " + std::to_string(max_len),
                        {}, "dataset.max_seq_len");
    return max_len;
  }
  return max_length <= max_len ? max_len : up;
}

PaddedBatch pad_batch(const std::vector<torch::Tensor>& sequences, const DetectorConfig& config,
                      bool training) {
  TEAMOR_ASSERT(!sequences.empty());
  int64_t longest = 0;
  const int64_t channels = config.dataset.input_dim;
  PaddedBatch batch;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const auto& s = sequences[i];
    if (s.dim() != 2 || s.size(0) != channels)
      throw FormatError("sequence " + std::to_string(i) + " has shape " +
                        std::string(s.sizes().size() == 2 ? "" : "of rank ") +
                        (s.dim() == 2 ? std::to_string(s.size(0)) + "x" + std::to_string(s.size(1))
                                      : std::to_string(s.dim())) +
                        ", expected [" + std::to_string(channels) + ", T]");
    if (s.size(1) == 0) throw FormatError("sequence " + std::to_string(i) + " has zero length");
    longest = std::max(longest, s.size(1));
    batch.lengths.push_back(s.size(1));
  }
  const int64_t t_pad = padded_length(longest, config, training);
  const auto b = static_cast<int64_t>(sequences.size());
  batch.x = torch::zeros({b, channels, t_pad}, torch::kFloat32);  // [B, C, T_pad]
  batch.mask = torch::zeros({b, 1, t_pad}, torch::kBool);         // [B, 1, T_pad]
  for (int64_t i = 0; i < b; ++i) {
    const int64_t len = batch.lengths[i];
    batch.x[i].slice(1, 0, len).copy_(sequences[i].to(torch::kFloat32));
    batch.mask[i].slice(1, 0, len).fill_(true);
  }
  return batch;
}

void load_state(Network& network, const io::SafeTensors& weights, const std::string& source) {
  std::map<std::string, const io::NpyArray*> by_name;
  for (const auto& [name, array] : weights.tensors) {
    std::string key = name.rfind("module.", 0) == 0 ? name.substr(7) : name;
    by_name[key] = &array;
  }
  std::vector<std::string> missing, mis_shaped, extra;
  std::set<std::string> seen;
  auto params = network->named_parameters(/*recurse=*/true);
  for (const auto& item : params) {
    const auto it = by_name.find(item.key());
    if (it == by_name.end()) {
      missing.push_back(item.key());
      continue;
    }
    seen.insert(item.key());
    const auto expected = item.value().sizes().vec();
    // A 0-d parameter (Scale) may be stored as shape [1]: safetensors writers differ there.
    const bool scalar_as_1 = expected.empty() && it->second->shape == std::vector<int64_t>{1};
    if (it->second->shape != expected && !scalar_as_1) {
      std::ostringstream s;
      s << item.key() << " (file " << c10::IntArrayRef(it->second->shape) << ", network "
        << c10::IntArrayRef(expected) << ")";
      mis_shaped.push_back(s.str());
    }
  }
  for (const auto& [name, array] : by_name)
    if (!seen.count(name)) extra.push_back(name);
  if (!missing.empty() || !mis_shaped.empty() || !extra.empty()) {
    std::ostringstream msg;
    msg << "the weights do not fit the network:";
    auto list = [&](const char* what, const std::vector<std::string>& names) {
      if (names.empty()) return;
      msg << " " << names.size() << " " << what << " [";
      for (std::size_t i = 0; i < names.size(); ++i)
        msg << (i ? ", " : "") << names[i];
      msg << "];";
    };
    list("missing", missing);
    list("extra", extra);
    list("mis-shaped", mis_shaped);
    throw ModelError(msg.str(), source,
                     "tensor '" +
                         (!missing.empty() ? missing.front()
                          : !extra.empty() ? extra.front()
                                           : mis_shaped.front()) +
                         "'");
  }
  torch::NoGradGuard no_grad;
  for (auto& item : params) {
    const auto* array = by_name.at(item.key());
    auto values = array->to_float32();
    auto t =
        torch::from_blob(values.data(), {static_cast<int64_t>(values.size())}, torch::kFloat32);
    item.value().copy_(t.view(item.value().sizes()));
  }
}

io::SafeTensors state_to_safetensors(Network& network) {
  io::SafeTensors out;
  for (const auto& item : network->named_parameters(true)) {
    auto t = item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
    io::NpyArray a;
    a.dtype = io::DType::Float32;
    a.shape = t.sizes().vec();
    a.bytes.resize(static_cast<std::size_t>(t.numel()) * 4);
    std::memcpy(a.bytes.data(), t.data_ptr<float>(), a.bytes.size());
    out.tensors.emplace(item.key(), std::move(a));
  }
  return out;
}

}  // namespace teamor::detector
