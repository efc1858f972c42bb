"""Phase 4, triggers of the security system: a member whose threat at home passes ``call_threat`` sets off
the terrorism (charter Art. 4) or rebellion (Art. 5) clauses and calls its allies under the assistance
clause (Art. 6); collective defence answers the call. One call at a time per member: it may call again
once the allied tours end. (Coups open their crises where they happen: :func:`sim.actions.open_crises`.)"""

from __future__ import annotations

import numpy as np

from sim.enums import LogKind, TriggerEvent
from sim.scenario.parameters import ModelParams
from sim.world import World

__all__ = ["run"]


def run(world: World, params: ModelParams, rng: np.random.Generator) -> None:
    """Queue this week's counter-terrorism calls in ``world.ct_calls`` (no draws: ``rng`` is unused)."""
    if not world.theatre:
        return
    ct = params.counter_terrorism
    for sid in world.theatre:
        st = world.states[sid]
        if st.threat < ct.call_threat or world.ct_called_until.get(sid, -1) > world.week:
            continue
        rebels = world.rebel_attacks_week.get(sid, 0)
        jihadist = world.attacks_week.get(sid, 0) - rebels
        event = TriggerEvent.REBELLION if rebels > jihadist else TriggerEvent.TERRORISM
        members = world.members()
        consult = world.treaties.consulted(event, sid, members)
        commits = world.treaties.commitments_to(sid, members, event, set())
        if not consult and not commits:
            continue
        what = "armed rebellion" if event is TriggerEvent.REBELLION else "terrorist attacks"
        for ac in consult:
            world.say(LogKind.CLAUSE_TRIGGERED, ac.bloc, sid, ac.ref, f"{ac.spec.article or ac.ref} of "
                      f"{world.blocs[ac.bloc].name} is set off by {what} in {world.name(sid)} "
                      f"(threat {st.threat:.2f}).", threat=st.threat, event=event.value,
                      attacks=world.attacks_week.get(sid, 0), deaths=world.deaths_week.get(sid, 0))
        world.ct_calls.append((sid, event))
        world.ct_called_until[sid] = world.week + ct.tour_weeks
