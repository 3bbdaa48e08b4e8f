# %% [markdown]
# # How did a department's grades move over the years?
#
# A worked example on the output of `plansheet extract`. Run it as a script,
#
#     python docs/example_grades.py [OUTPUT_DIR] [DEPARTMENT] [FIGURE]
#
# or open it in Jupyter / VS Code as a notebook (percent format; edit the three settings
# below). Defaults: the `output` folder `make run` writes, 環境部 (the sample department
# that runs over three fiscal years, `samples/lineage/`), and `grades_<DEPARTMENT>.png` in
# the current folder. It needs plansheet and, for the figure only, matplotlib
# (`pip install matplotlib`; without it the tables are still printed). It reads the
# output folder and writes nothing into it.

# %%
import sys
from pathlib import Path

import pandas as pd

import plansheet

IN_NOTEBOOK = "ipykernel" in sys.modules
args = [] if IN_NOTEBOOK else sys.argv[1:]
OUT = Path(args[0]) if len(args) > 0 else Path("output")
DEPARTMENT = args[1] if len(args) > 1 else "環境部"
FIGURE = Path(args[2]) if len(args) > 2 else Path(f"grades_{DEPARTMENT}.png")

# %% [markdown]
# `plansheet.load` gives typed tables with **one copy of each sheet**: a sheet that arrived
# as a PDF, a scan and a workbook counts once (`documents.is_current`; `copies="all"` gives
# every copy). `fiscal_year` and goal numbers are nullable `Int32`, grades an ordered
# categorical A < B < C < D < E. `goals` carries its `department`.

# %%
tables = plansheet.load(OUT)
goals = tables["goals"].merge(tables["documents"][["doc_id", "stage"]], on="doc_id")
departments = sorted(goals["department"].dropna().unique())
if DEPARTMENT not in departments:
    raise SystemExit(f"{OUT}: no goals of department {DEPARTMENT!r}; the departments are: "
                     f"{', '.join(departments) or '(none)'}")
mine = goals[(goals["department"] == DEPARTMENT) & (goals["stage"] == "result")]
print(mine[["fiscal_year", "goal_no", "title", "overall_grade"]].sort_values(["fiscal_year", "goal_no"]))

# %% [markdown]
# How many goals got each grade, year by year. Letters are counted, never averaged: a
# year of A, B, C and D is not "a B".

# %%
grades_by_year = pd.crosstab(mine["fiscal_year"], mine["overall_grade"], dropna=False)
print(grades_by_year)

# %% [markdown]
# Follow each goal through `goal_lineage` (a chain groups a goal with its predecessors and
# successors, across rewording and splits) and plot every chain's grade by year.

# %%
lineage = tables["goal_lineage"]
chains = lineage[(lineage["department"] == DEPARTMENT) & lineage["goal_no"].notna()]
chains = chains.merge(mine[["doc_id", "goal_no", "overall_grade", "title"]], on=["doc_id", "goal_no"])
trajectories = (chains.sort_values(["fiscal_year", "goal_no"])
                .groupby("chain_id")[["fiscal_year", "overall_grade"]]
                .apply(lambda part: " → ".join(f"{y}: {g}" for y, g in zip(part["fiscal_year"], part["overall_grade"]))))
print(trajectories.to_string())

# %%
try:
    import matplotlib
except ImportError:
    matplotlib = None
    print("matplotlib is not installed: no figure (pip install matplotlib)")
if matplotlib is not None:
    if not IN_NOTEBOOK:
        matplotlib.use("Agg")  # a script saves the figure; a notebook shows it
    import matplotlib.pyplot as plt

    installed = {f.name for f in matplotlib.font_manager.fontManager.ttflist}
    plt.rcParams["font.family"] = [f for f in ("IPAexGothic", "Noto Sans CJK JP") if f in installed] + ["DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(8, 4))
    for chain_id, part in chains.dropna(subset=["overall_grade"]).groupby("chain_id"):
        part = part.sort_values("fiscal_year")
        ax.plot(part["fiscal_year"].astype(int), part["overall_grade"].cat.codes + 1, marker="o", label=chain_id)
    ax.set_yticks([1, 2, 3, 4, 5], ["A", "B", "C", "D", "E"])
    ax.invert_yaxis()  # A at the top
    ax.set_xticks(sorted(int(y) for y in mine["fiscal_year"].unique()))
    ax.set_xlabel("fiscal year")
    ax.set_ylabel("全体の達成度")
    ax.set_title(f"{DEPARTMENT}: grades by goal chain")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    if IN_NOTEBOOK:
        plt.show()
    else:
        fig.savefig(FIGURE, dpi=100)
        print(f"figure written to {FIGURE}")
