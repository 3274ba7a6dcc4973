"""Segmentation for the search index (jieba for Chinese, words and numbers for the rest)."""

from __future__ import annotations


def warm_up() -> None:
    """Load the segmenter's dictionary once at start, not on the first request."""
