"""One assessment: answers, the screen's context, evidence, notes, dashboard, reports."""
