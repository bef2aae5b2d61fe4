"""The widgets of the command-room window."""
