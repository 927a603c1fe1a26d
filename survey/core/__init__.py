"""What every part stands on: settings, the database and its tables, the data
files and the one vocabulary, the audit log, limits."""
