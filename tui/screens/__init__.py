"""Screens of the audit app: library, audit, and the dialogs on top of them."""
