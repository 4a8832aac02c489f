"""Pure rules, no I/O: what a valid name, email or role is, and what a caller may do."""
