"""SHACL completeness checks: the shapes, the engines that run them, findings, scores and report renderers."""
