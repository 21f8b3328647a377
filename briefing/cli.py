"""The `briefing` command: parse options, call the library, print. No logic lives here.

Exit codes: 0 success, 1 problems in the content, 2 wrong usage.
"""

from __future__ import annotations

import gc
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.console import Console

from briefing import __version__
from briefing.errors import BriefingError, Problems
from briefing.options import BuildOptions
from briefing.report import build_summary, print_problems, progress_display, summary

if TYPE_CHECKING:  # the models load in a blink, but a no-op build should not wait for them
    from briefing.config import Config

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

CONTENT_ERRORS = 1

#: The cyclic garbage collector's thresholds for a `briefing` process. A build holds a
#: model of every article (millions of objects, nearly none in cycles); with Python's
#: default (700, 10, 10) the collector walked all of them a dozen times per process as
#: the model grew, a fifth of a 10,000-article build's CPU and a third of a one-edit
#: rebuild's (benchmarks/RESULTS.md). Worker processes are forked and inherit them.
GC_THRESHOLDS = (200_000, 10, 10)


class Context:
    def __init__(self, root: Path) -> None:
        self.root = root

    def config(self) -> Config:
        from briefing.config import load_config

        problems = Problems()
        config = load_config(self.root, problems)
        if config is None:
            raise BriefingError(problems)
        return config


def _fail(problems: Problems) -> NoReturn:
    print_problems(err_console, problems)
    err_console.print(summary(problems))
    raise SystemExit(CONTENT_ERRORS)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--root", "-C", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The briefing folder (the one holding briefing.yml).")
@click.version_option(__version__, prog_name="briefing")
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Build a curated conflict briefing: website, daily PDF and live preview."""
    gc.set_threshold(*GC_THRESHOLDS)
    ctx.obj = Context(root)


@main.command(short_help="Validate every file of the briefing.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]), default=None,
              help="Judge 'in the future' against this moment instead of the clock.")
@click.pass_obj
def check(obj: Context, strict: bool, now: datetime | None) -> None:
    """Validate every file of the briefing; errors and warnings grouped by file."""
    from briefing.content.load import load_site
    from briefing.render.theme import Theme

    config = _config_or_exit(obj)
    when = now.replace(tzinfo=config.tz) if now else None
    site, problems = load_site(obj.root, drafts=True, now=when, config=config)
    problems.extend(Theme(obj.root).problems())  # the briefing's own templates/: links out, pipes
    if strict:
        problems = problems.strict()
    if problems:
        print_problems(err_console, problems)
    if problems.errors:
        err_console.print(summary(problems))
        raise SystemExit(CONTENT_ERRORS)
    assert site is not None
    line = summary(problems)
    line.append(f" in {len(site.articles)} articles over {len(site.days)} days")
    console.print(line)


@main.command(short_help="Build the website and the daily PDFs.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder. Default: site/ in the briefing folder.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--base-url", metavar="URL", help="Publish for this address instead of base_url.")
@click.option("--no-pdf", is_flag=True, help="Skip the daily PDFs.")
@click.option("--no-search", is_flag=True, help="Skip the search index.")
@click.option("--no-cache", is_flag=True,
              help="Read and render everything anew, ignoring .briefing-cache/ and the last site.")
@click.option("--no-wait", is_flag=True,
              help="Refuse, instead of waiting, when another build of the same site is running.")
@click.pass_obj
def build(obj: Context, out: Path | None, drafts: bool, base_url: str | None, no_pdf: bool,
          no_search: bool, no_cache: bool, no_wait: bool) -> None:
    """Build the website (and the daily PDFs) into site/."""
    from briefing.buildstamp import Sources, unchanged

    options = BuildOptions(out=out, drafts=drafts, base_url=base_url, pdf=not no_pdf,
                           search=not no_search)
    started = time.perf_counter()
    sources = Sources(obj.root, options)
    report = None if no_cache else unchanged(sources)
    if report is not None:  # nothing to do: answer before loading the build's machinery
        report.seconds = time.perf_counter() - started
    else:
        from briefing.build import build_site

        with progress_display(err_console) as progress:
            try:
                report = build_site(obj.root, options, progress, use_cache=not no_cache, sources=sources,
                                    wait=not no_wait, waiting=err_console.print)
            except BriefingError as exc:
                progress.stop()
                _fail(exc.problems)
    if report.problems:
        print_problems(err_console, report.problems)
    console.print(build_summary(report))


def _watch_options(function: Any) -> Any:
    for option in reversed([
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Output folder. Default: site/ in the briefing folder."),
        click.option("--drafts", is_flag=True, help="Include articles marked draft: true."),
        click.option("--no-pdf", is_flag=True, help="Skip the daily PDFs."),
        click.option("--no-search", is_flag=True, help="Skip the search index."),
    ]):
        function = option(function)
    return function


@main.command(short_help="Rebuild on every save.")
@_watch_options
@click.pass_obj
def watch(obj: Context, out: Path | None, drafts: bool, no_pdf: bool, no_search: bool) -> None:
    """Rebuild what changed on every save under content/, templates/ and briefing.yml."""
    _run_watch(obj, BuildOptions(out=out, drafts=drafts, pdf=not no_pdf, search=not no_search))


@main.command(short_help="Preview the site with live reload.")
@_watch_options
@click.option("--port", default=8000, show_default=True, help="Port to serve on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The default is reachable from this machine only.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_obj
def serve(obj: Context, out: Path | None, drafts: bool, no_pdf: bool, no_search: bool, port: int,
          host: str, open_browser: bool) -> None:
    """Watch and serve site/ with live reload: pages reload when what they show changes."""
    _run_watch(obj, BuildOptions(out=out, drafts=drafts, pdf=not no_pdf, search=not no_search),
               serve_on=(host, port, open_browser))


def _run_watch(obj: Context, options: BuildOptions,
               serve_on: tuple[str, int, bool] | None = None) -> None:
    import threading
    import webbrowser

    from briefing.serve import LiveReload, PreviewServer
    from briefing.watch import Session, watch

    config = _config_or_exit(obj)
    hub = LiveReload() if serve_on else None
    try:
        session = Session(obj.root, options, report_rebuild, hub)
    except BriefingError as exc:
        _fail(exc.problems)
    server: PreviewServer | None = None
    if serve_on is not None and hub is not None:
        host, port, open_browser = serve_on
        try:
            server = PreviewServer(session.out, host, port, hub, config.base_path)
        except OSError as exc:
            raise click.UsageError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
        threading.Thread(target=server.serve_forever, name="briefing-http", daemon=True).start()
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{server.server_address[1]}/"
        console.print(f"Serving {session.out} at {url} (Ctrl-C to stop)")
        if server.exposed:
            err_console.print(
                f"Warning: the preview is reachable from the network at {url}, drafts included, "
                f"for requests naming {', '.join(sorted(server.allowed_hosts - {'localhost'}))}. "
                "Use --host 127.0.0.1 unless others must see it.", style="bold yellow")
        if open_browser:
            webbrowser.open(url)
    else:
        console.print(f"Watching {obj.root.resolve()} (Ctrl-C to stop)")
    try:
        watch(session)
    except KeyboardInterrupt:
        pass
    finally:
        session.stop.set()
        if server is not None and hub is not None:
            hub.close()
            server.shutdown()
            server.server_close()
    console.print("Stopped.")


def report_rebuild(changed: str, written: list[str], milliseconds: float, problems: Problems | None) -> None:
    """One line per rebuild: what changed, what was written, how long it took."""
    from datetime import datetime

    stamp = datetime.now().strftime("%H:%M:%S")
    if problems is not None and problems.errors:
        console.print(f"{stamp} {changed}: not built, {len(problems.errors)} error(s); "
                      "the last good site is still served", style="bold red")
        print_problems(err_console, problems)
        return
    console.print(f"{stamp} {changed}: {len(written)} file{'s' if len(written) != 1 else ''} written "
                  f"in {milliseconds:.0f} ms")
    if problems:
        print_problems(err_console, problems)


@main.command(short_help="Render daily PDF briefings.")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to render.")
@click.option("--latest", is_flag=True, help="The latest day with articles (the default).")
@click.option("--all", "all_days", is_flag=True, help="Every day.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The PDF file (one day) or folder (--all). Default: the current folder.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.pass_obj
def pdf(obj: Context, day: str | None, latest: bool, all_days: bool, out: Path | None,
        drafts: bool) -> None:
    """Render daily PDF briefings with WeasyPrint."""
    from briefing.build import make_pdfs
    from briefing.urls import pdf_name

    if sum((day is not None, latest, all_days)) > 1:
        raise click.UsageError("give one of --date, --latest and --all")
    config = _config_or_exit(obj)
    wanted: list[date] | None = None
    if day is not None:
        try:
            wanted = [date.fromisoformat(day)]
        except ValueError:
            raise click.BadParameter(f"'{day}' is not a day; write 2024-08-16", param_hint="--date") from None
    try:  # --latest (and no option at all) renders only the latest day
        made, problems = make_pdfs(obj.root, wanted, drafts=drafts, latest=not all_days and wanted is None)
    except BriefingError as exc:
        _fail(exc.problems)
    if all_days:
        targets = {when: (out or Path.cwd()) / pdf_name(config.title, when) for when in made}
    else:
        when = max(made)  # the one asked for, or the latest day
        targets = {when: out or Path.cwd() / pdf_name(config.title, when)}
    for when, target in sorted(targets.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(made[when])
        console.print(f"{target} ({len(made[when]) / 1024:.0f} KiB)")
    if problems:
        print_problems(err_console, problems)


@main.command(short_help="E-mail a day's briefing to its subscribers.")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to send. Default: the latest.")
@click.option("--latest", is_flag=True, help="The latest day with articles (the default).")
@click.option("--dry-run", is_flag=True,
              help="Write each message to --out as .eml, .html and .txt; send nothing.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where --dry-run writes the messages. Default: mail-preview/ in the current folder.")
@click.option("--to", "to", metavar="ADDRESS",
              help="Send one test copy, marked as such, to this address only.")
@click.option("--yes", is_flag=True, help="Send without asking first.")
@click.option("--resend-in-doubt", is_flag=True,
              help="Send again what a stopped run left in doubt (with the same Message-ID).")
@click.option("--correction", is_flag=True,
              help="The briefing changed after some got it: send them a correction.")
@click.option("--late", is_flag=True, help="Send a briefing more than a day past its data cut-off.")
@click.option("--status", "show_status", is_flag=True,
              help="Count, for the day, who got it, who waits, who was refused.")
@click.pass_obj
def send(obj: Context, day: str | None, latest: bool, dry_run: bool, out: Path | None, to: str | None,
         yes: bool, resend_in_doubt: bool, correction: bool, late: bool, show_status: bool) -> None:
    """E-mail a day's briefing, with its PDF, to every subscriber who has not got it yet.

    Each subscriber gets it exactly once, whatever stops a run (a crash, the relay):
    a later run sends what is left. Exit status: 0 done, 75 when some messages wait for
    a later run (deferred or in doubt), 1 on problems, 2 on wrong usage.
    """
    from briefing.mail import SendOptions, read_status, send_day, send_test
    from briefing.mail import dry_run as write_dry_run
    from briefing.sending import environment_ok, prepare

    if day is not None and latest:
        raise click.UsageError("give --date or --latest, not both")
    wanted = _day_option(day)
    real = not (dry_run or to or show_status)
    try:
        ready = prepare(obj.root, day=wanted, strict=real, late=late or not real)
    except BriefingError as exc:
        _fail(exc.problems)
    t = ready.compose.r.t
    if ready.problems:
        print_problems(err_console, ready.problems)
    if show_status:
        status, problems = read_status(obj.root, ready.settings, ready.day, ready.subscribers)
        print_problems(err_console, problems)
        console.print(f"{ready.day.isoformat()}: {status.sent} sent, {status.pending} not yet, "
                      f"{status.deferred} deferred, {status.in_doubt} in doubt, {status.rejected} refused")
        raise SystemExit(0 if status.done else 75)
    if dry_run:
        target = out or Path.cwd() / "mail-preview"
        with progress_display(err_console) as progress:
            written = write_dry_run(ready.settings, ready.day, ready.subscribers, ready.compose, target,
                                    pdf=ready.pdf, progress=progress)
        print_problems(err_console, Problems(written.problems))
        console.print(f"{written.written} messages written to {written.out}; nothing sent")
        raise SystemExit(written.exit_status)
    if to:
        copy = send_test(ready.settings, ready.day, ready.compose, to, prefix=t("mail.test_prefix"),
                         pdf=ready.pdf)
        print_problems(err_console, Problems(copy.problems))
        console.print(f"test copy to {to}: {copy.outcome.result if copy.outcome else 'not sent'}")
        raise SystemExit(copy.exit_status)
    active = [s for s in ready.subscribers if s.active]
    if not yes:
        if not environment_ok():
            raise click.UsageError("no terminal to ask whether to send: add --yes to send without asking")
        click.confirm(f"Send the briefing of {ready.day.isoformat()} to up to {len(active)} subscribers?",
                      abort=True, err=True)
    options = SendOptions(resend_in_doubt=resend_in_doubt, correction=correction,
                          correction_prefix=t("mail.correction_prefix") if correction else "")
    with progress_display(err_console) as progress:
        summary = send_day(obj.root, ready.settings, ready.day, ready.subscribers, ready.compose,
                           pdf=ready.pdf, options=options, progress=progress)
    print_problems(err_console, Problems(summary.problems))
    status = summary.status
    console.print(f"{ready.day.isoformat()}: {summary.sent} sent now ({summary.corrections} corrections), "
                  f"{summary.deferred} deferred, {summary.rejected} refused, {summary.in_doubt} in doubt; "
                  f"in all {status.sent} of {len(active)} have it")
    raise SystemExit(summary.exit_status)


def _day_option(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a day; write 2024-08-16", param_hint="--date") from None


@main.command(short_help="Scaffold an article.")
@click.argument("title")
@click.option("--date", "when", metavar="DATE",
              help="Publication date: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+07:00]. Default: now.")
@click.option("--from", "raw", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The outlet's raw text; copied in unchanged, with metadata pre-filled.")
@click.option("--outlet", help="Id of the outlet in content/data/sources.yaml.")
@click.pass_obj
def new(obj: Context, title: str, when: str | None, raw: Path | None, outlet: str | None) -> None:
    """Scaffold an article: NAME.md, or with --from, NAME.txt + NAME.yaml."""
    from briefing.scaffold import new_article

    config = _config_or_exit(obj)
    moment = _parse_when(when, config) if when else datetime.now(config.tz).replace(microsecond=0)
    try:
        paths = new_article(obj.root, config, title, when=moment, raw=raw, outlet=outlet)
    except BriefingError as exc:
        _fail(exc.problems)
    for path in paths:
        console.print(str(path))


@main.command(short_help="Create a new briefing folder.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new briefing folder with config, the default theme and a sample article."""
    from briefing.scaffold import init_briefing

    try:
        paths = init_briefing(directory)
    except BriefingError as exc:
        _fail(exc.problems)
    console.print(f"Created {directory} ({len(paths)} files). Next:")
    console.print(f"  cd {directory} && briefing check && briefing build")


@main.command(short_help="Write the JSON Schemas of every file.")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("schemas"), show_default=True, help="Folder to write the schemas to.")
@click.pass_obj
def schema(obj: Context, folder: Path) -> None:
    """Write JSON Schemas of every file, for editors' YAML language servers."""
    from briefing.schemas import write_schemas

    target = folder if folder.is_absolute() else obj.root / folder
    for path in write_schemas(target):
        console.print(str(path))


def _config_or_exit(obj: Context) -> Config:
    try:
        return obj.config()
    except BriefingError as exc:
        _fail(exc.problems)


def _parse_when(text: str, config: Config) -> datetime | date:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"'{text}' is not a date; write 2024-08-15 or 2024-08-15T09:30", param_hint="--date"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=config.tz)
