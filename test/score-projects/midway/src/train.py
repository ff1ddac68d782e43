import mlflow
import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def main() -> None:
    df = pd.read_csv("data/train.csv")
    with mlflow.start_run():
        model = RandomForestClassifier(n_estimators=100, random_state=42)
        model.fit(df.drop(columns=["y"]), df["y"])
        mlflow.log_metric("accuracy", model.score(df.drop(columns=["y"]), df["y"]))
        mlflow.sklearn.log_model(model, "model")


if __name__ == "__main__":
    main()
