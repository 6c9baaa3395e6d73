"""Cross-cutting building blocks: model base, errors, time, pagination, permissions, web helpers."""
