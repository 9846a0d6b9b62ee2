from learninghub.core.tests.matrix import Row, expect, signed_in

ROWS = [
    Row("core:home", expect(200)),
    Row("core:accessibility", expect(200)),
    Row("core:privacy", expect(200)),
    Row("core:cookies", expect(200)),
    Row("core:healthz", expect(200)),
    Row("core:floor", expect(200)),
    Row("core:dashboard", signed_in(200)),
    Row("admin:index", expect(302, system_admin=200)),
]
