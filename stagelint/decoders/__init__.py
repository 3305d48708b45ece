"""Decoders: files → the stage model. Each format's module is imported only when a file needs it."""
