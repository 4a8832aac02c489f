"""The database: engine and sessions, column types, failure mapping, migrations, backups."""
