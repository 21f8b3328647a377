"""What rendering needs besides the model: the theme, its text, dates, Jinja, Markdown.

Made once per config and theme, in the build's process and in each PDF worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from briefing.config import Config
from briefing.errors import Problems
from briefing.render.i18n import Dates, Strings, load_strings
from briefing.render.jinja import make_environment
from briefing.render.markdown import MarkdownRenderer
from briefing.render.theme import Theme


@dataclass(frozen=True, slots=True)
class Tools:
    theme: Theme
    strings: Strings
    dates: Dates
    env: Environment
    markdown: MarkdownRenderer


def make_tools(root: Path, config: Config, problems: Problems, *, cache: Path | None = None) -> Tools:
    """The theme of the briefing at ``root`` and what renders with it; ``cache``: a folder
    that keeps compiled templates between runs."""
    theme = Theme(root)
    problems.extend(theme.problems())
    strings = load_strings(theme, config, problems)
    dates = Dates(config.language, config.tz)
    env = make_environment(theme, strings, dates, config.base_path, cache=cache)
    return Tools(theme, strings, dates, env, markdown_for(config, strings))


def markdown_for(config: Config, strings: Strings) -> MarkdownRenderer:
    return MarkdownRenderer(raw_html=config.markdown.raw_html,
                            allowed_hosts=config.network.allowed_hosts,
                            table_label=strings("body.table"), code_label=strings("body.code"))
