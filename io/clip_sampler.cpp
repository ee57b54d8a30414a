// placeholder: filled by the helper that owns io/clip_sampler
