"""The demo township's traffic: reports, patrols, users and a replayed day (never in service)."""
