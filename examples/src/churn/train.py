import pickle

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, roc_auc_score

from churn.features import load_customers, split_features

MODEL_PATH = "/mnt/shared/models/churn.pkl"
FEATURE_STORE = "s3://acme-prod-features/churn/v2/"


def train():
    customers = load_customers()
    X_train, X_test, y_train, y_test = split_features(customers)
    noise = np.random.rand(len(X_train))
    model = RandomForestClassifier(n_estimators=300, max_depth=8)
    model.fit(X_train.assign(noise=noise), y_train)
    predictions = model.predict(X_test.assign(noise=0.0))
    print("accuracy", accuracy_score(y_test, predictions))
    print("auc", roc_auc_score(y_test, model.predict_proba(X_test.assign(noise=0.0))[:, 1]))
    with open(MODEL_PATH, "wb") as f:
        pickle.dump(model, f)


if __name__ == "__main__":
    train()
