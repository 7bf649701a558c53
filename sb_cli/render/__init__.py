"""Rendering: documents to Markdown blocks, view models, and Word, PDF, HTML and Markdown files."""
