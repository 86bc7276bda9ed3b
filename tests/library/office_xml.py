"""Hand-written ODT and DOCX packages for the readers' edge cases.

Each builder writes the XML a given writer produces (Word, Google Docs, OnlyOffice,
Word's ODF export, ISO strict OOXML) for the structures a teacher's course uses:
sections, nested lists, tables, frames and text boxes, page headers, notes, a table
of contents that must not be read twice, tracked deletions that must not be read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)


def write_odt(path: Path, body: str, styles: str = "", master: str = "", automatic: str = "") -> Path:
    """An ODT package with `body` inside office:text, `styles` and `master` in styles.xml."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
               f"<office:automatic-styles>{automatic}</office:automatic-styles>"
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    styles_xml = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}>'
                  f"<office:styles>{styles}</office:styles>"
                  f"<office:master-styles>{master}</office:master-styles></office:document-styles>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", styles_xml)
        archive.writestr("META-INF/manifest.xml",
                         '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                         'manifest:version="1.3">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                         '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                         "</manifest:manifest>")
    return path


def write_docx(path: Path, body: str, styles: str = "", parts: dict[str, tuple[str, str]] | None = None,
               ns: str = W, main: str = "word/document.xml") -> Path:
    """A DOCX package; `parts`: relationship type suffix -> (part name, XML) beside the main part."""
    parts = dict(parts or {})
    folder = main.rsplit("/", 1)[0]
    rels = [f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>']
    files = {f"{folder}/styles.xml": f'<w:styles xmlns:w="{ns}">{styles}</w:styles>'}
    for index, (kind, (name, xml)) in enumerate(parts.items()):
        rels.append(f'<Relationship Id="rId{index}" Type="{REL}/{kind.rstrip("0123456789")}" Target="{name}"/>')
        files[f"{folder}/{name}"] = xml
    document = (f'<w:document xmlns:w="{ns}" xmlns:r="{REL}" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                'xmlns:v="urn:schemas-microsoft-com:vml">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                         f'Type="{REL}/officeDocument" Target="{main}"/></Relationships>')
        archive.writestr(main, document)
        archive.writestr(f"{folder}/_rels/{main.rsplit('/', 1)[1]}.rels",
                         f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>')
        for name, xml in files.items():
            archive.writestr(name, xml)
    return path


def wp(text: str, style: str | None = None, outline: int | None = None, extra: str = "") -> str:
    """One w:p with its text in a run."""
    props = ""
    if style or outline is not None:
        props = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + \
                (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + "</w:pPr>"
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


def word_style(sid: str, name: str, based: str = "", outline: int | None = None) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + (f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else "")
            + "</w:style>")


def word_french(path: Path) -> Path:
    """Word in French: style ids "Titre1", a TOC content control, a text box in
    mc:AlternateContent (choice and VML fallback), a header, a footnote, a tracked deletion."""
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
           + wp("Encadré : une pile se vide dans l'ordre inverse.") +
           '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>'
           + wp("Encadré : une pile se vide dans l'ordre inverse.") +
           "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    toc = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
           "<w:sdtContent>" + wp("Les piles ........ 1", "TM1") + "</w:sdtContent></w:sdt>")
    body = (wp("Structures de données", "Titre") + toc + wp("Les piles", "Titre1")
            + '<w:p><w:r><w:t xml:space="preserve">Une pile est </w:t></w:r><w:del><w:r><w:delText>SUPPRIMÉ </w:delText></w:r></w:del>'
              '<w:ins><w:r><w:t>une structure LIFO</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r>'
              '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
            + f"<w:p><w:r><w:t>Voir l'encadré.</w:t></w:r>{box}</w:p>"
            + wp("Exemple", "Titre2")
            + '<w:p><w:hyperlink r:id="x"><w:r><w:t>Annuler</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>utilise une pile.</w:t></w:r></w:p>')
    styles = (word_style("Titre", "Title") + word_style("Titre1", "heading 1") + word_style("Titre2", "heading 2")
              + word_style("TM1", "toc 1"))
    header = f'<w:hdr xmlns:w="{W}">' + wp("Lycée Condorcet — NSI") + '<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:hdr>'
    notes = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:id="1">' + wp("LIFO : last in, first out.") + "</w:footnote></w:footnotes>")
    return write_docx(path, body, styles, {"header": ("header1.xml", header), "footnotes": ("footnotes.xml", notes)})


def google_docs(path: Path) -> Path:
    """Google Docs: "Heading1" ids named "heading 1", a table with merged cells, nested lists."""
    body = (wp("Les graphes", "Title") + wp("Vocabulaire", "Heading1")
            + wp("Un graphe est un ensemble de sommets reliés par des arêtes.")
            + wp("sommet", "ListParagraph") + wp("arête", "ListParagraph")
            + "<w:tbl><w:tr><w:tc>" + wp("Terme") + "</w:tc><w:tc>" + wp("Définition") + "</w:tc></w:tr>"
            + '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + wp("degré") + "</w:tc><w:tc>"
            + wp("nombre d'arêtes d'un sommet") + "</w:tc></w:tr>"
            + '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>' + wp("(boucles comptées deux fois)")
            + "</w:tc></w:tr></w:tbl>"
            + wp("Parcours", "Heading2") + wp("Le parcours en largeur utilise une file."))
    styles = word_style("Title", "Title") + word_style("Heading1", "heading 1") + word_style("Heading2", "heading 2") \
        + word_style("ListParagraph", "List Paragraph")
    return write_docx(path, body, styles)


def outline_only(path: Path) -> Path:
    """OnlyOffice-like: custom heading styles known only by outline level and basedOn, and
    a paragraph with its own outline level; strict OOXML namespace; main part not word/document.xml."""
    body = (wp("Chapitre un", "MonTitre") + wp("Texte du chapitre un.")
            + wp("Section un point un", "MonSousTitre") + wp("Texte de la section.")
            + wp("Annexe", outline=0) + wp("Texte de l'annexe."))
    styles = word_style("MonTitre", "Mon titre", outline=0) + word_style("MonSousTitre", "Mon sous-titre", "MonTitre2") \
        + word_style("MonTitre2", "Base", outline=1)
    return write_docx(path, body, styles, ns=W_STRICT, main="doc/main.xml")


def odt_edge_cases(path: Path) -> Path:
    """Word/Google-style ODT: heading by paragraph style (parent chain), no outline level on a
    text:h, a section, a frame with a text box, a header, spaces, notes, a TOC, a deletion, a nested table."""
    automatic = ('<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading_20_1"/>'
                 '<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Sous_20_titre"/>')
    styles = ('<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"/>'
              '<style:style style:name="Sous_20_titre" style:display-name="Sous titre" style:family="paragraph" '
              'style:default-outline-level="2"/>')
    master = ('<style:master-page style:name="Standard"><style:header><text:p>Lycée Hugo — Physique</text:p>'
              "</style:header><style:footer><text:p><text:page-number>1</text:page-number></text:p></style:footer>"
              "</style:master-page>")
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
        "<dc:creator>Prof</dc:creator><dc:date>2024-09-01T10:00:00</dc:date></office:change-info>"
        "<text:p>EFFACÉ</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        '<text:table-of-content text:name="TOC"><text:index-body><text:p>Optique ... 1</text:p></text:index-body></text:table-of-content>'
        '<text:p text:style-name="P1">Optique</text:p>'
        '<text:section text:name="S1"><text:p>La lumière<text:s text:c="3"/>se<text:change text:change-id="c1"/> propage en ligne droite.'
        '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>'
        "<text:p>Dans un milieu homogène.</text:p></text:note-body></text:note></text:p>"
        '<text:p>Voir la figure.<draw:frame draw:name="F1"><draw:text-box><text:p>Figure : un rayon lumineux.</text:p>'
        "</draw:text-box></draw:frame></text:p></text:section>"
        '<text:p text:style-name="P2">Réfraction</text:p>'
        "<text:h>Loi de Snell</text:h>"
        "<text:list><text:list-item><text:p>n1 sin i1 = n2 sin i2</text:p><text:list><text:list-item>"
        "<text:p>angles mesurés à la normale</text:p></text:list-item></text:list></text:list-item></text:list>"
        "<table:table><table:table-column table:number-columns-repeated=\"2\"/><table:table-row><table:table-cell><text:p>milieu</text:p></table:table-cell>"
        "<table:table-cell><text:p>indice</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>eau</text:p></table:table-cell>"
        "<table:table-cell><text:p>1,33</text:p></table:table-cell></table:table-row></table:table>"
        '<draw:frame text:anchor-type="page"><draw:text-box><text:p>Encadré de page : retenir la loi.</text:p>'
        "</draw:text-box></draw:frame>"
    )
    return write_odt(path, body, styles, master, automatic)
