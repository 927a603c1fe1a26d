"""Privacy: redaction before storage, small numbers, retention, safe exports."""
