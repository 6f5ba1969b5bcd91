"""The clinic staff's review console (issue #7): accounts, sessions, audit, pages."""
