"""One search box over companies, contact persons, contacts and cases (SQLite FTS5 or PostgreSQL
full text behind one interface)."""
