"""Every snippet figure keeps its text inside its drawing area and its legends off the data
(issue 19, item 6).

The figures are checked as matplotlib lays them out, in both styles, on the very run whose
values the topic tests check: tests/snippet_runs.py runs tests/figure_layout.py's checks
on every figure a snippet draws, once its SVG is written.
"""
import numpy as np
import pytest
from matplotlib.figure import Figure

from figure_layout import layout_problems
from pipeline.discovery import discover


@pytest.mark.parametrize("name", discover())
def test_no_figure_text_is_cut_off_and_no_legend_covers_data(name, snippet_runs):
    problems = [f"figure_{fid} ({theme}): {problem}" for fid, theme, found in snippet_runs(name).layout
                for problem in found]
    assert not problems, f"{name}:\n" + "\n".join(problems)


# --- the checks themselves, on figures made here --------------------------------------------


def small_figure():
    fig = Figure(figsize=(3, 2), layout="constrained")
    return fig, fig.subplots()


def test_the_check_finds_a_label_past_the_edge():
    fig, ax = small_figure()
    ax.plot([0, 1], [0, 1])
    fig.text(0.9, 0.5, "a long label that leaves the figure")
    assert [problem.startswith("text outside") for problem in layout_problems(fig)] == [True]


def test_the_check_finds_a_legend_on_a_line():
    fig, ax = small_figure()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.full_like(x, 0.5), label="flat")
    ax.legend(loc="center")
    assert any("legend" in problem for problem in layout_problems(fig))


def test_the_check_passes_a_clean_figure():
    fig, ax = small_figure()
    x = np.linspace(0, 1, 50)
    ax.plot(x, x ** 2, label="rising")
    ax.errorbar([0.2], [0.04], yerr=[0.01])
    ax.axhline(0.5)  # a reference line under the legend is no defect
    ax.legend(loc="upper left")
    ax.set_xlabel("x")
    assert layout_problems(fig) == []
