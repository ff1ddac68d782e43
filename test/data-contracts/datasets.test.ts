import { strict as assert } from 'assert';
import { datasetName, datasetOfSchema, moduleOf, normalizeDataset } from '../../rules/data-contracts/datasets';

describe('data contract dataset names', () => {
  it('names a dataset after what is read', () => {
    assert.equal(datasetName('data/raw/customers.csv'), 'customers');
    assert.equal(datasetName('/home/ana/churn/data/Customer Churn-2024.xlsx'), 'customer_churn_2024');
    assert.equal(datasetName('gs://payments-prod-raw/transactions/2024/*.parquet'), 'transactions');
    assert.equal(datasetName('data/clicks-*.csv'), 'clicks');
    assert.equal(datasetName('s3://lake/events/dt=2024-01-01/part-0000.parquet'), 'events');
    assert.equal(datasetName(null, 'orders_df'), 'orders');
    assert.equal(datasetName(null, 'df'), null);
    assert.equal(datasetName('data/raw/'), null);
  });

  it('matches schemas and contracts to datasets by a normalised name', () => {
    for (const n of ['customers', 'CUSTOMERS_SCHEMA', 'CustomerSchema', 'customer_schema', 'raw_customers']) assert.equal(normalizeDataset(n), 'customer', n);
    assert.equal(normalizeDataset('companies'), 'company');
    assert.equal(datasetOfSchema('TRANSACTIONS', 'pipeline/train.py'), 'transactions');
    assert.equal(datasetOfSchema('SCHEMA', 'schemas/orders.py'), 'orders');
    assert.equal(datasetOfSchema('schema', 'src/schemas.py'), null);
  });

  it('computes the module a schema file imports as', () => {
    const paths = new Set(['src/churn/__init__.py', 'src/churn/schemas/__init__.py', 'src/churn/schemas/customers.py', 'pipeline/schemas/tx.py', 'schemas/orders.py']);
    assert.equal(moduleOf('src/churn/schemas/customers.py', paths), 'churn.schemas.customers');
    assert.equal(moduleOf('pipeline/schemas/tx.py', paths, 'pipeline/train.py'), 'schemas.tx');
    assert.equal(moduleOf('schemas/orders.py', paths, 'train.py'), 'schemas.orders');
    assert.equal(moduleOf('schemas/orders.py', paths, 'jobs/train.py'), 'schemas.orders');
  });
});
