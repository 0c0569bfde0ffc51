"""The roadmap: the model (Roadmap → Phase → Item), loading roadmap.yaml with the position of
every value so each problem is reported as FILE:LINE:COL, the JSON Schema, the markdown
importer and the YAML writer, and how Markdown's code fences are read.

Imports nothing else of the package but ``errors``: every other layer builds on this one.
"""
