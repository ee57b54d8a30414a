// placeholder: filled by the helper that owns io/recording
