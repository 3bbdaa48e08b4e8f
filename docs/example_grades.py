# %% [markdown]
# # How did a department's grades move over the years?
#
# A worked example on the output of `plansheet extract` (percent-format script: run it
# as `python docs/example_grades.py [OUTPUT_DIR] [DEPARTMENT]`, or open it in Jupyter /
# VS Code as a notebook). Defaults: the `output` folder `make run` writes, and 環境部,
# the sample department that runs over three fiscal years (`samples/lineage/`).

# %%
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; the figure is saved as a PNG
import matplotlib.pyplot as plt  # noqa: E402

import plansheet  # noqa: E402

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("output")
DEPARTMENT = sys.argv[2] if len(sys.argv) > 2 else "環境部"
FIGURE = OUT / f"grades_{DEPARTMENT}.png"

# %% [markdown]
# `plansheet.load` gives typed tables: `fiscal_year` and goal numbers are nullable
# `Int32`, grades an ordered categorical A < B < C < D < E. `initiatives_flat` has one
# row per initiative with its target, goal, department, year and grades.

# %%
tables = plansheet.load(OUT)
goals = tables["goals"].merge(tables["documents"][["doc_id", "stage"]], on="doc_id")
mine = goals[(goals["department"] == DEPARTMENT) & (goals["stage"] == "result")]
print(mine[["fiscal_year", "goal_no", "title", "overall_grade"]].sort_values(["fiscal_year", "goal_no"]))

# %% [markdown]
# Grades as numbers (A = 1 … E = 5, lower is better) and one sheet per year: the same
# sheet may have been ingested from several files, so keep one document per year.

# %%
GRADE_VALUE = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}
mine = mine.assign(grade_value=mine["overall_grade"].astype("string").map(GRADE_VALUE).astype("Float64"))
per_year = mine.sort_values("doc_id").drop_duplicates(["fiscal_year", "goal_no"])
mean_by_year = per_year.groupby("fiscal_year")["grade_value"].mean()
print(mean_by_year)

# %% [markdown]
# Follow each goal through `goal_lineage` (a chain groups a goal with its predecessors
# and successors, across rewording and splits) and plot every chain's grades by year.

# %%
lineage = tables["goal_lineage"]
chains = lineage[(lineage["department"] == DEPARTMENT) & lineage["goal_no"].notna()]
chains = chains.merge(per_year[["doc_id", "goal_no", "grade_value", "title"]], on=["doc_id", "goal_no"])

installed = {f.name for f in matplotlib.font_manager.fontManager.ttflist}
plt.rcParams["font.family"] = [f for f in ("IPAexGothic", "Noto Sans CJK JP") if f in installed] + ["DejaVu Sans"]
fig, ax = plt.subplots(figsize=(8, 4))
for chain_id, part in chains.groupby("chain_id"):
    part = part.groupby("fiscal_year")["grade_value"].mean()
    ax.plot(part.index.astype(int), part.values, marker="o", label=chain_id)
ax.plot(mean_by_year.index.astype(int), mean_by_year.values, "k--", linewidth=2, label="mean of all goals")
ax.set_yticks([1, 2, 3, 4, 5], ["A", "B", "C", "D", "E"])
ax.invert_yaxis()  # A at the top
ax.set_xticks(sorted(mean_by_year.index.astype(int)))
ax.set_xlabel("fiscal year")
ax.set_ylabel("全体の達成度")
ax.set_title(f"{DEPARTMENT}: grades by goal chain")
ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
fig.tight_layout()
fig.savefig(FIGURE, dpi=100)
print(f"figure written to {FIGURE}")
