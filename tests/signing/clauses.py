"""sb's own checks of the signature widgets and signatures that page-validation does not see, taken
from the veraPDF rules of PDF/A-2 (6.3.2-2, 6.3.3-1, 6.4.3) and PDF/UA-1 (7.18.1-3, 7.18.3, 7.18.4-1)."""

from __future__ import annotations

from pathlib import Path

import pikepdf

PRINT, HIDDEN, INVISIBLE, NO_VIEW, TOGGLE_NO_VIEW = 4, 2, 1, 32, 256


def _box(values: object) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in values)  # type: ignore[attr-defined]
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _outside(rect: tuple[float, float, float, float], crop: tuple[float, float, float, float]) -> bool:
    return rect[2] < crop[0] or rect[0] > crop[2] or rect[3] < crop[1] or rect[1] > crop[3]


def _zero_size(rect: tuple[float, float, float, float]) -> bool:
    return rect[0] == rect[2] and rect[1] == rect[3]


def clause_failures(path: Path) -> list[str]:
    """Every failure, as "clause: what"; an empty list when the file passes them all."""
    failures: list[str] = []
    data = path.read_bytes()
    with pikepdf.open(path) as pdf:
        if pdf.pdf_version != "1.7" or "/Version" in pdf.Root:
            failures.append(f"PDF/A-2: versionen är {pdf.pdf_version} {pdf.Root.get('/Version')}")
        for number, page in enumerate(pdf.pages, 1):
            crop = _box(page.obj.get("/CropBox", page.obj.MediaBox))
            annotations = list(page.obj.get("/Annots", []))
            if annotations and page.obj.get("/Tabs") != "/S":
                failures.append(f"7.18.3: sidan {number} har annoteringar men inte /Tabs /S")
            for annotation in annotations:
                failures += _annotation(annotation, crop, number)
        failures += _signatures(pdf, data)
    return failures


def _annotation(annotation: pikepdf.Dictionary, crop: tuple[float, float, float, float], page: int) -> list[str]:
    failures = []
    subtype = annotation.get("/Subtype")
    flags = int(annotation.get("/F", -1))
    rect = _box(annotation.Rect)
    where = f"sidan {page}, {subtype}"
    if subtype != "/Popup":
        if flags < 0:
            failures.append(f"6.3.2-2: {where} saknar /F")
        elif not flags & PRINT or flags & (HIDDEN | INVISIBLE | NO_VIEW | TOGGLE_NO_VIEW):
            failures.append(f"6.3.2-2: {where} har /F {flags}")
    if subtype not in ("/Popup", "/Link") and "/AP" not in annotation and not _zero_size(rect):
        failures.append(f"6.3.3-1: {where} saknar utseende (/AP) och har en yta")
    tagged = "/StructParent" in annotation
    away = _outside(rect, crop) or bool(flags & HIDDEN)
    if subtype not in ("/Widget", "/Link", "/PrintMark") and not (tagged or away):
        failures.append(f"7.18.1-3: {where} är varken taggad eller utanför beskärningsramen")
    if subtype == "/Widget":
        if not (tagged or away):
            failures.append(f"7.18.4-1: {where} ligger i sidan utan Form-tagg")
        field = annotation.get("/Parent", annotation)
        if "/TU" not in field and "/TU" not in annotation:
            failures.append(f"7.18.4: {where} saknar /TU")
    return failures


def _signatures(pdf: pikepdf.Pdf, data: bytes) -> list[str]:
    """6.4.3: each /ByteRange covers its revision from the first byte, all but the /Contents string,
    and ends at an end of file marker."""
    failures = []
    for field in pdf.Root.get("/AcroForm", {}).get("/Fields", []):
        value = field.get("/V")
        if value is None:
            continue
        start, before, after, length = (int(v) for v in value.ByteRange)
        revision = data[: after + length]
        if start != 0 or data[before : before + 1] != b"<" or data[after - 1 : after] != b">":
            failures.append(f"6.4.3: {field.T}: /ByteRange {start} {before} {after} {length} täcker inte filen")
        elif not revision.rstrip(b"\r\n").endswith(b"%%EOF"):
            failures.append(f"6.4.3: {field.T}: /ByteRange slutar inte vid %%EOF")
    return failures
