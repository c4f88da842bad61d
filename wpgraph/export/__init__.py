"""Writing views in the formats graph tools read: GraphML, GEXF, Cytoscape.js, DOT, an HTML page, PNG."""
