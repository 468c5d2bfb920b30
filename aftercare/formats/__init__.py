"""Date and number formats Django lacks or gets wrong for Aftercare's languages
(FORMAT_MODULE_PATH).

Django looks here first and falls back to its own module for anything not set here.
"""
