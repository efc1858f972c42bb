"""The model the page drives: :class:`sim.model.LiptakoModel` built from a lesson and the switches.

The page (:mod:`sim.viz.app`) re-creates the model on Reset by calling this class with the sidebar's
values as keywords, so this subclass takes the picker's and the switches' values as keywords and does nothing
else: the weekly order, the rules and the records are the model's own. It also stops the play loop at
the scenario's end date (``running``).
"""

from __future__ import annotations

from sim.model import LiptakoModel
from sim.viz.lessons import ART6_CHOICES, AS_IN_LESSON, NIGERIA_CHOICES, Applied, LessonEntry, Switches, build

__all__ = ["DEFAULT_SEED", "ClassroomModel"]

DEFAULT_SEED = 7  # the page's default chance draw; any whole number replays exactly


def _choice(value: str | float | None, choices: dict[str, float | None], what: str) -> float | None:
    """A switch value from the page (a label of ``choices``) or from code (a number or None)."""
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    if value in choices:
        return choices[value]
    raise ValueError(f"{what}: unknown choice {value!r} (choices: {', '.join(choices)})")


class ClassroomModel(LiptakoModel):
    """A lesson's model with the counterfactual switches applied.

    Args:
        lesson: a lesson's title (as in the picker), file stem or path.
        charter: False drops the Liptako-Gourma Charter and the 31 July declaration.
        art6: charter Art. 6 bindingness, a label of ``ART6_CHOICES`` or a number 0-1.
        nigeria: Nigeria's domestic constraint on war, a label of ``NIGERIA_CHOICES`` or a number 0-1.
        france_stays: True drops the scheduled events that end France's presence.
        seed: the run's seed.
    """

    def __init__(self, lesson: str = "01_niger_2023_charter", charter: bool = True,
                 art6: str | float | None = AS_IN_LESSON, nigeria: str | float | None = AS_IN_LESSON,
                 france_stays: bool = False, seed: int = DEFAULT_SEED) -> None:
        self.switches = Switches(
            charter=bool(charter),
            art6_bindingness=_choice(art6, ART6_CHOICES, "Art. 6 bindingness"),
            nigeria_constraint=_choice(nigeria, NIGERIA_CHOICES, "Nigeria's domestic constraint"),
            france_stays=bool(france_stays),
        )
        scenario, entry, applied = build(lesson, self.switches)
        self.entry: LessonEntry = entry
        self.applied: Applied = applied
        super().__init__(scenario, int(seed))
        self.running = self.world.week < self.world.n_weeks

    def step(self) -> None:
        """One week of the model; stops at the scenario's end date."""
        w = self.world
        if w.week >= w.n_weeks:
            self.running = False
            return
        super().step()
        self.running = w.week < w.n_weeks
