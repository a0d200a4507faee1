"""PortalRB (KemenPANRB, evaluation year 2026 on): its master question list and answer format.

Pure code: reading and comparing PortalRB's master list, and converting answers between the
catalog's codes and PortalRB's ``soal_id``s. No database, no HTTP.
"""

from wbk.portalrb.answers import (
    PortalRBExport,
    RatioOnly,
    SoalEntry,
    SoalScaleError,
    from_portalrb_answers,
    to_portalrb_answers,
)
from wbk.portalrb.master import (
    Difference,
    MasterList,
    MasterListError,
    compare_master,
    parse_master,
    read_master,
)

__all__ = [
    "Difference",
    "MasterList",
    "MasterListError",
    "PortalRBExport",
    "RatioOnly",
    "SoalEntry",
    "SoalScaleError",
    "compare_master",
    "from_portalrb_answers",
    "parse_master",
    "read_master",
    "to_portalrb_answers",
]
