"""Saved list views: a user's named filters, sort and columns for one entity's list page."""
