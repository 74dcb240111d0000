"""Codes of the instance-wide vocabularies (DOMAIN.md, "Controlled vocabulary")."""

EVENT_TYPE = "event_type"
PROCEEDING_STEP = "proceeding_step"
INTERVENTION_TYPE = "intervention_type"
DECISION_TYPE = "decision_type"
DECISION_OUTCOME = "decision_outcome"
DECISION_MAKER = "decision_maker"
GROUNDS = "grounds"
CLAIM_BASIS = "claim_basis"

ALL = (
    EVENT_TYPE,
    PROCEEDING_STEP,
    INTERVENTION_TYPE,
    DECISION_TYPE,
    DECISION_OUTCOME,
    DECISION_MAKER,
    GROUNDS,
    CLAIM_BASIS,
)
