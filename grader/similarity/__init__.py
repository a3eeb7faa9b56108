"""Likely copies: pairs of submissions whose graded functions are similar beyond what the
class shares, for an instructor to look at.

The method (MOSS's, adapted to exercises that leave a few lines per function):

1. `extract_functions` cuts each graded function out of a notebook's cells (never running it).
2. `normalize_function` turns it into tokens: local names renamed canonically, comments,
   docstrings, prints and the release's template statements dropped, independent statements
   put in a canonical order.
3. Winnowed k-gram fingerprints of the tokens (`fingerprints.py`), and one hash per statement.
4. Everything weighs by its rarity in the class, log(C / df) with C a tenth of the class
   (`index.py`): what many write counts nothing. Besides shared lines, the evidence is the
   whole normalized function, the names given to its variables, its comments and, when known,
   the same wrong output.
5. Pairs that share something uncommon come from an inverted index (no quadratic pass), and
   are scored per function and over all functions (`scoring.py`); `reasons.py` says why in
   plain words.

Front doors: `find_similar(code, templates)` (student -> function -> source) and
`find_similar_notebooks(cells, functions, release_cells)`. The result is a
`SimilarityReport`; `to_json()` gives `similarity.json`, and `templates/_similarity.html.j2`
renders it as a section of the class report. For a graded batch folder,
`grader.similarity.batch.batch_similarity(directory)` does it all from the stored results
(`write_similarity`, `similarity_html` store and render it).
"""

from grader.similarity.detect import compare_pair, find_similar, find_similar_notebooks
from grader.similarity.extract import extract_functions, neutralize_magics
from grader.similarity.fingerprints import Fingerprint, fingerprint_tokens, kgram_hashes, winnow
from grader.similarity.index import SimilarityOptions
from grader.similarity.normalize import (
    NormalizedFunction,
    Template,
    normalize_function,
    parse_template,
)
from grader.similarity.report import (
    Cluster,
    CodeLine,
    FunctionMatch,
    Highlight,
    LineRange,
    SimilarityReport,
    SimilarPair,
)

__all__ = [
    "Cluster",
    "CodeLine",
    "Fingerprint",
    "FunctionMatch",
    "Highlight",
    "LineRange",
    "NormalizedFunction",
    "SimilarPair",
    "SimilarityOptions",
    "SimilarityReport",
    "Template",
    "compare_pair",
    "extract_functions",
    "find_similar",
    "find_similar_notebooks",
    "fingerprint_tokens",
    "kgram_hashes",
    "neutralize_magics",
    "normalize_function",
    "parse_template",
    "winnow",
]
