import mlflow
from fastapi import FastAPI

app = FastAPI()
model = mlflow.pyfunc.load_model("models:/churn/1")


@app.post("/predict")
def predict(payload: dict) -> dict:
    return {"prediction": model.predict([payload])[0]}
