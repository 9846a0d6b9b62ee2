"""The shared taxonomy of learning themes, used by case reviews and the learning library."""

from django.db import models

# The starting list (domain.md, "Recurring themes"); partnerships may add to it.
STARTING_THEMES = [
    "Neglect",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Child sexual abuse",
    "Child sexual exploitation",
    "Child criminal exploitation",
    "Harmful sexual behaviour",
    "Online harm",
    "Sudden unexpected death in infancy",
    "Non-accidental or abusive head trauma",
    "Bruising in non-mobile infants",
    "Suicide and self-harm",
    "Children's mental health",
    "Disability",
    "Children not in school",
    "Risks outside the family",
    "Race, culture and identity",
    "Whole-family working",
    "Voice of the child",
    "Professional curiosity",
    "Information sharing",
    "Escalation",
    "Think family",
    "Transitions",
    "Young carers",
]


class Theme(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
