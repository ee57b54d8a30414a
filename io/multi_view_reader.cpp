// placeholder: filled by the helper that owns io/multi_view_reader
