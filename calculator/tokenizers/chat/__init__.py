"""Chat framing: a conversation parsed from JSON (with image parts), and the tokens each family adds
around its messages (vendor libraries, chat templates, fixed frames)."""
