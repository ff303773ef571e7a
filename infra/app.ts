import { createLeadflowApp } from './aws/leadflow-app.js';

// The CDK entry (`cdk.json`): the app synthesizes itself when the CLI runs this file.
createLeadflowApp();
