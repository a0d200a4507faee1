"""Pre-review of evidence (pra-reviu data dukung), pure: text from a document's bytes, the
document's facts (number, date, signature, template text), matching against the catalog's
expected documents and a verdict per question with its findings. No database, no storage:
the services keep the text cache, the queue and people's decisions."""
