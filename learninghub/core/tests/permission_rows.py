from learninghub.core.tests.matrix import Row, expect, signed_in

ROWS = [
    Row("core:home", expect(200)),
    Row("core:accessibility", expect(200)),
    Row("core:privacy", expect(200)),
    Row("core:cookies", expect(200)),
    Row("core:healthz", expect(200)),
    Row("core:floor", expect(200)),
    Row("core:dashboard", signed_in(200)),
    # Needs attention: whoever has some app's deadlines (today the case team: each
    # partnership's business unit and case review group); 404 for everyone else.
    Row(
        "core:needs_attention",
        signed_in(404, case_review_group=200, business_unit=200, other_business_unit=200),
    ),
    Row("core:needs_attention", signed_in(405), method="post", note="read-only"),
    Row("admin:index", expect(302, system_admin=200)),
    # Spreadsheet imports: each app's importer adds its own rows; a name no app registered
    # is not found, whoever asks (the steps of an upload are the uploader's alone:
    # core/tests/test_spreadsheet_views.py).
    Row("core:import_upload", signed_in(404), kwargs=lambda world: {"name": "no-such-import"}),
    Row(
        "core:import_upload",
        signed_in(404),
        kwargs=lambda world: {"name": "no-such-import"},
        method="post",
    ),
    *(
        Row(step, signed_in(404), kwargs=lambda world: {"name": "no-such-import", "pk": 1})
        for step in ("core:import_map", "core:import_preview", "core:import_result")
    ),
    Row(
        "core:import_preview",
        signed_in(404),
        kwargs=lambda world: {"name": "no-such-import", "pk": 1},
        method="post",
    ),
]
