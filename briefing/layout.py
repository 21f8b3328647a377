"""Where a briefing keeps its files: the names every module agrees on.

A module of its own, importing nothing, so that both the config and the parts it
holds (the e-mail settings) can name the settings file.
"""

CONFIG_NAME = "briefing.yml"
