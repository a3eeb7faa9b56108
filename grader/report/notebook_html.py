"""The feedback notebook as one HTML page, rendered by nbconvert (`--format notebook-html`).

The notebook is the student's: its markdown, raw cells and outputs are student input, and the
page is opened by the instructor as well as the student. So nothing in it may run: before
rendering, every output keeps only the representations in `SHOWN_OUTPUTS` (no JavaScript, no
widgets, no Mermaid, whose nbconvert blocks write their data unescaped), output and cell
metadata are cleared (image sizes and file names are written into attributes; the grader's
cells get a tag that sets them apart on the page), notebook
metadata is replaced (no widget state); nbconvert's `sanitize_html` then passes every piece
of HTML (rendered markdown, raw cells, HTML and Markdown outputs) through `clean_html`, an
allowlist of tags and attributes without scripts, style sheets or event handlers. Images are
never read from disk (`embed_images` is off): only attachments and outputs, inline. The page
loads MathJax from a CDN to typeset formulas (nbconvert's lab template; without a network they
show as TeX).

nbconvert is imported only here, and only when this format is asked for: it costs a few
tenths of a second, which `grade submit` in any other format must not pay.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import Any

from grader.notebook.submission import is_feedback_cell

# Output representations shown; any other is dropped (the next one in nbconvert's order shows).
SHOWN_OUTPUTS = frozenset(
    {
        "text/plain",
        "text/html",
        "text/markdown",
        "text/latex",
        "image/png",
        "image/jpeg",
        "image/svg+xml",  # shown as <img src="data:...">: scripts in it never run
    }
)
PAGE_TITLE = "{title}: feedback in your notebook"
FEEDBACK_TAG = "grader-feedback"  # the class nbconvert gives the grader's cells (`celltag_...`)
# nbconvert's lab page, with the grader's cells set apart from the student's. Code is shown
# as Pygments highlights it, which escapes every character of the source: passing that through
# `clean_html` too (as the lab template does) would double the time a page takes.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block extra_css %}
<style>
.jp-MarkdownOutput.celltag_grader-feedback {
  border-left: 4px solid #1565c0; background: #f3f7fd; padding: .25em 1em; border-radius: 4px;
}
</style>
{% endblock extra_css %}
{% block input %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
<div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</div>
</div>
{%- endblock input %}
"""
# A class's notebooks share most of their markdown (the release's): each piece of HTML is
# cleaned once per process. Longer pieces are cleaned every time (the cache's memory bound).
CACHED_HTML_CHARS = 20_000

_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd"),
        *("del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "hr", "i", "img"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q"),
        *("s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody"),
        *("td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"),
    }
)
_ATTRIBUTES = {
    "*": ["class", "id", "title", "align"],
    "a": ["href", "title", "class", "id"],
    "img": ["src", "alt", "title", "width", "height", "class"],
    "td": ["colspan", "rowspan", "align", "style", "class"],
    "th": ["colspan", "rowspan", "align", "style", "class"],
    "ol": ["start", "class"],
}
_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
_STYLES = frozenset({"text-align"})  # Markdown tables' column alignment
# Elements whose content is code or style sheets, removed whole before the allowlist applies.
_ACTIVE_ELEMENTS = re.compile(
    r"<(script|style|template|iframe|object|embed|noscript)\b.*?(</\1\s*>|\Z)", re.I | re.S
)


def notebook_html(notebook_json: str, title: str) -> str | None:
    """The feedback notebook rendered as one HTML page in which nothing runs.

    Args:
        notebook_json: the feedback notebook (`feedback_notebook`), nbformat v4 JSON.
        title: the assignment's title (for the page's title; escaped by nbconvert).

    Returns:
        The page, ending with a newline; None if nbconvert cannot render this notebook (a
        markdown cell naming an attachment that is not there, say), so that the caller can
        fall back to the plain HTML feedback.
    """
    import nbformat

    resources = {"metadata": {"name": PAGE_TITLE.format(title=title or "Notebook")}}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(notebook_json, as_version=4)
            _make_inert(notebook)
            body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    except Exception:  # nbconvert fails on odd student content with whatever it triggers
        return None
    return str(body).rstrip("\n") + "\n"


def clean_html(html: Any) -> str:
    """HTML from the notebook with only the allowlisted tags, attributes, link protocols and
    inline styles (nbconvert's `clean_html` filter, replaced: its own list escapes headings
    and paragraphs)."""
    text = html.decode() if isinstance(html, bytes) else str(html)
    return _clean_cached(text) if len(text) <= CACHED_HTML_CHARS else _clean(text)


@functools.lru_cache(maxsize=4096)
def _clean_cached(text: str) -> str:
    return _clean(text)


def _clean(text: str) -> str:
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = _ACTIVE_ELEMENTS.sub("", text)
    return bleach.clean(
        text,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        protocols=_PROTOCOLS,
        strip=True,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=_STYLES),
    )


def _make_inert(notebook: Any) -> None:
    """Leave out what nbconvert would write into the page unescaped or as code."""
    from nbformat import from_dict

    notebook.metadata = from_dict({"language_info": {"name": "python"}})
    for cell in notebook.cells:
        tags = [FEEDBACK_TAG] if is_feedback_cell(cell) else []
        cell.metadata = from_dict({"tags": tags})
        for output in cell.get("outputs", ()):
            if "data" in output:
                output.data = from_dict(
                    {key: value for key, value in output.data.items() if key in SHOWN_OUTPUTS}
                )
            if "metadata" in output:
                output.metadata = from_dict({})


# nbconvert's last step, done on the text: alternative text for images that have none, and
# cells that can take the keyboard focus (its BeautifulSoup pass took half a page's time).
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)", re.I)
_FOCUSABLE = re.compile(r'<div class="(jp-Cell-inputWrapper|jp-OutputArea-output)\b([^"]*)"')
NO_ALT_TEXT = "No description has been provided for this image"
# Rendered Markdown and highlighted code, by source: a class's notebooks share the release's.
SHARED_ENTRIES = 4096
_MARKDOWN: dict[str, str] = {}
_HIGHLIGHTED: dict[tuple[str, Any, Any], str] = {}


def _polished(html: str) -> str:
    html = _IMAGE_WITHOUT_ALT.sub(f'<img alt="{NO_ALT_TEXT}"', html)
    return _FOCUSABLE.sub(r'<div class="\1\2" tabindex="0"', html)


@functools.cache
def _exporter() -> Any:
    """nbconvert's HTML exporter (lab template), sanitizing; built once per process."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _SharedHighlight(Highlight2HTML):
        """Pygments' highlighting of a cell's code, once per distinct code and language."""

        def __call__(self, source: str, language: Any = None, metadata: Any = None) -> str:
            if len(source) > CACHED_HTML_CHARS:
                return str(super().__call__(source, language, metadata))
            key = (source, language, self.pygments_lexer)
            if key not in _HIGHLIGHTED:
                if len(_HIGHLIGHTED) > SHARED_ENTRIES:
                    _HIGHLIGHTED.clear()
                _HIGHLIGHTED[key] = str(super().__call__(source, language, metadata))
            return _HIGHLIGHTED[key]

    def _shared_markdown(exporter: Any, source: str) -> str:
        if source not in _MARKDOWN:
            if len(_MARKDOWN) > SHARED_ENTRIES:
                _MARKDOWN.clear()
            _MARKDOWN[source] = str(HTMLExporter.markdown2html(exporter, {}, source))
        return _MARKDOWN[source]

    class Exporter(HTMLExporter):
        """HTMLExporter.from_notebook_node with its last step done by `_polished`, and the
        Markdown and code a class's notebooks share (the release's) rendered once."""

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            shared = not context.get("cell", {}).get("attachments")
            if shared and len(source) <= CACHED_HTML_CHARS:
                return _shared_markdown(self, source)
            return str(super().markdown2html(context, source))

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            highlight = self.filters.get(
                "highlight_code", _SharedHighlight(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_types = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_types)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _polished(html), resources

    return Exporter(
        template_name="lab",
        raw_template=PAGE_TEMPLATE,
        sanitize_html=True,
        embed_images=False,
        filters={"clean_html": clean_html},
    )
