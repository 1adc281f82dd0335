"""report layer (see DESIGN.md). Public names are exported flat from ``mediakit``."""
