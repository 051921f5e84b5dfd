"""The README and the pages under docs/: the README stays a two-minute read, every relative
link reaches a file (and the heading it names), every page can be reached from the README, and
nothing links outside the repository.

Pure: reads files only, no app and no database.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_MAX_LINES = 150


# Addresses an example may show: the app's own, on this machine, and names reserved so that
# they can never reach anyone (RFC 2606: .example, .invalid).
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
RESERVED_SUFFIXES = (".example", ".invalid")

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
# [text](target "title"), the text allowed one level of brackets, the title optional.
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
HTML_LINK = re.compile(r"""<(?:a|img|link)\b[^>]*\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
ANY_URL = re.compile(r"\b(?:https?|ftp)://[^\s)\"'<>`]+", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


def pages() -> list[Path]:
    found = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in found if path.exists()]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def without_code_blocks(text: str) -> str:
    """The text with fenced blocks blanked (line numbers kept)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), without_code_blocks(text))


def links(text: str) -> list[str]:
    prose = without_code(text)
    return [
        *INLINE_LINK.findall(prose),
        *REFERENCE_LINK.findall(prose),
        *HTML_LINK.findall(prose),
    ]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text alone
    text = text.replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, title in HEADING.findall(without_code_blocks(path.read_text(encoding="utf-8"))):
        base = slug(title)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def target_of(page: Path, link: str) -> tuple[Path, str] | None:
    """The file and anchor a relative link names, or None for an address with a scheme."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    path = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    if path.is_dir():
        path = path / "README.md"
    return path, unquote(parts.fragment)


def test_the_readme_is_a_two_minute_read() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines, more than {README_MAX_LINES}: move detail into docs/"
    )


def test_the_docs_tree_is_there() -> None:
    for name in (
        "CHANGELOG.md",
        "docs/install.md",
        "docs/api.md",
        "docs/domain.md",
        "docs/architecture/README.md",
        "docs/operations/README.md",
        "docs/testing.md",
        "docs/benchmarks.md",
        "docs/dependencies.md",
    ):
        assert (ROOT / name).is_file(), f"{name} is missing"


@pytest.mark.parametrize("page", pages(), ids=rel)
def test_every_relative_link_resolves(page: Path) -> None:
    problems = []
    for link in links(page.read_text(encoding="utf-8")):
        target = target_of(page, link)
        if target is None:
            continue
        path, fragment = target
        if not path.is_relative_to(ROOT):
            problems.append(f"{link}: leaves the repository")
            continue
        if not path.exists():
            problems.append(f"{link}: no file {rel(path)}")
            continue
        if fragment and path.suffix == ".md" and fragment not in anchors(path):
            problems.append(f"{link}: no heading #{fragment} in {rel(path)}")
    assert not problems, f"{rel(page)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", pages(), ids=rel)
def test_nothing_links_outside_the_repository(page: Path) -> None:
    """No address of another host anywhere, code examples included: a standard or a source is
    named in words, and its address, where kept, lives in the data file that cites it."""
    problems = []
    for url in ANY_URL.findall(page.read_text(encoding="utf-8")):
        url = url.rstrip(".,;:")
        host = (urlsplit(url).hostname or "").lower()
        if host in LOCAL_HOSTS or host.endswith(RESERVED_SUFFIXES):
            continue
        problems.append(url)
    assert not problems, f"{rel(page)} links outside the repository: {problems}"


def test_every_page_can_be_reached_from_the_readme() -> None:
    reached: set[Path] = set()
    waiting = [README]
    while waiting:
        page = waiting.pop()
        if page in reached or not page.exists() or page.suffix != ".md":
            continue
        reached.add(page)
        for link in links(page.read_text(encoding="utf-8")):
            target = target_of(page, link)
            if target is not None:
                waiting.append(target[0])
    orphans = [rel(page) for page in pages() if page not in reached]
    assert not orphans, f"no link from the README leads to: {orphans}"


def test_the_checks_find_what_they_look_for() -> None:
    """The link and heading readers on a page made up for the purpose."""
    text = (
        "# A page\n\n## Errors and lists\n\nSee [the API](api.md#errors-and-lists).\n\n"
        "[ref]: ../README.md\n\n`[not a link](nowhere.md)` and https://example.org/x\n\n"
        "```sh\ncurl http://127.0.0.1:5000/api/v1/me  # [nor this](nowhere.md)\n```\n"
    )
    assert links(text) == ["api.md#errors-and-lists", "../README.md"]
    assert ANY_URL.findall(text) == ["https://example.org/x", "http://127.0.0.1:5000/api/v1/me"]
    assert slug("How the API is built, and why so") == "how-the-api-is-built-and-why-so"
    assert slug("Educator oversight (`/oversight`)") == "educator-oversight-oversight"
    assert slug("A person's export") == "a-persons-export"
