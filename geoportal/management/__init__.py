"""Cross-app commands (edge): sample data, demo admin, housekeeping, note signing key rotation.

May import every floor.
"""
