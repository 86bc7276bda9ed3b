#!/bin/sh
# Regenerates the office corpus of tests/library/test_office_corpus.py from cours.md and the
# hand-written packages of office_xml.py, with pandoc and LibreOffice headless.
# Run from this folder: sh make_corpus.sh  (needs pandoc, soffice and the project's python)
set -e
PROFILE="-env:UserInstallation=file://$(mktemp -d)"
pandoc cours.md -o pandoc.odt
pandoc cours.md -o pandoc.docx
python3 -c "
import sys; sys.path.insert(0, '..')
from pathlib import Path
import office_xml as x
x.odt_edge_cases(Path('hand_edge.odt')); x.word_french(Path('hand_word.docx'))
"
OUT=$(mktemp -d)
soffice $PROFILE --headless --convert-to odt --outdir "$OUT" pandoc.docx hand_word.docx >/dev/null
soffice $PROFILE --headless --convert-to docx --outdir "$OUT" pandoc.odt hand_edge.odt >/dev/null
mv "$OUT/pandoc.odt" libreoffice_from_docx.odt
mv "$OUT/hand_word.odt" libreoffice_from_word.odt
mv "$OUT/pandoc.docx" libreoffice_from_odt.docx
mv "$OUT/hand_edge.docx" libreoffice_from_edge.docx
rm -f hand_edge.odt hand_word.docx
