"""The record that each source's reminders ran on a day: the daily job may be queued twice
(the timer and the worker's own schedule) or run twice by hand, and people must not be
emailed twice."""

from __future__ import annotations

from django.db import models


class ReminderRun(models.Model):
    source = models.CharField(max_length=50)
    day = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "day"], name="reminder_run_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.source} reminders on {self.day:%Y-%m-%d}"
