/** The readiness report renderer lives in common/ (the VS Code client exports reports with the same code). */
export * from '../common/readiness-report';
