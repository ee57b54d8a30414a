// placeholder: filled by the helper that owns io/npy
