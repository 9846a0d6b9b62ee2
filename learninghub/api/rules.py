"""Who may hold API tokens (django-rules). Deny unless a rule allows.

A token acts as its person, with that person's roles, so tokens are for the people who
manage a partnership's records: business unit members (of any partnership) and system
administrators.
"""

from __future__ import annotations

import rules

from learninghub.partnerships.rules import is_business_unit_anywhere, is_system_admin

rules.add_perm("api.hold_token", is_business_unit_anywhere | is_system_admin)
