"""Encrypted backups of an instance and their restore into an empty data directory.

One concept per module: `snapshot` (a consistent copy of the database and what it holds),
`manifest` (what a backup contains, with a SHA-256 per member), `archive` (tar and age),
`target` (the empty data directory a restore needs), `create` and `restore` (the two procedures).
See docs/security/backups.md.
"""
