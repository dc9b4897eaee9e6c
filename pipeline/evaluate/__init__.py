"""Scoring of parse and extract output against gold annotations (ANNOTATION.md form)."""
