"""Maps drawn at build time: the shipped base geography, a projection, clipping and an SVG drawer."""
