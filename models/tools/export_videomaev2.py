#!/usr/bin/env python3
"""Export VideoMAEv2 (ViT-g/14, Kinetics-710 fine-tuned) to TorchScript for teamor's `torchscript`
feature backend. For users who have the weights and internet; not run in CI.

    git clone https://github.com/OpenGVLab/VideoMAEv2 /path/VideoMAEv2   # model code (needs timm)
    # weights: vit_g_hyrbid_pt_1200e_k710_ft.pth via the request form in VideoMAEv2's MODEL_ZOO.md
    python3 export_videomaev2.py --repo /path/VideoMAEv2 \
        --checkpoint vit_g_hyrbid_pt_1200e_k710_ft.pth --out my_bundle/videomaev2_vitg.pt

    # no weights: check the export path on a random 2-block ViT-g (FEATURES_SPEC E.6)
    python3 export_videomaev2.py --repo /path/VideoMAEv2 --random-blocks 2 --out /tmp/check.pt

What it does (FEATURES_SPEC.md sections A and D):
* builds `vit_giant_patch14_224` as VideoMAEv2's extract_tad_feature.py does (img_size 224,
  all_frames 16, tubelet 2, 710 classes, mean pooling), loads the checkpoint strictly (state dict
  under "model" or "module" if present), eval();
* wraps it so that the fixed sin-cos position table is a registered *buffer* (tracing the original
  folds it into a constant pinned to the trace device, which breaks `.to(cuda)` in C++), and the
  output is forward_features: fc_norm(mean over tokens(blocks(patch_embed(x) + table))) -> [B, 1408];
* traces it with a [1, 3, 16, 224, 224] input, checks the traced module against the original
  forward_features (max abs difference, batch 1 and 2), saves it, and prints the bundle's
  `features` entry for model.json.

The input contract the C++ side applies (teamor features/README.md, `torchscript`): 16 of the 32
frames of each clip (k = 0, 2, ..., 30), RGB, /255, bilinear resize to 224x224 on float data
without antialiasing, no mean/std, layout [B, C, T, H, W].
"""
import argparse
import json
import sys

import torch


def build_model(repo, random_blocks):
    sys.path.insert(0, repo)
    from models import modeling_finetune  # noqa: F401  (VideoMAEv2's model code)
    kwargs = dict(img_size=224, pretrained=False, num_classes=710, all_frames=16, tubelet_size=2,
                  drop_path_rate=0.0, use_mean_pooling=True)
    if random_blocks:
        kwargs["depth"] = random_blocks
    return modeling_finetune.vit_giant_patch14_224(**kwargs)


def load_checkpoint(model, path):
    state = torch.load(path, map_location="cpu")
    for key in ("model", "module"):
        if isinstance(state, dict) and key in state:
            state = state[key]
            break
    model.load_state_dict(state, strict=True)


class SceneFeatures(torch.nn.Module):
    """forward_features of a VideoMAEv2 VisionTransformer with the position table as a buffer."""

    def __init__(self, vit):
        super().__init__()
        self.patch_embed = vit.patch_embed
        self.blocks = vit.blocks
        self.norm = vit.norm
        self.fc_norm = vit.fc_norm if vit.fc_norm is not None else torch.nn.Identity()
        self.mean_pool = vit.fc_norm is not None
        self.register_buffer("pos_embed", vit.pos_embed.detach().clone().float())

    def forward(self, x):  # x: [B, 3, 16, 224, 224] float32
        x = self.patch_embed(x)  # [B, 2048, 1408]
        x = x + self.pos_embed.to(dtype=x.dtype)
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        if self.mean_pool:
            return self.fc_norm(x.mean(1))  # [B, 1408]
        return x[:, 0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", required=True, help="clone of OpenGVLab/VideoMAEv2")
    parser.add_argument("--checkpoint", help="the fine-tuned ViT-g weights (.pth)")
    parser.add_argument("--random-blocks", type=int, default=0,
                        help="no weights: random ViT-g geometry with this many blocks (self-check)")
    parser.add_argument("--out", required=True, help="TorchScript file to write")
    parser.add_argument("--device", default="cpu", help="device to trace and check on")
    args = parser.parse_args()
    if not args.checkpoint and not args.random_blocks:
        parser.error("give --checkpoint, or --random-blocks N for a self-check without weights")

    torch.manual_seed(0)
    vit = build_model(args.repo, args.random_blocks)
    if args.checkpoint:
        load_checkpoint(vit, args.checkpoint)
    vit.eval().to(args.device)
    wrapper = SceneFeatures(vit).eval().to(args.device)

    example = torch.rand(1, 3, 16, 224, 224, device=args.device)
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, example)
        worst = 0.0
        for batch in (1, 2):
            x = torch.rand(batch, 3, 16, 224, 224, device=args.device)
            reference = vit.forward_features(x)
            worst = max(worst, (traced(x) - reference).abs().max().item())
    print(f"traced vs forward_features: max abs difference {worst:.3g}")
    if worst > 1e-4:
        sys.exit("export check failed: the traced module does not reproduce forward_features")
    traced.save(args.out)
    entry = {
        "backend": "torchscript",
        "device": "cuda",
        "batch_clips": 4,
        "fusion": {"ceiling": "mean", "ceiling_slots": 0, "endoscope": True},
        "settings": {"module": args.out.split("/")[-1], "frames_per_clip": 16, "sampling": "spread",
                     "width": 224, "height": 224, "mean": [0, 0, 0], "std": [1, 1, 1],
                     "layout": "BCTHW", "dimension": int(reference.shape[1]), "prefix": "vm2"},
    }
    print("model.json \"features\" entry (module path relative to the bundle):")
    print(json.dumps(entry, indent=2))


if __name__ == "__main__":
    main()
