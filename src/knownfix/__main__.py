"""`python -m knownfix` runs the CLI."""

from knownfix.cli import main

main()
