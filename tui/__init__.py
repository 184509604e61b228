"""The terminal front end: the Textual audit app and the command line.

Only this package imports textual (and rich). Importing ``tui`` itself stays
light: the Textual app is imported only when it is opened.
"""

__version__ = "0.1.0"
