"""Churn prediction: training, features and serving."""
