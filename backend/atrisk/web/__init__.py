"""HTTP outside GraphQL: sign-in, the caller, probes, the static app, and middleware."""
