"""Charts of a series drawn at build time as static SVG, the same in the site and the daily PDF."""
