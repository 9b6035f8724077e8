"""The relay's schema migrations (Alembic scripts), shipped inside the package.

:mod:`relay.migrate` runs them at every start; ``versions/`` holds one script
per schema change, oldest first. A new one is written with Alembic's own
``revision`` command against a scratch database (see docs/relay.md).
"""
