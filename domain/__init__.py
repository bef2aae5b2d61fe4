"""What the backend and the console share: the township, incidents and the wire codec.

Plain Python on purpose (no Qt, no SQLAlchemy, no ZeroMQ; checked by import-linter) so that the
rules of the command room are testable without a screen, a database or a socket.
"""
