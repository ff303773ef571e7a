import { Validations, type CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowStack } from '../../infra/aws/leadflow-stack.js';
import { synthesizeLeadflow, type SynthesizedLeadflow, type ValidationViolation } from '../../infra/aws/synth.js';

// A deliberately unencrypted queue without a DLQ: its findings prove cdk-nag runs on every synth, so an
// empty report means "compliant" rather than "not checked".
const PROBE_ID = 'NagProbe';

let synthesized: SynthesizedLeadflow;
let stack: LeadflowStack;

beforeAll(() => {
  synthesized = synthesizeLeadflow((s) => new Queue(s, PROBE_ID));
  stack = synthesized.stack;
});

function isProbe(path: string | undefined): boolean {
  return path?.startsWith(`${stack.node.path}/${PROBE_ID}/`) ?? false;
}

/** The AwsSolutions findings of the synth report outside the probe, as "rule at path" lines. */
function reportedFindings(severity: 'error' | 'warning'): string[] {
  return synthesized.validationReports
    .filter((r) => r.pluginName === 'AwsSolutions')
    .flatMap((r) => r.violations)
    .filter((v) => v.severity === severity)
    .flatMap((v: ValidationViolation) =>
      v.violatingConstructs.filter((c) => !isProbe(c.constructPath)).map((c) => `${v.ruleName} at ${c.constructPath}`),
    );
}

/** Every acknowledgement made in the stack: where, which rule, and why. */
function acknowledgements(): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** What the AwsSolutions pack finds when acknowledgements are ignored, as rule id → construct paths. */
function findingsIgnoringAcknowledgements(): Map<string, string[]> {
  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  // cdk-nag 3.0.2 consults this private method for every finding; turning it off shows the raw findings.
  (pack as unknown as { isAcknowledged: (node: CfnResource, id: string) => boolean }).isAcknowledged = () => false;
  const findings = new Map<string, string[]>();
  for (const violation of pack.validateScope(stack).violations) {
    const paths = violation.violatingResources.map((r) => r.constructPath ?? '').filter((p) => !isProbe(p));
    if (paths.length) findings.set(violation.ruleName, paths);
  }
  return findings;
}

describe('cdk-nag AwsSolutions checks', () => {
  it('run on every synth of the app', () => {
    const probeRules = synthesized.validationReports
      .flatMap((r) => r.violations)
      .filter((v) => v.violatingConstructs.some((c) => isProbe(c.constructPath)))
      .map((v) => v.ruleName);
    expect(probeRules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('report no unacknowledged error', () => {
    expect(reportedFindings('error')).toEqual([]);
  });

  it('report no unacknowledged warning', () => {
    expect(reportedFindings('warning')).toEqual([]);
  });

  it('find nothing unacknowledged when run directly on the stack', () => {
    const direct = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const findings = direct.violations.flatMap((v) =>
      v.violatingResources.filter((r) => !isProbe(r.constructPath)).map((r) => `${v.ruleName} at ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('acknowledgements', () => {
  it('each carry a specific reason', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}: "${ack.reason}"`).toBeGreaterThanOrEqual(80);
      expect(ack.reason, `${ack.id} at ${ack.path}`).not.toMatch(/^(n\/?a|none|todo|tbd|ok|suppress(ed)?|not (needed|required))\b/i);
    }
  });

  it('each answer a finding cdk-nag actually reports under the acknowledged construct', () => {
    const findings = findingsIgnoringAcknowledgements();
    const stale = acknowledgements().filter(
      (ack) => !(findings.get(ack.id) ?? []).some((path) => path === ack.path || path.startsWith(`${ack.path}/`)),
    );
    expect(stale).toEqual([]);
  });
});

describe('CDK annotations', () => {
  it('include no warning on the stack', () => {
    expect(synthesized.annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('include no error on the stack', () => {
    expect(synthesized.annotations.findError('*', Match.anyValue())).toEqual([]);
  });
});
