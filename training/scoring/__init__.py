"""Rebuilding and evaluating the shipped account model (chaincut.scoring)."""
