"""The report's choice-based conjoint section (see :mod:`customervalue.report`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ._report_html import Section, _need, _panels, _table
from .demand import fit_choice
from .report_config import ReportData


def _conjoint(data: ReportData) -> Section:
    """Choice-based conjoint: the fitted logit (latent classes when ``n_classes`` allows, BIC
    choosing), attribute importance and willingness to pay per level of the largest class."""
    cj = _need(data.config.conjoint, "conjoint", "attributes")
    choices = data.conjoint
    assert choices is not None
    nc = cj["n_classes"]
    counts = list(range(nc[0], nc[1] + 1)) if isinstance(nc, list) else [int(nc)]
    model = fit_choice(
        choices,
        cj["respondent"],
        cj["task"],
        cj["alternative"],
        cj["chosen"],
        attributes=cj["attributes"],
        price=cj.get("price"),
        model="mnl" if counts == [1] else "latent_class",
        n_classes=counts,
        seed=data.config.seed,
        missing="drop",
    )
    k = len(model.classes)
    imp = model.importance.pivot(index="attribute", columns="class", values="importance")
    imp.columns = [f"class {c}" for c in imp.columns] if k > 1 else ["importance"]
    top = imp.iloc[:, 0].idxmax()
    finding = (
        f"{model.n_respondents:,} respondents made {model.n_tasks:,} choices; "
        + (
            f"BIC picks {k} latent classes (shares {', '.join(f'{s:.0%}' for s in model.classes['share'])}); "
            if k > 1
            else ""
        )
        + f"{top} drives choice most ({imp.iloc[:, 0].max():.0%} of the part-worth range"
        + (" in the largest class" if k > 1 else "")
        + ")."
    )
    body = "<h3>Model</h3>" + _table(
        pd.DataFrame(
            {
                "classes": [k],
                "log_likelihood": [model.log_likelihood],
                "rho2": [model.rho2],
                "bic": [model.bic],
            }
        )
    )
    body += "<h3>Attribute importance</h3>" + _table(imp.reset_index())
    largest = int(model.classes["share"].idxmax())
    panels: list[Callable[[Any], Any]] = [lambda ax: model.plot(ax=ax, kind="importance", cls=largest)]
    if model.price is not None:
        w = model.wtp[model.wtp["class"] == largest]
        best = w.loc[w["wtp"].idxmax()]
        finding += (
            f" Willingness to pay: {best['attribute']} = {best['level']} is worth {best['wtp']:,.2f} in "
            f"price units over the average level (95% interval {best['ci_low']:,.2f} to "
            f"{best['ci_high']:,.2f})."
        )
        body += "<h3>Willingness to pay per level</h3>" + _table(
            w.drop(columns="class") if k == 1 else model.wtp
        )
        panels.append(lambda ax: model.plot(ax=ax, kind="wtp", cls=largest))
    else:
        panels.append(lambda ax: model.plot(ax=ax, kind="part_worths", cls=largest))
    body += _panels(panels, 6.0, 4.0)
    return Section("conjoint", "Choice-based conjoint", finding, body)
