"""Views of the knowledge graph as networkx graphs, for Gephi, Cytoscape, Graphviz and the browser."""
