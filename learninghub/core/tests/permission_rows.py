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
]
