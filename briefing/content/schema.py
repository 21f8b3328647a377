"""The shape of every file a curator writes, as pydantic models.

These models validate one file at a time (cross references are checked once
every file is read) and are the source of the published JSON Schemas. Field
descriptions double as documentation: keep them short and give an example.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, RootModel, WithJsonSchema, model_validator

from briefing.fields import (
    CalendarDay,
    CountryCode,
    Id,
    LanguageCode,
    Strict,
    Text,
    WebUrl,
    When,
    custom_error,
)
from briefing.geo.spec import OverlayStatus as LayerStatus
from briefing.model import ClaimStatus, Qualifier


def _status_word(value: Any) -> Any:
    # `status: false` is the boolean false to YAML; the curator meant the status word.
    return "false" if value is False else value


Status = Annotated[
    ClaimStatus,
    Field(strict=False),  # strict mode would accept only enum instances, never the words
    BeforeValidator(_status_word),
    WithJsonSchema({"enum": [*(s.value for s in ClaimStatus), False],
                    "description": "confirmed | corroborated | claimed | disputed | false"}),
]

PlaceKind = Literal["country", "region", "district", "city", "town", "village", "facility",
                   "area", "water", "other"]
ActorKind = Literal["state", "government", "military", "unit", "armed-group", "organisation",
                   "person", "media", "other"]


class SourceRefMeta(Strict):
    """Who published the article, and whose reporting it retells."""

    outlet: Id = Field(description="Id in sources.yaml of the outlet that published it.",
                       examples=["kontan"])
    based_on: Id | None = Field(None, description="Id in sources.yaml of the outlet it retells.",
                                examples=["telegraph"])
    url: WebUrl | None = Field(None, description="Link to the original article.")
    author: str | None = Field(None, description="Author's name; null when unknown.")
    editor: str | None = Field(None, examples=["Handoyo"])
    dateline: str | None = Field(None, description="Where it was filed.", examples=["Jakarta"])


class FigureMeta(Strict):
    """A key number: `value`, or a range with `min` and/or `max`. `value: null` means unknown."""

    value: float | None = Field(None, description="The number; null means unknown, never zero.",
                                examples=[20000])
    min: float | None = Field(None, description="Lower bound of a range.", examples=[400])
    max: float | None = Field(None, description="Upper bound of a range.", examples=[500])
    qualifier: Qualifier = Field(Qualifier.EXACT, strict=False,
                                 description="How exact the number is.")
    unit: str = Field("", examples=["warga"])
    label: Text = Field(description="What the number counts.",
                        examples=["warga tambahan diperintahkan mengungsi"])
    place: Id | None = Field(None, description="Id in places.yaml.", examples=["glushkov"])
    claim: Id | None = Field(None, description="Id of a claim in this article.")
    series: Id | None = Field(
        None, description="Id in series.yaml of the number this figure is a point of; "
                          "without a unit, the figure takes the series' unit.",
        examples=["wilayah-dikuasai-ukraina"])

    @model_validator(mode="after")
    def _value_or_range(self) -> FigureMeta:
        has_value = "value" in self.model_fields_set
        has_range = self.min is not None or self.max is not None
        if has_value and has_range:
            raise custom_error("give either value or min/max, not both",
                               "a range is written as min: 400 and max: 500")
        if not has_value and not has_range:
            raise custom_error("a figure needs value (or min and/or max)",
                               "write value: null when the number is unknown")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise custom_error(f"min ({self.min:g}) is larger than max ({self.max:g})")
        return self


class ClaimMeta(Strict):
    """A statement the article reports, and how far it is verified."""

    id: Id = Field(description="Unique within the article.", examples=["wilayah-kyiv"])
    text: Text = Field(examples=["Kyiv mengklaim menguasai lebih dari 385 mil persegi wilayah Rusia."])
    by: Text | None = Field(
        None,
        description="Who makes the claim: an actor id (unquoted), or free text in quotes.",
        examples=["ukraina", '"Gubernur Kursk"'],
    )
    status: Status
    disputed_by: Text | None = Field(
        None,
        description="Who disputes the claim (for status: disputed): an actor id (unquoted), or "
                    "free text in quotes, as for by.",
        examples=["ukraina", '"Institute for the Study of War"'],
    )
    admiralty: str | None = Field(
        None, pattern=r"^[A-F][1-6]$",
        description="Admiralty code: source reliability A-F and credibility 1-6.",
        examples=["B3"],
    )
    evidence: list[WebUrl] = Field(default_factory=list, examples=[["https://example.org/report"]])
    thread: Id | None = Field(None, description="Id in threads.yaml of the question this claim answers.",
                              examples=["sudzha-dikuasai"])


class ImageMeta(Strict):
    src: Text = Field(description="Path of a file under content/.", examples=["images/peta-kursk.png"])
    alt: Text = Field(description="What the image shows, for readers who cannot see it.")
    credit: str = Field("", examples=["Peta: redaksi"])


class ArticleMeta(Strict):
    """An article's metadata: a .md file's front matter, or the .yaml beside a .txt."""

    title: Text = Field(examples=["Rusia perintahkan evakuasi 20.000 warga lagi dari Glushkov"])
    date: When = Field(description="Published; ISO 8601. A bare date is read in the site's time zone.")
    source: SourceRefMeta
    language: LanguageCode | None = Field(None, description="Default: the site's language.")
    summary: str = Field("", description="One to three sentences: the bottom line.")
    topics: list[Id] = Field(default_factory=list, examples=[["evakuasi"]])
    places: list[Id] = Field(default_factory=list, examples=[["kursk-oblast", "glushkov"]])
    actors: list[Id] = Field(default_factory=list, examples=[["rusia", "ukraina"]])
    figures: list[FigureMeta] = Field(default_factory=list)
    claims: list[ClaimMeta] = Field(default_factory=list)
    briefing: CalendarDay | None = Field(
        None, description="The day whose briefing carries it; default: the day of `date`."
    )
    priority: int | None = Field(None, ge=1, description="1 is the lead of its day.")
    draft: bool = False
    slug: Id | None = Field(None, description="Default: the file name without its date prefix.")
    image: ImageMeta | None = None


class SourceEntry(Strict):
    name: Text = Field(examples=["Kontan"])
    url: WebUrl | None = None
    country: CountryCode | None = None
    language: LanguageCode | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = Field(
        None, description="Admiralty source reliability.")
    description: str = ""
    alt_names: list[Text] = Field(default_factory=list, examples=[["KONTAN.CO.ID"]])


class LabelMeta(Strict):
    """Where a place's name goes on a map: moved by dx, dy pixels from its marker, aligned at anchor."""

    dx: float = Field(0.0, ge=-200, le=200, examples=[6])
    dy: float = Field(0.0, ge=-200, le=200, examples=[-8])
    anchor: Literal["start", "middle", "end"] = Field(
        "middle", description="Which end of the name sits at the point: start | middle | end.")


class PlaceEntry(Strict):
    name: Text = Field(examples=["Oblast Kursk"])
    kind: PlaceKind = "other"
    country: CountryCode | None = None
    coordinates: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[latitude, longitude]",
        examples=[[51.73, 36.19]])
    within: Id | None = Field(None, description="Id of the enclosing place.")
    description: str = ""
    alt_names: list[Text] = Field(default_factory=list, examples=[["Glushkovo", "Hlushkove"]])
    iso_3166_2: str | None = Field(
        None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="ISO 3166-2 code of the region this place is: its map shades it (checked "
                    "against the shipped Natural Earth regions).", examples=["RU-KRS"])
    label: LabelMeta | None = Field(
        None, description="Moves the place's name on maps by hand, for the rare collision.")

    @model_validator(mode="after")
    def _coordinates_in_range(self) -> PlaceEntry:
        if self.coordinates is not None:
            lat, lon = self.coordinates
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise custom_error(f"coordinates [{lat:g}, {lon:g}] are off the globe",
                                   "write [latitude, longitude], latitude first")
        return self


class ActorEntry(Strict):
    name: Text = Field(examples=["Khorne Group"])
    kind: ActorKind = "other"
    part_of: Id | None = Field(None, description="Id of the actor this one belongs to.")
    country: CountryCode | None = None
    description: str = ""
    alt_names: list[Text] = Field(default_factory=list)


class TopicEntry(Strict):
    name: Text = Field(examples=["Evakuasi"])
    description: str = ""


class SeriesEntry(Strict):
    """A number followed across days; the figures that name it are its points."""

    name: Text = Field(examples=["Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk"])
    unit: Text | None = Field(
        None, description="Every figure in the series has this unit, or none (then it takes this one).",
        examples=["km²"])
    place: Id | None = Field(None, description="Id in places.yaml.", examples=["kursk-oblast"])
    description: str = ""


class ThreadEntry(Strict):
    """A question followed across days; the claims that name it are its answers so far."""

    question: Text = Field(examples=["Apakah Ukraina menguasai kota Sudzha?"])
    places: list[Id] = Field(default_factory=list, description="Ids in places.yaml.",
                             examples=[["sudzha"]])
    actors: list[Id] = Field(default_factory=list, description="Ids in actors.yaml.",
                             examples=[["ukraina", "rusia"]])
    description: str = ""


class LayerEntry(Strict):
    """A curator's map layer: a GeoJSON file under content/, drawn on the maps it reaches into."""

    file: str = Field(min_length=1, description="Path of the GeoJSON file, from content/.",
                      examples=["maps/klaim-kyiv-2024-08-12.geojson"])
    name: Text = Field(description="What the layer shows: the legend's words.",
                       examples=["Wilayah yang diklaim dikuasai Kyiv"])
    source: Id = Field(description="Id in sources.yaml of whose map or statement it is.",
                       examples=["isw"])
    as_of: CalendarDay | None = Field(None, description="The day the layer describes.",
                                      examples=["2024-08-12"])
    status: LayerStatus = Field(strict=False, description="How far it is verified: confirmed | "
                                "corroborated | assessed | claimed | disputed.")
    description: str = ""


class SourcesFile(RootModel[dict[Id, SourceEntry]]):
    """content/data/sources.yaml: outlets and agencies by id."""


class PlacesFile(RootModel[dict[Id, PlaceEntry]]):
    """content/data/places.yaml: places by id."""


class ActorsFile(RootModel[dict[Id, ActorEntry]]):
    """content/data/actors.yaml: states, forces, units, people by id."""


class TopicsFile(RootModel[dict[Id, TopicEntry]]):
    """content/data/topics.yaml: topics by id."""


class SeriesFile(RootModel[dict[Id, SeriesEntry]]):
    """content/data/series.yaml: numbers followed across days, by id."""


class ThreadsFile(RootModel[dict[Id, ThreadEntry]]):
    """content/data/threads.yaml: questions followed across days, by id."""


class LayersFile(RootModel[dict[Id, LayerEntry]]):
    """content/data/layers.yaml: curators' map layers, by id."""


class DayMeta(Strict):
    """content/briefings/YYYY-MM-DD.yaml: the curation of one day's briefing."""

    headline: Text = Field(examples=["Ukraina memperdalam serangan di Kursk"])
    as_of: When | None = Field(None, description="Data cut-off shown on the page and the PDF.")
    takeaways: list[Text] = Field(default_factory=list, description="3 to 7 one-sentence points.")
    note: str = Field("", description="Editor's note, Markdown.")
    articles: list[Id] = Field(
        default_factory=list,
        description="Article ids (file stems) in reading order; the rest of the day follows.",
    )
