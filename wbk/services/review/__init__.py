"""The pre-review's use cases: the reading queue and text cache (queue), the verdicts of an
assessment (reviews), people's decisions on findings (decisions)."""
