// placeholder: filled by the helper that owns io/frame_converter
