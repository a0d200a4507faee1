"""Pure LKE scoring: answers -> values -> ScoreCard with WBK/WBBM verdicts. No I/O."""

from wbk.scoring.answers import AnswerRow, AnswerSet, parse_answers, values_from_mapping
from wbk.scoring.engine import score
from wbk.scoring.scorecard import GateResult, QuestionScore, ScoreCard, Subtotal, Verdict

__all__ = [
    "AnswerRow",
    "AnswerSet",
    "GateResult",
    "QuestionScore",
    "ScoreCard",
    "Subtotal",
    "Verdict",
    "parse_answers",
    "score",
    "values_from_mapping",
]
