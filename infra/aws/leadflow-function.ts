import { join } from 'node:path';
import { Duration, Stack, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, ApplicationLogLevel, LoggingFormat, ParamsAndSecretsLayerVersion, ParamsAndSecretsVersions, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FUNCTION_ENV_KEYS, FunctionSpec } from '../topology.js';
import { LAMBDA_RUNTIME, PROJECT_ROOT, bundleRuntimeEnvironment, entryPath, functionBundling } from './bundling.js';

/** Where source secrets live in SSM Parameter Store: one SecureString per source under this path. */
export const SOURCE_SECRETS_PREFIX = '/leadflow/sources';

/** The environment `shared/aws/config.ts` requires; typed by the topology's key list so neither can drift. */
export type FunctionEnvironment = Record<(typeof FUNCTION_ENV_KEYS)[number], string>;

export interface LeadflowFunctionProps {
  spec: FunctionSpec;
  /** Whether it may put events on the bus (the relay of the table's stream). */
  publishes: boolean;
  table: TableV2;
  bus: IEventBus;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * One topology function: a bundled NodejsFunction with its own role and log group. The role has no AWS
 * managed policy; it may write its own log group, read and write the table and put events on the bus
 * (the topology does not say which functions only read or never publish, so all get both). Queue and
 * destination grants are added where those are wired.
 */
export class LeadflowFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: LeadflowFunctionProps) {
    super(scope, id);
    const { spec, table, bus } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${spec.entry}`,
    });
    this.logGroup.grantWrite(role);

    const environment: FunctionEnvironment = { TABLE_NAME: table.tableName, EVENT_BUS_NAME: bus.eventBusName };
    this.function = new NodejsFunction(this, 'Function', {
      entry: entryPath(spec.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        ...environment,
        POWERTOOLS_SERVICE_NAME: 'leadflow',
        ...(spec.sourceSecrets ? { SOURCE_SECRETS_PREFIX: SOURCE_SECRETS_PREFIX } : {}),
        ...bundleRuntimeEnvironment,
      },
      // Readers of source secrets get them through the AWS Parameters and Secrets extension (a local
      // HTTP endpoint with its own cache), so their bundles carry no SSM client.
      ...(spec.sourceSecrets === 'read'
        ? { paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, { parameterStoreTtl: Duration.seconds(30) }) }
        : {}),
      bundling: functionBundling,
    });

    if (spec.sourceSecrets) this.grantSourceSecrets(spec.sourceSecrets);
    table.grantReadWriteData(this.function);
    // Only the stream's relay publishes: every other function announces through its writes' outbox.
    if (props.publishes) bus.grantPutEventsTo(this.function);
    const tableId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
      reason:
        'Queries by GSI1 (leads of a rep, reps of a team) need the index ARNs; the wildcard is only the ' +
        "index-name segment under this one table's ARN, so it grants nothing outside the table.",
    });
  }

  /**
   * Source secrets: readers may get the parameters under the prefix, the admin function may also write
   * and delete them. They are SecureStrings under the account's `aws/ssm` key, whose key policy lets
   * SSM decrypt for any principal of the account allowed to read the parameter.
   */
  private grantSourceSecrets(access: 'read' | 'write'): void {
    const stack = Stack.of(this);
    const parameters = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${SOURCE_SECRETS_PREFIX.slice(1)}/*` });
    const actions = access === 'read' ? ['ssm:GetParameter'] : ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'];
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources: [parameters] }));
    Validations.of(this.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter${SOURCE_SECRETS_PREFIX}/*]`,
      reason: 'Each source has its own secrets parameter, created at run time by the sources admin API; the wildcard is one level under leadflow\'s own prefix.',
    });
  }
}
