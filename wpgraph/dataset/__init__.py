"""The one pipeline from sources to the dataset: a build folder (TriG, Oxigraph store, manifest),
refreshed incrementally, behind a trust boundary; and the one way every command reads it."""
