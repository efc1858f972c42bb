"""The instructor's page: a Solara app showing one lesson scenario week by week, and the odds across many runs.

``python run.py serve`` starts it. Modules: :mod:`sim.viz.lessons` (lesson files and the
counterfactual switches), :mod:`sim.viz.classroom` (the model the page drives),
:mod:`sim.viz.panels` (the panels), :mod:`sim.viz.components` (what they read of the model), the drawing of each panel
(:mod:`sim.viz.map_svg`, :mod:`sim.viz.network_svg`, :mod:`sim.viz.forces_svg`, :mod:`sim.viz.text_panels`,
in :mod:`sim.palette`'s colours), :mod:`sim.viz.app` (the page),
:mod:`sim.viz.assets` (the browser assets kept for offline classrooms).

Nothing heavy is imported here, so that ``run.py --help`` and the asset installer stay fast.
"""
