"""The anonymity check: what identifies a child or family is found in text, file names, PDFs
and Word documents; a form refuses it unless someone overrides with a reason, which is
audited without the identifying text."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import engines

from learninghub.core.anonymity import (
    Identifier,
    check_filename,
    check_texts,
    describe,
    find_identifying,
    identifiers_from,
    text_of_file,
)
from learninghub.core.anonymity.audit import ACTION, audit_override
from learninghub.core.anonymity.forms import AnonymityCheckedForm
from learninghub.core.anonymity.patterns import nhs_number_valid
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import error_summary, soup, text_of

CHILD = Identifier("child_name", "the child's name", "Amelia Jones")
FAMILY = Identifier(
    "family_names", "a family member's name", "Sarah Jones (mother); Will Brennan\nDad: Tariq"
)
BORN = Identifier("date_of_birth", "the child's date of birth", "2015-03-04")
ADDRESS = Identifier("address", "the family's address", "Flat 2\n12 Larkspur Road\nLeeds\nLS1 4AB")
SCHOOL = Identifier("school", "the child's school", "Northdale Primary School")
ALL = [CHILD, FAMILY, BORN, ADDRESS, SCHOOL]


def found(text: str, identifiers=ALL) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in find_identifying(text, identifiers)]


# Identifiers -------------------------------------------------------------------------------


def test_a_full_name_matches_whole_and_as_its_parts():
    assert found("Amelia Jones told her teacher. Later amelia said JONES was kind.") == [
        ("child_name", "Amelia Jones"),
        ("child_name", "amelia"),
        ("child_name", "JONES"),
    ]


def test_whitespace_and_line_breaks_inside_a_name_still_match():
    assert found("seen with Amelia\n   Jones today") == [("child_name", "Amelia\n   Jones")]


def test_a_name_inside_a_longer_word_is_not_a_match():
    assert found("Ameliarate the risk; the Jonesy report") == []


def test_a_possessive_name_is_a_match():
    assert found("Amelia's school") == [("child_name", "Amelia")]


def test_each_family_name_is_checked_but_not_relationships_or_common_words():
    text = "Sarah said her mother and Brennan will visit. Tariq agreed. Will Brennan came."
    assert found(text, [FAMILY]) == [
        ("family_names", "Sarah"),
        ("family_names", "Brennan"),
        ("family_names", "Tariq"),
        ("family_names", "Will Brennan"),
    ]


def test_a_relationship_on_its_own_in_the_list_is_not_a_name():
    family = Identifier("family_names", "a family member's name", "Sarah Jones, mother")
    assert found("her mother, Sarah", [family]) == [("family_names", "Sarah")]


def test_either_apostrophe_matches():
    child = Identifier("child_name", "the child's name", "Liam O'Brien")
    assert found("Liam O’Brien and o'brien", [child]) == [
        ("child_name", "Liam O’Brien"),
        ("child_name", "o'brien"),
    ]


def test_parts_shorter_than_three_letters_are_not_matched():
    assert found("Li went to Bo's house", [Identifier("child_name", "n", "Bo Li")]) == []
    assert found("Bo Li", [Identifier("child_name", "n", "Bo Li")]) == [("child_name", "Bo Li")]


def test_an_address_matches_in_full_by_its_street_line_and_by_its_postcode():
    assert found("They lived at Flat 2, 12 Larkspur Road, Leeds, LS1 4AB.", [ADDRESS]) == [
        ("address", "Flat 2, 12 Larkspur Road, Leeds, LS1 4AB")
    ]
    assert found("a house on flat 2 12 larkspur road", [ADDRESS]) == [
        ("address", "flat 2 12 larkspur road")
    ]
    assert found("next to 12 Larkspur Road", [ADDRESS]) == [("address", "12 Larkspur Road")]
    assert found("near ls1 4ab", [ADDRESS]) == [("address", "ls1 4ab")]
    assert found("moved to Leeds", [ADDRESS]) == []


def test_a_school_matches_with_or_without_the_word_school():
    assert found("at Northdale Primary School and Northdale Primary", [SCHOOL]) == [
        ("school", "Northdale Primary School"),
        ("school", "Northdale Primary"),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "2015-03-04",
        "04/03/2015",
        "4/3/2015",
        "04.03.2015",
        "4 March 2015",
        "4th March 2015",
        "4th of March 2015",
        "March 4 2015",
        "March 4th, 2015",
        "4 Mar 2015",
    ],
)
@pytest.mark.parametrize(
    "stored", ["2015-03-04", "04/03/2015", "4/3/2015", "4 March 2015", "4th March 2015"]
)
def test_a_date_of_birth_matches_every_written_form(stored, written):
    born = Identifier("date_of_birth", "the child's date of birth", stored)
    assert found(f"Born on {written}, she", [born]) == [("date_of_birth", written)]


def test_another_full_date_is_still_a_possible_date_of_birth():
    assert found("Seen on 5 March 2015.", [BORN]) == [("full_date", "5 March 2015")]


def test_identifiers_from_the_case_record_skip_blanks():
    record = {"child_name": "Amelia Jones", "family_names": "", "date_of_birth": "2015-03-04"}
    assert [(i.kind, i.label) for i in identifiers_from(record)] == [
        ("child_name", "the child's name"),
        ("date_of_birth", "the child's date of birth"),
    ]


# Patterns, whatever the identifiers --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen 12/01/2019 at home", [("full_date", "12/01/2019")]),
        ("seen 2019-01-12", [("full_date", "2019-01-12")]),
        ("seen on 12 January 2019", [("full_date", "12 January 2019")]),
        ("seen 4 March", []),  # no year: not a full date
        ("in March 2015", []),  # no day
        ("seen 31/02/2019", []),  # not a real date
        ("NHS 943 476 5919", [("nhs_number", "943 476 5919")]),
        ("NHS 9434765919.", [("nhs_number", "9434765919")]),
        ("NHS 943 476 5918", []),  # wrong check digit
        ("ref 94347659190", []),  # eleven digits
        ("postcode LS1 4AB", [("postcode", "LS1 4AB")]),
        ("postcode SW1A 1AA.", [("postcode", "SW1A 1AA")]),
        ("postcode M11AE", [("postcode", "M11AE")]),
        ("room LS1 and 4AB", []),
        ("phone 0113 496 0000", [("phone_number", "0113 496 0000")]),
        ("phone (0113) 496 0000", [("phone_number", "(0113) 496 0000")]),
        ("mobile 07700 900123", [("phone_number", "07700 900123")]),
        ("mobile 07700900123", [("phone_number", "07700900123")]),
        ("mobile +44 7700 900123", [("phone_number", "+44 7700 900123")]),
        ("mobile +44 (0)20 7946 0000", [("phone_number", "+44 (0)20 7946 0000")]),
        ("call 0700 12", []),
        ("call 09123 456789", []),  # premium rate is not a person's number
        ("email amelia.j+x@example.co.uk now", [("email", "amelia.j+x@example.co.uk")]),
        ("email at example dot com", []),
        ("Review 2 found 3 things in 2024", []),
    ],
)
def test_identifying_patterns(text, expected):
    assert found(text, []) == expected


def test_nhs_check_digit():
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("943476591")


def test_matches_are_in_order_and_overlaps_merged():
    text = "Email amelia.jones@example.com; Amelia Jones, 4/3/2015, LS1 4AB."
    matches = find_identifying(text, ALL)
    assert [(m.kind, m.text) for m in matches] == [
        ("email", "amelia.jones@example.com"),
        ("child_name", "Amelia Jones"),
        ("date_of_birth", "4/3/2015"),
        ("address", "LS1 4AB"),
    ]
    assert all(text[m.start : m.end] == m.text for m in matches)


def test_describe_says_what_was_found():
    matches = find_identifying("Amelia lives near LS2 7EE", [CHILD])
    assert [describe(m) for m in matches] == [
        'It contains "Amelia" (the child\'s name)',
        'It contains "LS2 7EE" (a postcode)',
    ]
    (date_found,) = find_identifying("Seen on 1/2/2019", [])
    # One pair of brackets: "(a full date (could be ...))" read badly in the error summary.
    assert describe(date_found) == (
        'It contains "1/2/2019" (a full date, which could be a date of birth)'
    )


def test_check_texts_keeps_only_fields_with_matches():
    result = check_texts({"title": "Learning for Child A", "text": "Amelia"}, [CHILD])
    assert list(result) == ["text"]
    assert result["text"][0].text == "Amelia"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amelia_Jones_chronology.pdf", [("child_name", "Amelia_Jones")]),
        ("chronology-jones.docx", [("child_name", "jones")]),
        ("notes.2015-03-04.docx", [("date_of_birth", "2015-03-04")]),
        ("C:\\files\\Larkspur-report.pdf", []),
        ("Child_A_chronology.pdf", []),
    ],
)
def test_file_names(name, expected):
    assert [(m.kind, m.text) for m in check_filename(name, ALL)] == expected


def test_file_name_positions_point_into_the_name():
    name = "C:\\x\\Amelia_Jones.pdf"
    (match,) = check_filename(name, [CHILD])
    assert name[match.start : match.end] == "Amelia_Jones"


# Files --------------------------------------------------------------------------------------


def small_pdf(line: str) -> bytes:
    """A real one-page PDF with `line` on it in Helvetica, offsets and all."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def small_docx() -> bytes:
    """A .docx with a name split across runs, a header, a footer and a comment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(
            "word/document.xml",
            f"<w:document {W}><w:body>"
            "<w:p><w:r><w:t>Learning about Ame</w:t></w:r><w:r><w:t>lia Jones</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>Second paragraph</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
        package.writestr(
            "word/header1.xml", f"<w:hdr {W}><w:p><w:r><w:t>LS1 4AB</w:t></w:r></w:p></w:hdr>"
        )
        package.writestr(
            "word/footer1.xml", f"<w:ftr {W}><w:p><w:r><w:t>Page</w:t></w:r></w:p></w:ftr>"
        )
        package.writestr(
            "word/comments.xml",
            f"<w:comments {W}><w:comment><w:p><w:r><w:t>Born 4/3/2015</w:t></w:r></w:p>"
            "</w:comment></w:comments>",
        )
    return buffer.getvalue()


def test_text_of_a_real_pdf():
    text = text_of_file(small_pdf("Amelia Jones lives at LS1 4AB"), "report.PDF")
    assert "Amelia Jones lives at LS1 4AB" in text
    assert found(text, [CHILD]) == [("child_name", "Amelia Jones"), ("postcode", "LS1 4AB")]


def test_text_of_a_real_word_document_with_headers_footers_and_comments():
    text = text_of_file(small_docx(), "report.docx")
    lines = text.split("\n")
    assert "Learning about Amelia Jones" in lines
    assert "Second paragraph" in lines
    assert {"LS1 4AB", "Page", "Born 4/3/2015"} <= set(lines)
    assert {(m.kind, m.text) for m in find_identifying(text, [CHILD, BORN])} == {
        ("child_name", "Amelia Jones"),
        ("postcode", "LS1 4AB"),
        ("date_of_birth", "4/3/2015"),
    }


def test_text_of_plain_text_and_csv():
    assert text_of_file(b"name,Amelia\n", "list.csv") == "name,Amelia\n"
    assert text_of_file("caf\xe9".encode("cp1252"), "notes.txt") == "caf\xe9"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 not really", "broken.pdf"),
        (small_pdf("x")[:60], "truncated.pdf"),
        (b"PK\x03\x04 garbage", "broken.docx"),
        (b"", "empty.pdf"),
        (b"\x00\x01binary", "data.txt"),
        (b"whatever", "picture.png"),
        (b"whatever", "no_extension"),
    ],
)
def test_unreadable_files_give_none(data, name):
    assert text_of_file(data, name) is None


def test_a_docx_without_its_document_or_with_a_dtd_gives_none():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/other.xml", "<x/>")
    assert text_of_file(buffer.getvalue(), "a.docx") is None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "word/document.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><w:document ' + W + "/>"
        )
    assert text_of_file(buffer.getvalue(), "a.docx") is None


# The form -----------------------------------------------------------------------------------


class FindingForm(AnonymityCheckedForm, forms.Form):
    anonymity_fields = ("title", "text")
    anonymity_file_fields = ("file",)
    anonymity_file_contents = True

    title = forms.CharField(label="Title")
    text = forms.CharField(label="Finding", widget=forms.Textarea)
    file = forms.FileField(label="Document", required=False)


def test_a_clean_form_is_valid_without_the_override():
    form = FindingForm({"title": "Child A", "text": "Agencies did not share."}, identifiers=ALL)
    assert form.is_valid(), form.errors
    assert form.anonymity_matches == {}
    assert not form.anonymity_override_used


def test_matches_are_errors_on_each_field_listing_every_match():
    form = FindingForm(
        {"title": "Amelia", "text": "Amelia Jones lived at LS1 4AB; Amelia was seen"},
        identifiers=ALL,
    )
    assert not form.is_valid()
    assert form.errors["title"] == [
        'It may identify the child or family. It contains "Amelia" (the child\'s name). '
        "Remove it, or tick the box to say it does not identify them and give a reason"
    ]
    (message,) = form.errors["text"]
    assert (
        'It contains "Amelia Jones" (the child\'s name), "LS1 4AB" (the family\'s address) '
        'and "Amelia" (the child\'s name).'
    ) in message
    assert list(form.anonymity_matches) == ["title", "text"]
    assert "anonymity_override" not in form.errors


def test_the_error_summary_links_to_each_field_and_the_override_is_revealed():
    form = FindingForm({"title": "Amelia", "text": "ok"}, identifiers=ALL)
    assert not form.is_valid()
    page = (
        engines["jinja2"]
        .from_string(
            '{% import "forms/macros.jinja" as forms %}{{ forms.error_summary(form) }}'
            '{% include "core/_anonymity_override.jinja" %}'
        )
        .render({"form": form})
    )
    assert error_summary(page) == [("#id_title", form.errors["title"][0])]
    document = soup(page)
    checkbox = document.find("input", attrs={"name": "anonymity_override"})
    assert checkbox is not None and not checkbox.has_attr("checked")
    assert document.find("textarea", attrs={"name": "anonymity_override_reason"}) is not None
    assert '"Amelia" (the child\'s name)' in text_of(document.select_one("#anonymity-check"))


def test_the_override_is_not_shown_when_nothing_was_found():
    form = FindingForm({"title": "Child A", "text": "ok"}, identifiers=ALL)
    assert form.is_valid()
    page = engines["jinja2"].from_string('{% include "core/_anonymity_override.jinja" %}')
    assert soup(page.render({"form": form})).find("input") is None


def test_an_override_without_a_reason_is_refused_naming_the_reason_box():
    form = FindingForm(
        {
            "title": "t",
            "text": "Amelia",
            "anonymity_override": "on",
            "anonymity_override_reason": " ",
        },
        identifiers=ALL,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["anonymity_override_reason"]
    assert "in the reason box" in form.errors["anonymity_override_reason"][0]
    assert not form.anonymity_override_used
    page = (
        engines["jinja2"]
        .from_string(
            '{% import "forms/macros.jinja" as forms %}{{ forms.error_summary(form) }}'
            '{% include "core/_anonymity_override.jinja" %}'
        )
        .render({"form": form})
    )
    assert error_summary(page) == [
        ("#id_anonymity_override_reason", form.errors["anonymity_override_reason"][0])
    ]
    assert soup(page).find("input", attrs={"name": "anonymity_override"}).has_attr("checked")


def test_an_override_with_a_reason_is_valid_and_says_so():
    form = FindingForm(
        {
            "title": "t",
            "text": "Dr Amelia Smith, the paediatrician",
            "anonymity_override": "on",
            "anonymity_override_reason": "A professional who shares the first name",
        },
        identifiers=ALL,
    )
    assert form.is_valid(), form.errors
    assert form.anonymity_override_used
    assert form.anonymity_reason == "A professional who shares the first name"
    assert [m.text for m in form.anonymity_matches["text"]] == ["Amelia"]


def test_the_uploaded_file_name_and_contents_are_checked():
    upload = SimpleUploadedFile("Amelia_Jones_chronology.pdf", small_pdf("Seen at LS1 4AB"))
    form = FindingForm({"title": "t", "text": "ok"}, {"file": upload}, identifiers=ALL)
    assert not form.is_valid()
    (message,) = form.errors["file"]
    assert message.startswith("The file may identify the child or family.")
    assert '"Amelia_Jones" (the child\'s name) and "LS1 4AB" (the family\'s address)' in message


def test_an_unreadable_upload_is_checked_by_name_only():
    upload = SimpleUploadedFile("chronology.pdf", b"%PDF-broken")
    form = FindingForm({"title": "t", "text": "ok"}, {"file": upload}, identifiers=ALL)
    assert form.is_valid(), form.errors
    assert form.anonymity_unread_files == ["chronology.pdf"]


# The audit event ----------------------------------------------------------------------------


def test_audit_override_records_kinds_labels_and_reason_never_the_text(db):
    matches = find_identifying("Amelia Jones was born 4 March 2015", ALL)
    event = audit_override(
        Auditor.for_system("test suite"),
        None,
        {"text": matches},
        "Checked with the family's consent",
    )
    assert event.action == ACTION == "core.anonymity.override"
    assert event.kind == AuditEvent.Kind.ACTION
    assert event.changes["anonymity_kinds"] == [None, "child_name, date_of_birth"]
    assert event.changes["anonymity_found"] == [
        None,
        "the child's date of birth; the child's name",
    ]
    assert event.changes["anonymity_override_reason"] == [None, "Checked with the family's consent"]
    assert event.changes["anonymity_fields"] == [None, "text"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent")
        stored = json.dumps(cursor.fetchall(), default=str)
    assert "Checked with the family" in stored
    for value in ("Amelia", "Jones", "4 March 2015"):
        assert value not in stored
