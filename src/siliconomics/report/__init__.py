"""Reports: terminal tables and a self-contained HTML page with plots and provenance.

A report is a list of :class:`~siliconomics.report.html.Section` objects, each built by one
function of :mod:`siliconomics.report.sections` from the models' results; the page embeds its
plots as inline SVG, so it works offline and needs no external script.
"""

from .html import Section, write_report

__all__ = ["Section", "write_report"]
