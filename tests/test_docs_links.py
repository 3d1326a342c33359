"""The README and docs/: every relative link and anchor resolves, and the README stays a page."""

import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 300

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) or ![alt](target); text may wrap onto the next line, target may carry a "title".
LINK = re.compile(r"!?\[(?:[^\[\]]|\n)*?\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def without_code(text: str) -> str:
    """The text with fenced blocks blanked (lines kept) and inline code spans emptied."""
    text = FENCE.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return INLINE_CODE.sub("`code`", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its rendered text, lower-cased, punctuation dropped, spaces as '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading renders as its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading's anchor in a file, with GitHub's -1, -2 suffixes for repeated headings."""
    seen: dict[str, int] = {}
    found = set()
    for match in HEADING.finditer(without_code(path.read_text(encoding="utf-8"))):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """Each relative link in a markdown file whose file or anchor does not exist, as 'file:line: target'."""
    text = without_code(path.read_text(encoding="utf-8"))
    problems = []
    for match in LINK.finditer(text):
        target = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # http:, https:, mailto: are not ours to check offline
        where = f"{path.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 1}: {target}"
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists() or root not in (linked, *linked.parents):
            problems.append(f"{where} (no such file)")
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            problems.append(f"{where} (no such heading)")
    return problems


def quick_start_commands(readme: str) -> list[str]:
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section, "README has no '## Quick start' section"
    block = re.search(r"^```[a-z]*\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    assert block, "README's Quick start has no code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_every_relative_link_in_the_docs_resolves():
    problems = [problem for path in documents() for problem in broken_links(path)]
    assert problems == []


def test_the_readme_is_a_page_of_at_most_300_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES


def test_the_quick_start_is_exactly_make_run_and_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert quick_start_commands(readme) == ["make run", "make test"]


def test_a_missing_file_or_heading_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "topic.md").write_text("# A topic\n\n## The provider's own count (optional)\n")
    page = tmp_path / "README.md"
    page.write_text(
        "# Page\n\n"
        "[fine](docs/topic.md#the-providers-own-count-optional) [fine](#page)\n"
        "[gone](docs/missing.md) [no heading](docs/topic.md#nowhere) [no heading\n"
        "here](#elsewhere)\n"
        "```\n[in code](nowhere.md)\n```\n"
    )
    assert broken_links(page, root=tmp_path) == [
        "README.md:4: docs/missing.md (no such file)",
        "README.md:4: docs/topic.md#nowhere (no such heading)",
        "README.md:4: #elsewhere (no such heading)",
    ]


def test_a_heading_slug_is_the_one_github_makes():
    assert slug("Where things live in `pricing`") == "where-things-live-in-pricing"
    assert slug("Claude engine, part tables and the counting pool (issue 14)") == (
        "claude-engine-part-tables-and-the-counting-pool-issue-14"
    )
    assert slug("The provider's own count (optional)") == "the-providers-own-count-optional"
