import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

NUMERIC = ["tenure_months", "monthly_charges", "support_calls"]


def load_customers():
    customers = pd.read_csv("/home/dana/projects/churn/data/customers.csv")
    customers = customers.dropna()
    return customers


def split_features(customers):
    X = customers[NUMERIC + ["email", "plan"]]
    y = customers["churned"]
    scaler = StandardScaler()
    X[NUMERIC] = scaler.fit_transform(X[NUMERIC])
    return train_test_split(X, y, test_size=0.2)
