"""The console's state (plain Python) and the thin Qt item models over it."""
