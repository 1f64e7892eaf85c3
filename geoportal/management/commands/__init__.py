"""Cross-app commands (edge): may import every floor."""
