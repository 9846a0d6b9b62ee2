"""What the API accepts and returns. The OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from learninghub.partnerships.models import AgencyType

# The same limits as the models and the pages' forms.
AGENCY_NAME_MAX_LENGTH = 200


def _no_null_characters(value: str) -> str:
    # As Django's form fields refuse them for the pages: PostgreSQL cannot store them.
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Null characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_null_characters)]


class InputSchema(Schema):
    # A misspelt field is refused rather than ignored, so a PATCH never silently does nothing.
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str | None = Field(
        description="The input the message is about; null when it is about the whole request"
    )
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class PartnershipOut(Schema):
    id: int
    name: str
    short_name: str
    region: str
    region_label: str
    network_name: str | None

    @staticmethod
    def resolve_region_label(obj) -> str:
        return obj.get_region_display()

    @staticmethod
    def resolve_network_name(obj) -> str | None:
        return obj.network.name if obj.network_id else None


class AgencyOut(Schema):
    id: int
    name: str
    agency_type: str
    agency_type_label: str
    is_active: bool

    @staticmethod
    def resolve_agency_type_label(obj) -> str:
        return obj.get_agency_type_display()


class AgencyCreateIn(InputSchema):
    name: Text = Field(max_length=AGENCY_NAME_MAX_LENGTH)
    agency_type: AgencyType


class AgencyUpdateIn(InputSchema):
    """Send only what changes. `null` is not a value: leave a field out to keep it."""

    # Defaults of None are never validated, but an explicit null is (and refused).
    name: Text = Field(None, max_length=AGENCY_NAME_MAX_LENGTH)
    agency_type: AgencyType = None
    is_active: bool = None
