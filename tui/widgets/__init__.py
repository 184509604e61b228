"""Widgets of the audit app: they mirror what the store holds, they own no data."""
