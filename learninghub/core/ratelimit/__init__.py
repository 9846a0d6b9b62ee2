"""Per-address and per-IP limits on requests that send email (registration, password reset,
confirmation resend), shared by every worker and process through the database."""
