"""Offline language understanding: intent, sentiment and CRM field extraction."""
