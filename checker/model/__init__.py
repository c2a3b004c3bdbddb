"""Case models (pydantic v2), one module per case type."""
