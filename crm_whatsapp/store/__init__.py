"""The desktop's encrypted local history (SQLCipher through SQLAlchemy)."""
