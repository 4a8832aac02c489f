"""The domain rules, one transaction per write. Nothing here knows about GraphQL."""
