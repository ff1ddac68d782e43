import logging

import mlflow
from fastapi import FastAPI
from prometheus_fastapi_instrumentator import Instrumentator
from pydantic import BaseModel

log = logging.getLogger(__name__)
app = FastAPI()
Instrumentator().instrument(app).expose(app)
model = mlflow.pyfunc.load_model("models:/churn/1")


class Customer(BaseModel):
    tenure: int


@app.post("/predict")
def predict(customer: Customer) -> dict:
    prediction = model.predict([[customer.tenure]])[0]
    log.info("prediction", extra={"tenure": customer.tenure, "prediction": prediction})
    return {"prediction": prediction}
