"""Plain ASGI middleware on every request."""
