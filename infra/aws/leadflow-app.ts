import { App, RemovalPolicy, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LeadflowStack } from './leadflow-stack.js';

/** Name of the one stack, and the construct id it is addressed by (`cdk deploy Leadflow`). */
export const STACK_NAME = 'Leadflow';

/**
 * The CDK app: the Leadflow stack, checked by cdk-nag's AWS Solutions pack on every synth. Context
 * `leadflow:removalPolicy=destroy` makes a throw-away dev stack (table and logs deleted with it);
 * `leadflow:eventBusName` renames the bus.
 */
export function createLeadflowApp(props: AppProps = {}): { app: App; stack: LeadflowStack } {
  const app = new App(props);
  const destroy = app.node.tryGetContext('leadflow:removalPolicy') === 'destroy';
  const stack = new LeadflowStack(app, STACK_NAME, {
    description: 'leadflow: lead intake, routing, notification and reporting.',
    removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    eventBusName: app.node.tryGetContext('leadflow:eventBusName'),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
