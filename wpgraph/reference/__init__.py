"""The package's own reference data: the national catalogue of requirements and the SKOS vocabularies.
Never taken from a plan."""
