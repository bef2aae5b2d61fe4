"""A small ZeroMQ client of the backend for any Python program: field terminals, tests, the demo.

Uses the shared wire codec; imports no Qt, no SQLAlchemy and nothing of backend or console.
"""
