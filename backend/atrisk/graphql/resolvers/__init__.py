"""Root fields by area: thin resolvers that call the service layer."""
