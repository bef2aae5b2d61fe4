"""The command room's source of truth: the store, and the live state service over ZeroMQ.

Imports no Qt and nothing of the console (checked by import-linter)."""
