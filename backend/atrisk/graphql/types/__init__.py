"""GraphQL types by area, kept apart from the ORM models with one explicit mapping each."""
