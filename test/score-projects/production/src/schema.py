import pandera as pa

TrainSchema = pa.DataFrameSchema({"tenure": pa.Column(int), "y": pa.Column(int)})
