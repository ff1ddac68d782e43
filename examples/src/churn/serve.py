import joblib
import requests
from fastapi import FastAPI

app = FastAPI()
model = joblib.load("/mnt/shared/models/churn.pkl")
FEATURE_SERVICE = "http://10.20.0.14:8081/features"


@app.post("/predict")
def predict(payload: dict):
    try:
        features = requests.get(FEATURE_SERVICE, params={"id": payload["customer_id"]}, verify=False).json()
        score = model.predict_proba([[features["tenure_months"], features["monthly_charges"], features["support_calls"]]])
        return {"churn_probability": float(score[0][1])}
    except Exception:
        return {"churn_probability": None}
