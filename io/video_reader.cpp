// placeholder: filled by the helper that owns io/video_reader
