"""`python -m chaincut` runs the CLI."""

from chaincut.cli import main

main()
