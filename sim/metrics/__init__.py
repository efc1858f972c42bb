"""What a run reports: the weekly timeline (:mod:`sim.metrics.timeline`) and the outcomes of a finished
run (:mod:`sim.metrics.outcomes`), both declared as named functions of the World."""

from sim.metrics.outcomes import DYNAMIC_OUTCOMES, NULLABLE_INT_OUTCOMES, OUTCOMES, compute_outcomes
from sim.metrics.timeline import (
    CRISIS_VARIABLES,
    STATE_VARIABLES,
    THEATRE_MODEL_VARIABLES,
    THEATRE_STATE_VARIABLES,
    TIMELINE_COLUMNS,
    TimelineRecorder,
)

__all__ = ["CRISIS_VARIABLES", "DYNAMIC_OUTCOMES", "NULLABLE_INT_OUTCOMES", "OUTCOMES", "STATE_VARIABLES",
           "THEATRE_MODEL_VARIABLES", "THEATRE_STATE_VARIABLES", "TIMELINE_COLUMNS", "TimelineRecorder",
           "compute_outcomes"]
