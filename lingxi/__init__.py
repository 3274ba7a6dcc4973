"""Lingxi (灵犀): an open-source, self-hostable, AI-native CRM."""

__version__ = "0.1.0"
