"""The two baselines every model figure is compared with.

- ``baseline_due_date``: the item is paid on its due date (0 days late), or on its earliest
  possible pay date when that is later (an item already overdue on the snapshot).
- ``baseline_customer_average``: the item is paid as late as the customer's paid items were on
  average up to the snapshot (``customer_mean_late``). A customer without paid items gets the
  due-date baseline. Its probability of being late is the customer's share of late items.

Both predict days late; the pay date and the clipping to the earliest pay date follow
:func:`receivables.prediction.model.pay_dates`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

DUE_DATE = "baseline_due_date"
CUSTOMER_AVERAGE = "baseline_customer_average"
MODEL = "model"


def due_date_days(frame: pl.DataFrame) -> np.ndarray:
    """Days late of the due-date baseline: zero for every row, before clipping."""
    return np.zeros(frame.height)


def customer_average_days(frame: pl.DataFrame) -> np.ndarray:
    """Days late of the customer-average baseline, zero for customers without paid items."""
    return frame["customer_mean_late"].fill_null(0.0).fill_nan(0.0).to_numpy().astype(np.float64)


def customer_late_share(frame: pl.DataFrame) -> np.ndarray:
    """The customer's share of late items so far, zero without paid items."""
    return frame["customer_late_share"].fill_null(0.0).fill_nan(0.0).to_numpy().astype(np.float64)


def has_customer_history(frame: pl.DataFrame) -> np.ndarray:
    return (frame["customer_paid_items"].fill_null(0) > 0).to_numpy()
