"""Files published as they are: the theme's static files and the media under content/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from briefing import inputs, urls
from briefing.output import SourceFile
from briefing.units.base import Output, Planning, Rendered, Unit

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


class StaticFiles(Unit):
    """The theme's static/ folder (the briefing's own files winning), copied."""

    kind = "static"

    def plan(self, p: Planning) -> Iterator[Output]:
        for path, file in p.static.items():
            yield Output(path, self.kind, source=file, inputs=(inputs.file(path),))

    def render(self, output: Output, r: Renderer) -> Rendered:
        assert output.source is not None
        return Rendered(SourceFile(output.source))


class MediaFiles(Unit):
    """Files under content/ that articles show (images), copied under media/."""

    kind = "media"

    def plan(self, p: Planning) -> Iterator[Output]:
        if p.content is None:
            return
        for path in p.site.media:
            yield Output(urls.media_path(path), self.kind, source=p.content / path,
                         inputs=(inputs.media(path),))

    def render(self, output: Output, r: Renderer) -> Rendered:
        assert output.source is not None
        return Rendered(SourceFile(output.source))
