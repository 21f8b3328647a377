"""One unit per kind of output: what each file of the site reads, and how it is made.

``table.UNITS`` lists them all; ``base`` has what they share; ``renderer`` renders
an output through its unit. See docs/architecture.md.
"""
