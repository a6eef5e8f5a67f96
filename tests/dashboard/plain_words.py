"""What a Vietnamese page must not show: English words and raw codes (shared by the AppTest walk and the
browser walk)."""

from __future__ import annotations

import re

# Words that only show when a label was not translated or a code leaked (checked as whole words,
# case-sensitive where case matters: "None" is Python's, "none" could be part of a file name).
ENGLISH = [
    "Upload", "upload", "Drag and drop", "Browse files", "per file", "Deploy", "Rerun", "Settings",
    "None", "null", "NaN", "nan", "True", "False", "loaded", "refused", "rejected", "pending",
    "violations", "cleanup", "sorting", "lighting", "participation", "suggestion", "Exception", "Error",
    "Catalog", "Binder", "Parser", "Traceback", "fine", "reminder", "warning", "Running",
]  # fmt: skip
_ENGLISH = re.compile(r"(?<![\w./-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/-])")
# A code as the program names it: detected_on, rows_total, sidewalk_encroachment, created_at …
_CODE = re.compile(r"(?<![\w./:-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])")


def leaks(text: str, *, codes: bool = True) -> list[str]:
    """The English words and raw codes in `text` (codes may be allowed where they are the subject)."""
    found = [m.group(1) for m in _ENGLISH.finditer(text)]
    if codes:
        found += [m.group(0) for m in _CODE.finditer(text)]
    return found
