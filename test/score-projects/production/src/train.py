import random

import mlflow
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

from schema import TrainSchema

random.seed(42)
np.random.seed(42)


def main() -> None:
    df = TrainSchema.validate(pd.read_csv("data/train.csv"))
    with mlflow.start_run():
        model = RandomForestClassifier(n_estimators=100, random_state=42)
        model.fit(df.drop(columns=["y"]), df["y"])
        mlflow.log_metric("accuracy", model.score(df.drop(columns=["y"]), df["y"]))
        mlflow.sklearn.log_model(model, "model", registered_model_name="churn")


if __name__ == "__main__":
    main()
