"""The web UI: its build (``static/``, written by ``npm --prefix web run build``), how the app serves it,
and the small read-only endpoints only the UI needs."""
