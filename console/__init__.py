"""The PySide6 console: video wall, indicators and the dispatch queue.

Talks to the backend over the wire only (no SQLAlchemy, no backend imports; checked by
import-linter). Sockets and decoders run in worker threads that hand results over by signals.
"""
