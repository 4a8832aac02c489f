"""The tables, by area. Importing this package registers every table on `Base.metadata`
(Alembic and the tests compare the migrations against it)."""

from atrisk.models import accounts, audit, cases, companies, customers, picklists
from atrisk.models.base import Base

__all__ = ["Base", "accounts", "audit", "cases", "companies", "customers", "picklists"]
