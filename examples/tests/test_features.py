import pandas as pd

from churn.features import NUMERIC


def test_numeric_columns_exist():
    frame = pd.read_csv("tests/data/customers_small.csv")
    assert set(NUMERIC) <= set(frame.columns)
