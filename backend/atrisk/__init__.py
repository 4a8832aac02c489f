"""atrisk: the at-risk picklists of recurring-revenue companies, served over GraphQL."""

__version__ = "0.1.0"
