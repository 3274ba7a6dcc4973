"""Import from and export to CSV / XLSX, run as background jobs with a per-row report."""
